"""The casework API, cases: who reads them, the worker's whole path, consent first, a
colleague writes nothing, a replacement reads during her period only.
"""

import datetime as dt

import pytest

from polesocial.casework import rules
from polesocial.casework.models import Case, Interview
from polesocial.casework.serializers import employee_reference
from polesocial.casework.services import referrals
from polesocial.privacy.models import AuditEntry
from tests.casework.api_helpers import (
    READERS,
    REPLACEMENT,
    assess_body,
    assigned_referral,
    check_list_and_detail,
    ids,
    on,
    url,
)
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, PartnerFactory, SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", READERS)
def test_cases_by_reader(api, world, who):
    sign_in(api.client, world.reader(who))
    check_list_and_detail(
        api, who, url("case-list"), url("case-detail", world.case.pk), world.case.pk
    )


# --- The worker's path: assessment, consent, case, interviews, plan, orientations ---------


def test_the_whole_path_through_the_api(api):
    worker = SocialWorkerFactory()
    referral = assigned_referral(worker)
    sign_in(api.client, worker.user)
    response = api.post(url("referral-assess", referral.pk), assess_body())
    assert response.status_code == 200
    assert response.json()["status"] == "assessed"
    assert response.json()["first_assessment"]["outcome"] == "open_case"
    consent = api.post(
        url("referral-consent", referral.pk),
        {"given_on": "2026-03-02", "form": "written", "scope": ["partners"]},
    )
    assert consent.status_code == 201
    assert consent.json()["is_active"] is True
    body = {
        "consent": consent.json()["id"],
        "domains": ["budget", "housing"],
        "opened_on": "2026-03-02",
        "assessment": "Dettes de loyer.",
    }
    response = api.post(url("case-list"), body)
    assert response.status_code == 201
    case = response.json()
    assert (case["assessment"], case["domains"], case["consent_active"]) == (
        "Dettes de loyer.",
        ["budget", "housing"],
        True,
    )
    assert case["snapshot_family_situation"] == "single_parent"
    assert case["employee"] == employee_reference(Case.objects.get().employee_id)
    detail = url("case-detail", case["id"])
    response = api.patch(detail, {"domains": ["budget", "work"]})
    assert response.json()["domains"] == ["budget", "work"]
    assert response.json()["assessment"] == "Dettes de loyer."
    interview = {
        "case": case["id"],
        "occurred_on": "2026-03-09",
        "place": "home",
        "duration_minutes": 480,
    }
    assert api.post(url("interview-list"), interview).status_code == 201
    objective = api.post(
        url("plan-objective-list"), {"case": case["id"], "title": "Résorber la dette"}
    )
    assert objective.status_code == 201
    action = {
        "objective": objective.json()["id"],
        "description": "Dossier FSL",
        "due_on": "2026-04-01",
    }
    action = api.post(url("plan-action-list"), action)
    assert action.json()["case"] == case["id"]
    done = api.patch(url("plan-action-detail", action.json()["id"]), {"status": "done"})
    assert done.json()["status"] == "done"
    orientation = {
        "case": case["id"],
        "partner": PartnerFactory().pk,
        "oriented_on": "2026-03-10",
        "purpose": "Aide au logement",
    }
    orientation = api.post(url("orientation-list"), orientation).json()
    response = api.patch(url("orientation-detail", orientation["id"]), {"result": "achieved"})
    assert response.json()["result"] == "achieved"
    closed = api.post(
        url("case-close", case["id"]), {"closed_on": "2026-06-30", "reason": "objectives_met"}
    )
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", "2026-06-30")
    assert closed.json()["closures"][0]["reason"] == "objectives_met"
    reopened = api.post(url("case-reopen", case["id"]), {"reopened_on": "2026-07-02"})
    assert reopened.json()["status"] == "open"
    assert reopened.json()["closures"][0]["reopened_on"] == "2026-07-02"
    history = AuditEntry.objects.filter(subject=f"casework.Case:{case['id']}")
    assert list(history.values_list("action", flat=True)) == [
        "case.open",
        "case.update",
        "interview.create",
        "plan_objective.create",
        "plan_action.create",
        "plan_action.update",
        "orientation.create",
        "orientation.update",
        "case.close",
        "case.reopen",
    ]


# --- No case without consent; nothing on someone else's case ------------------------------


def test_no_case_without_an_active_consent(api, world):
    sign_in(api.client, world.worker.user)
    withdrawn = referrals.consent_withdraw(
        actor=world.worker.user, consent=world.case.consent, withdrawn_on=dt.date(2026, 3, 3)
    )
    colleague = SocialWorkerFactory(team=world.worker.team)
    theirs = open_case_for(colleague, identity={**EMPLOYEE_IDENTITY, "first_name": "Jeanne"})
    before = Case.objects.count()
    for consent in (withdrawn.pk, theirs.consent_id, 999_999):
        body = {"consent": consent, "domains": ["budget"], "opened_on": "2026-03-04"}
        response = api.post(url("case-list"), body)
        assert response.status_code == 400, consent
        assert response.json() == {
            "detail": rules.NO_CONSENT,
            "errors": {"non_field_errors": [rules.NO_CONSENT]},
        }
    assert Case.objects.count() == before


def test_a_colleague_writes_nothing_on_someone_elses_case(api, world):
    colleague = SocialWorkerFactory(team=world.worker.team)
    sign_in(api.client, colleague.user)
    case = world.case.pk
    interview = {"case": case, "occurred_on": "2026-03-10", "place": "phone"}
    answers = [
        api.post(url("interview-list"), {**interview, "duration_minutes": 60}),
        api.post(url("plan-objective-list"), {"case": case, "title": "x"}),
        api.post(url("case-close", case), {"closed_on": "2026-04-02", "reason": "other"}),
        api.patch(url("case-detail", case), {"domains": ["work"]}),
        api.post(url("referral-assess", world.referral.pk), assess_body()),
        api.post(
            url("referral-consent", world.referral.pk), {"given_on": "2026-03-02", "form": "oral"}
        ),
    ]
    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert Interview.objects.count() == 1
    assert Case.objects.get(pk=case).status == "open"


# --- Replacement --------------------------------------------------------------------------


def test_a_replacement_reads_through_the_api_during_her_period_only(api, world):
    sign_in(api.client, world.replacing.user)
    detail = url("case-detail", world.case.pk)
    with on(REPLACEMENT[0] - dt.timedelta(days=1)):
        assert api.get(detail).status_code == 404
    with on(REPLACEMENT[1]):
        response = api.get(detail)
        assert response.status_code == 200
        assert response.json()["replacement_until"] == "2026-07-31"
        assert ids(api.get(url("case-list"))) == {world.case.pk}
        interview = api.get(url("interview-detail", world.interview.pk)).json()
        assert interview["notes"] == "Point sur le budget."
        assert interview["private_note"] is None  # the author's only
    with on(REPLACEMENT[1] + dt.timedelta(days=1)):
        assert api.get(detail).status_code == 404
        assert ids(api.get(url("case-list"))) == set()
        assert api.get(url("interview-detail", world.interview.pk)).status_code == 404
    reads = AuditEntry.objects.filter(actor=world.replacing.user)
    assert list(reads.values_list("action", "replacement")) == [
        ("case.read", True),
        ("case.list", True),
        ("interview.read", True),
        ("case.list", False),  # the day after: nothing shown
    ]
