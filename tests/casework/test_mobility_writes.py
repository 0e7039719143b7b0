"""The hand-off's writes by API: the worker hands a case over and ends it, the adviser records
his follow-up, through the services the screens call; each refusal reads the same French by
screen, by API and by a direct service call (as tests/casework/test_refusal_parity.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.models import Consent, Handoff, MobilityFollowUp
from polesocial.casework.services import mobility
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.casework.api_helpers import url
from tests.casework.test_refusal_parity import api_refusal, service_refusal
from tests.conftest import sign_in
from tests.factories import SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db

NOTE = "Reclassement à étudier : poste sans port de charges."
FUTURE = dt.date(2099, 1, 1)


def case_with(scope: list[str]):
    worker = SocialWorkerFactory()
    case = open_case_for(worker, opened_on=timezone.localdate())
    Consent.objects.filter(pk=case.consent_id).update(scope=scope)
    return worker, case


def handed_over():
    worker, case = case_with(["mobility_adviser"])
    adviser = UserFactory(role=Role.MOBILITY_ADVISER)
    handoff = mobility.handoff_create(
        actor=worker.user, case=case, adviser=adviser, kind="handover", note=NOTE
    )
    return worker, adviser, handoff


def screen_errors(response, field: str) -> list[str]:
    assert response.status_code == 200  # the form again, not a redirect
    return response.context["form"].errors[field]


def test_the_worker_hands_over_by_api_and_the_adviser_records_his_follow_up(client, api):
    worker, case = case_with(["mobility_adviser"])
    adviser = UserFactory(role=Role.MOBILITY_ADVISER)
    sign_in(client, worker.user)
    body = {"case": case.pk, "adviser": adviser.pk, "kind": "handover", "note": NOTE}
    created = api.post(url("handoff-list"), body)
    assert created.status_code == 201, created.content
    handoff = Handoff.objects.get(pk=created.json()["id"])
    assert (handoff.case, handoff.adviser, handoff.note) == (case, adviser, NOTE)
    assert AuditEntry.objects.filter(action=AuditAction.HANDOFF_CREATE, actor=worker.user).exists()

    client.logout()
    sign_in(client, adviser)
    today = timezone.localdate().isoformat()
    follow_up = {"kind": "redeployment", "occurred_on": today, "minutes": 45, "note": "Visite."}
    recorded = api.post(url("handoff-follow-up", handoff.pk), follow_up)
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["minutes"] == 45
    row = MobilityFollowUp.objects.get(handoff=handoff)
    assert (row.minutes, row.employer_id, row.recorded_by) == (
        45,
        case.snapshot_employer_id,
        adviser,
    )
    # The adviser hands nothing over; the worker records no follow-up of his.
    assert api.post(url("handoff-list"), body).status_code == 403
    client.logout()
    sign_in(client, worker.user)
    assert api.post(url("handoff-follow-up", handoff.pk), follow_up).status_code == 404
    ended = api.post(url("handoff-end", handoff.pk))
    assert ended.status_code == 200 and ended.json()["ended_at"]


def test_a_case_out_of_reach_is_absent_to_the_api(client, api):
    _, case = case_with(["mobility_adviser"])
    adviser = UserFactory(role=Role.MOBILITY_ADVISER)
    stranger = SocialWorkerFactory()
    sign_in(client, stranger.user)
    body = {"case": case.pk, "adviser": adviser.pk, "kind": "share", "note": NOTE}
    assert api.post(url("handoff-list"), body).status_code == 404
    assert not Handoff.objects.exists()


def test_no_hand_off_without_the_employee_s_consent_for_that_scope(client, api):
    worker, case = case_with([])
    adviser = UserFactory(role=Role.MOBILITY_ADVISER)
    sign_in(client, worker.user)
    posted = {"adviser": adviser.pk, "kind": "handover", "note": NOTE}
    screen = client.post(reverse("casework:handoff_create", args=[case.pk]), posted)
    answer = api.post(url("handoff-list"), {**posted, "case": case.pk})
    service = service_refusal(
        lambda: mobility.handoff_create(
            actor=worker.user, case=case, adviser=adviser, kind="handover", note=NOTE
        )
    )
    assert screen_errors(screen, "note") == [api_refusal(answer)] == service
    assert service == [mobility.NO_MOBILITY_CONSENT]
    assert not Handoff.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (FUTURE, "Le suivi ne peut pas être daté dans le futur."),
        (dt.date(2020, 1, 6), "Le suivi ne peut pas précéder le relais."),
    ],
)
def test_a_follow_up_is_dated_between_the_hand_off_and_today(client, api, day, message):
    _, adviser, handoff = handed_over()
    sign_in(client, adviser)
    posted = {"kind": "training", "occurred_on": day.isoformat(), "minutes": 30}
    screen = client.post(reverse("casework:mobility_follow_up_add", args=[handoff.pk]), posted)
    answer = api.post(url("handoff-follow-up", handoff.pk), posted)
    service = service_refusal(
        lambda: mobility.mobility_follow_up_record(
            actor=adviser, handoff=handoff, kind="training", occurred_on=day, minutes=30
        )
    )
    assert screen_errors(screen, "occurred_on") == [api_refusal(answer)] == service == [message]
    assert answer.json()["errors"] == {"occurred_on": [message]}
    assert not MobilityFollowUp.objects.exists()


def test_a_hand_off_already_ended_is_not_ended_again(client, api):
    worker, _, handoff = handed_over()
    mobility.handoff_end(actor=worker.user, handoff=handoff)
    sign_in(client, worker.user)
    message = "Ce relais est déjà terminé."
    screen = client.post(
        reverse("casework:handoff_end", args=[handoff.case_id, handoff.pk]), follow=True
    )
    answer = api.post(url("handoff-end", handoff.pk))
    service = service_refusal(lambda: mobility.handoff_end(actor=worker.user, handoff=handoff))
    assert [str(m) for m in screen.context["messages"]] == [api_refusal(answer)] == service
    assert service == [message]
