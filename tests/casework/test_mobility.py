"""The mobility adviser reads exactly the shared part of a case handed to him with the
employee's consent for that scope, by screen and by API, and nothing without it."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from polesocial.casework.models import Consent, Handoff, MobilityFollowUp
from polesocial.casework.services.mobility import (
    NO_MOBILITY_CONSENT,
    handoff_create,
    handoff_end,
    mobility_follow_up_record,
)
from polesocial.casework.services.referrals import consent_withdraw
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.api.world import CANARY, DAY, build_world
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, UserFactory
from tests.test_canary import case_urls, crawl

pytestmark = pytest.mark.django_db

NOTE = "Reclassement à étudier : poste sans port de charges, permis B."


@pytest.fixture
def world():
    return build_world()


def _consent_to_mobility(case) -> None:
    Consent.objects.filter(pk=case.consent_id).update(scope=["mobility_adviser"])


def _hand_off(world, adviser):
    case = world.objects["case"]
    return handoff_create(
        actor=world.worker_user, case=case, adviser=adviser, kind="handover", note=NOTE
    )


def _adviser_reads(client, adviser, world) -> dict[str, str]:
    sign_in(client, adviser)
    client.raise_request_exception = False
    starts = ["/", "/mobilite/", reverse("api:handoff-list"), *case_urls(world)]
    starts += [f"/api/v1/cases/{world.objects['case'].pk}/", "/api/v1/interviews/"]
    return {url: unescape(text) for url, text in crawl(client, starts).items()}


def test_the_worker_hands_a_case_to_the_adviser_who_reads_the_shared_part_only(client, world):
    adviser = world.users[Role.MOBILITY_ADVISER]
    _consent_to_mobility(world.objects["case"])
    handoff = _hand_off(world, adviser)
    pages = _adviser_reads(client, adviser, world)

    detail = pages[reverse("casework:mobility_detail", args=[handoff.pk])]
    assert EMPLOYEE_IDENTITY["last_name"] in detail
    assert EMPLOYEE_IDENTITY["job"] in detail and "Titulaire" in detail
    assert NOTE in detail
    api = client.get(reverse("api:handoff-list")).json()
    assert api["results"][0]["note"] == NOTE
    assert api["results"][0]["case"]["last_name"] == EMPLOYEE_IDENTITY["last_name"]
    # Never the interviews, the private note, the assessment, the plan or the referral.
    assert {url: text for url, text in pages.items() if CANARY in text} == {}
    # The case's own pages answer him as an absent case (the referral page: not his).
    for url in case_urls(world):
        assert client.get(url).status_code == (404 if url.startswith("/dossiers/") else 403)
    assert AuditEntry.objects.filter(action=AuditAction.HANDOFF_READ, actor=adviser).exists()


def test_without_the_consent_scope_there_is_no_hand_off_and_nothing_to_read(client, world):
    adviser = world.users[Role.MOBILITY_ADVISER]
    with pytest.raises(ValidationError) as refused:
        _hand_off(world, adviser)
    assert NO_MOBILITY_CONSENT in refused.value.messages
    sign_in(client, world.worker_user)
    tab = client.get(reverse("casework:case_mobility", args=[world.objects["case"].pk]))
    assert NO_MOBILITY_CONSENT in unescape(tab.content.decode())

    pages = _adviser_reads(client, adviser, world)
    assert EMPLOYEE_IDENTITY["last_name"] not in "".join(pages.values())
    assert client.get(reverse("api:handoff-list")).json()["results"] == []


def test_a_withdrawn_consent_or_an_ended_hand_off_closes_the_adviser_s_door(client, world):
    adviser = world.users[Role.MOBILITY_ADVISER]
    case = world.objects["case"]
    _consent_to_mobility(case)
    first = _hand_off(world, adviser)
    handoff_end(actor=world.worker_user, handoff=first)
    sign_in(client, adviser)
    assert client.get(reverse("casework:mobility_detail", args=[first.pk])).status_code == 404

    second = _hand_off(world, adviser)
    consent_withdraw(
        actor=world.worker_user, consent=Consent.objects.get(pk=case.consent_id), withdrawn_on=DAY
    )
    assert client.get(reverse("casework:mobility_detail", args=[second.pk])).status_code == 404
    assert client.get(reverse("api:handoff-list")).json()["results"] == []


def test_another_adviser_reads_nothing_of_it(client, world):
    _consent_to_mobility(world.objects["case"])
    handoff = _hand_off(world, world.users[Role.MOBILITY_ADVISER])
    other = UserFactory(role=Role.MOBILITY_ADVISER)
    sign_in(client, other)
    assert client.get(reverse("casework:mobility_detail", args=[handoff.pk])).status_code == 404
    assert client.get(reverse("api:handoff-list")).json()["results"] == []


def test_the_adviser_records_his_follow_up_and_the_worker_sees_it(client, world):
    adviser = world.users[Role.MOBILITY_ADVISER]
    case = world.objects["case"]
    _consent_to_mobility(case)
    handoff = _hand_off(world, adviser)
    sign_in(client, adviser)
    response = client.post(
        reverse("casework:mobility_follow_up_add", args=[handoff.pk]),
        {
            "kind": "redeployment",
            "occurred_on": handoff.created_at.date().isoformat(),
            "minutes": "45",
            "note": "Entretien de reclassement, deux postes identifiés.",
        },
    )
    assert response.status_code == 302
    follow_up = MobilityFollowUp.objects.get()
    assert follow_up.minutes == 45
    assert AuditEntry.objects.filter(action=AuditAction.MOBILITY_FOLLOWUP_RECORD).exists()

    sign_in(client, world.worker_user)
    tab = unescape(client.get(reverse("casework:case_mobility", args=[case.pk])).content.decode())
    assert "deux postes identifiés" in tab and "45 min" in tab
    assert NOTE in tab


def test_the_worker_hands_off_through_the_case_tab(client, world):
    adviser = world.users[Role.MOBILITY_ADVISER]
    case = world.objects["case"]
    _consent_to_mobility(case)
    sign_in(client, world.worker_user)
    response = client.post(
        reverse("casework:handoff_create", args=[case.pk]),
        {"adviser": adviser.pk, "kind": "share", "note": NOTE},
    )
    assert response.status_code == 302
    handoff = Handoff.objects.get()
    assert handoff.note == NOTE and handoff.adviser == adviser
    assert AuditEntry.objects.filter(action=AuditAction.HANDOFF_CREATE).exists()
    assert adviser.notifications.filter(title__contains="relais").exists()


def test_only_an_adviser_may_record_a_follow_up(world):
    _consent_to_mobility(world.objects["case"])
    handoff = _hand_off(world, world.users[Role.MOBILITY_ADVISER])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        mobility_follow_up_record(
            actor=world.worker_user,
            handoff=handoff,
            kind="training",
            occurred_on=DAY,
            minutes=10,
        )
