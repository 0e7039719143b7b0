"""A rule of case work refuses alike by screen, by API and by a direct service call.

Each test tries the same forbidden write the three ways, on the same rows, and reads back
one French message: beside the form on the screen, as `detail` of the API's 400, as the
service's ValidationError. Nothing is written.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polesocial.casework import rules
from polesocial.casework.models import Case, Consent
from polesocial.casework.services import cases, referrals
from tests.casework.api_helpers import assigned_referral, url
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db

FUTURE = dt.date(2099, 1, 1)


def today():
    return timezone.localdate()


def form_errors(response, form_name: str, field: str | None = None) -> list[str]:
    """The errors the screen shows beside `field` (or at the top) of the posted form."""
    assert response.status_code == 200  # shown again, not redirected
    form = response.context[form_name]
    return form.non_field_errors() if field is None else form.errors[field]


def api_refusal(response) -> str:
    assert response.status_code == 400, response.content
    return response.json()["detail"]


def service_refusal(write) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        write()
    return caught.value.messages


def assessed_referral(worker, outcome: str):
    referral = assigned_referral(worker)
    referrals.first_assessment_record(
        actor=worker.user,
        referral=referral,
        assessed_on=today(),
        outcome=outcome,
        employee={**EMPLOYEE_IDENTITY, "employer": referral.employer},
    )
    referral.refresh_from_db()
    return referral


def consent_three_ways(client, api, worker, referral) -> tuple:
    """Record a consent on the referral by screen, API and service; the three refusals."""
    sign_in(client, worker.user)
    given = {"given_on": today().isoformat(), "form": "oral"}
    screen = client.post(reverse("casework:referral_consent", args=[referral.pk]), given)
    answer = api.post(url("referral-consent", referral.pk), given)
    service = service_refusal(
        lambda: referrals.consent_record(
            actor=worker.user,
            employee=referral.employee,
            referral=referral,
            given_on=today(),
            form="oral",
        )
    )
    return form_errors(screen, "consent_form"), [api_refusal(answer)], service


def test_no_consent_after_an_assessment_that_opens_no_case(client, api):
    worker = SocialWorkerFactory()
    referral = assessed_referral(worker, outcome="information")
    screen, answer, service = consent_three_ways(client, api, worker, referral)
    assert screen == answer == service == [rules.NO_CASE_OUTCOME]
    assert not Consent.objects.filter(referral=referral).exists()


def test_no_consent_before_the_assessment(client, api):
    worker = SocialWorkerFactory()
    referral = assigned_referral(worker)
    screen, answer, service = consent_three_ways(client, api, worker, referral)
    assert screen == answer == service == [rules.NOT_ASSESSED]
    assert not Consent.objects.exists()


def test_a_second_active_consent_on_a_referral_is_refused(client, api):
    worker = SocialWorkerFactory()
    referral = assessed_referral(worker, outcome="open_case")
    first = referrals.consent_record(
        actor=worker.user,
        employee=referral.employee,
        referral=referral,
        given_on=today(),
        form="oral",
    )
    screen, answer, service = consent_three_ways(client, api, worker, referral)
    assert screen == answer == service == [rules.CONSENT_ALREADY]
    assert list(Consent.objects.filter(referral=referral)) == [first]


def test_a_consent_withdrawn_may_be_given_again_on_the_same_referral(client):
    worker = SocialWorkerFactory()
    referral = assessed_referral(worker, outcome="open_case")
    first = referrals.consent_record(
        actor=worker.user,
        employee=referral.employee,
        referral=referral,
        given_on=today(),
        form="oral",
    )
    referrals.consent_withdraw(actor=worker.user, consent=first, withdrawn_on=today())
    sign_in(client, worker.user)
    given = {"given_on": today().isoformat(), "form": "written"}
    response = client.post(reverse("casework:referral_consent", args=[referral.pk]), given)
    assert response.status_code == 302
    assert Consent.objects.filter(referral=referral).active().get().form == "written"


def test_no_case_opens_on_an_assessment_that_concludes_otherwise(client, api):
    """A consent recorded on such a referral before the rule held (the API took it) opens
    no case either."""
    worker = SocialWorkerFactory()
    referral = assessed_referral(worker, outcome="redirected")
    consent = Consent.objects.create(
        employee=referral.employee,
        referral=referral,
        given_on=today(),
        form="oral",
        recorded_by=worker.user,
    )
    sign_in(client, worker.user)
    opening = {"domains": ["budget"], "opened_on": today().isoformat()}
    screen = client.post(reverse("casework:referral_case_open", args=[referral.pk]), opening)
    answer = api.post(url("case-list"), {**opening, "consent": consent.pk, "assessment": ""})
    service = service_refusal(
        lambda: cases.case_open(
            actor=worker.user,
            employee=referral.employee,
            consent=consent,
            referral=referral,
            domains=["budget"],
            opened_on=today(),
        )
    )
    assert form_errors(screen, "case_form") == [api_refusal(answer)] == service
    assert service == [rules.NO_CASE_OUTCOME]
    assert not Case.objects.exists()


def test_a_referral_opens_one_case_only(client, api):
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    referral = case.referral
    sign_in(client, worker.user)
    opening = {"domains": ["budget"], "opened_on": today().isoformat()}
    screen = client.post(reverse("casework:referral_case_open", args=[referral.pk]), opening)
    answer = api.post(url("case-list"), {**opening, "consent": case.consent_id, "assessment": ""})
    service = service_refusal(
        lambda: cases.case_open(
            actor=worker.user,
            employee=case.employee,
            consent=case.consent,
            referral=referral,
            domains=["budget"],
            opened_on=today(),
        )
    )
    assert form_errors(screen, "case_form") == [api_refusal(answer)] == service
    assert service == [rules.CASE_ALREADY]
    assert list(Case.objects.all()) == [case]


def test_a_case_is_not_reopened_at_a_future_date(client, api):
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    cases.case_close(actor=worker.user, case=case, closed_on=today(), reason="other")
    sign_in(client, worker.user)
    message = "La réouverture ne peut pas être datée dans le futur."
    screen = client.post(
        reverse("casework:case_reopen", args=[case.pk]),
        {"reouverture-reopened_on": FUTURE.isoformat()},
    )
    answer = api.post(url("case-reopen", case.pk), {"reopened_on": FUTURE.isoformat()})
    service = service_refusal(
        lambda: cases.case_reopen(actor=worker.user, case=case, reopened_on=FUTURE)
    )
    assert form_errors(screen, "reopen_form", "reopened_on") == [message]
    assert api_refusal(answer) == message
    assert answer.json()["errors"] == {"reopened_on": [message]}
    assert service == [message]
    case.refresh_from_db()
    assert case.status == "closed"


def test_a_consent_is_not_withdrawn_at_a_future_date(client):
    """No API withdraws a consent: the screen says what the service says."""
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    sign_in(client, worker.user)
    message = "Le retrait ne peut pas être daté dans le futur."
    screen = client.post(
        reverse("casework:consent_withdraw", args=[case.pk]),
        {"retrait-withdrawn_on": FUTURE.isoformat()},
    )
    service = service_refusal(
        lambda: referrals.consent_withdraw(
            actor=worker.user, consent=case.consent, withdrawn_on=FUTURE
        )
    )
    assert form_errors(screen, "withdraw_form", "withdrawn_on") == service == [message]
    assert Consent.objects.get(pk=case.consent_id).withdrawn_on is None


@pytest.mark.parametrize(
    ("successor", "message"),
    [
        ("same", "Choisissez une autre ASS que l'ASS qui part."),
        ("other_team", "Choisissez une ASS de la même équipe."),
    ],
)
def test_a_caseload_moves_to_another_worker_of_the_same_team(client, successor, message):
    """No API moves a caseload: the screen says what the service says."""
    departing = SocialWorkerFactory()
    counsellor = departing.team.counsellor
    # A second team she leads: its workers are in her list, yet not a successor.
    other = SocialWorkerFactory(team__counsellor=counsellor) if successor == "other_team" else None
    target = departing if successor == "same" else other
    case = open_case_for(departing)
    sign_in(client, counsellor)
    screen = client.post(
        reverse("casework:caseload_transfer"),
        {"from_worker": departing.pk, "to_worker": target.pk, "confirm": "on"},
    )
    service = service_refusal(
        lambda: cases.caseload_transfer(actor=counsellor, from_worker=departing, to_worker=target)
    )
    assert form_errors(screen, "transfer_form", "to_worker") == service == [message]
    case.refresh_from_db()
    assert case.worker == departing
