"""The journal itself marks an access made as a replacement: no screen, API or service says so.

`audit_log` works it out from the file an entry concerns (the rule case work registers,
`casework.permissions.reads_as_replacement`): a colleague who reads or writes a case
during her replacement is journaled as such, the worker in charge never is, and nor is
anyone who does not replace the worker in charge that day.
"""

import datetime as dt

import pytest
from django.urls import reverse

from polesocial.casework.services import cases, records
from polesocial.privacy.models import AuditEntry
from tests.casework.api_helpers import REPLACEMENT, World, on, url
from tests.conftest import sign_in
from tests.factories import SocialWorkerFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 7, 15)  # within the replacement (July 2026)


@pytest.fixture
def world():
    return World()


def journal_of(user) -> list[tuple[str, bool]]:
    entries = AuditEntry.objects.filter(actor=user).order_by("sequence")
    return list(entries.values_list("action", "replacement"))


def read_screens(client, world) -> None:
    for name, pk in [
        ("casework:case_list", None),
        ("casework:case_detail", world.case.pk),
        ("casework:case_interviews", world.case.pk),
        ("casework:referral_detail", world.referral.pk),
    ]:
        assert client.get(reverse(name, args=[pk] if pk else None)).status_code == 200


def read_api(client, world) -> None:
    for path, params in [
        (url("case-detail", world.case.pk), None),
        (url("interview-list"), {"case": world.case.pk}),
        (url("referral-list"), None),
    ]:
        assert client.get(path, params).status_code == 200


SCREEN_READS = ["case.list", "case.read", "interview.read", "referral.read"]
API_READS = ["case.read", "interview.list", "referral.list"]


def test_a_replacement_reading_through_the_screens_is_journaled_as_a_replacement(client, world):
    sign_in(client, world.replacing.user)
    with on(DAY):
        read_screens(client, world)
    assert journal_of(world.replacing.user) == [(action, True) for action in SCREEN_READS]


def test_a_replacement_reading_through_the_api_is_journaled_as_a_replacement(client, world):
    sign_in(client, world.replacing.user)
    with on(DAY):
        read_api(client, world)
    assert journal_of(world.replacing.user) == [(action, True) for action in API_READS]


def test_the_worker_in_charge_reading_her_own_case_is_not(client, world):
    sign_in(client, world.worker.user)
    since = AuditEntry.objects.filter(actor=world.worker.user).count()
    with on(DAY):  # while she has a replacement: she still reads as the one in charge
        read_screens(client, world)
        read_api(client, world)
    reads = journal_of(world.worker.user)[since:]
    assert reads == [(action, False) for action in SCREEN_READS + API_READS]


def test_a_write_the_screen_never_flagged_is_journaled_as_a_replacement(client, world):
    # The consent-withdrawal form never passed a replacement flag: the journal knows anyway.
    sign_in(client, world.replacing.user)
    with on(DAY):
        response = client.post(
            reverse("casework:consent_withdraw", args=[world.case.pk]),
            {"retrait-withdrawn_on": DAY.isoformat()},
        )
    assert response.status_code == 302
    assert ("consent.withdraw", True) in journal_of(world.replacing.user)


def test_a_service_called_without_a_flag_journals_the_replacement(world):
    with on(DAY):
        records.objective_add(actor=world.replacing.user, case=world.case, title="Budget")
        records.objective_add(actor=world.worker.user, case=world.case, title="Logement")
    assert journal_of(world.replacing.user) == [("plan_objective.create", True)]
    assert journal_of(world.worker.user)[-1] == ("plan_objective.create", False)


def test_only_an_active_replacement_counts(world):
    after = REPLACEMENT[1] + dt.timedelta(days=1)
    with on(after):
        records.objective_add(actor=world.replacing.user, case=world.case, title="Budget")
    assert journal_of(world.replacing.user) == [("plan_objective.create", False)]


def test_a_counsellor_handing_over_a_caseload_is_not_a_replacement(world):
    successor = SocialWorkerFactory(team=world.worker.team)
    counsellor = world.worker.team.counsellor
    with on(DAY):
        cases.caseload_transfer(actor=counsellor, from_worker=world.worker, to_worker=successor)
    assert ("case.transfer", False) in journal_of(counsellor)
