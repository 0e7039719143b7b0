"""The DPO's journal names the staff member and the file's number, never content nor an
employee's name; she narrows it by person, file number, and by the employee named in a
request (journaled); the flags of unusual patterns are computed by privacy.journal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.privacy import journal
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.factories import EMPLOYEE_IDENTITY, SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db

OTHER = {**EMPLOYEE_IDENTITY, "last_name": "Martin", "first_name": "Paul"}


@pytest.fixture
def two_cases():
    worker = SocialWorkerFactory()
    hers = open_case_for(worker)
    other = open_case_for(worker, identity=OTHER)
    audit_log(actor=worker.user, action=AuditAction.CASE_READ, target=hers, subject=hers)
    audit_log(actor=worker.user, action=AuditAction.CASE_READ, target=other, subject=other)
    audit_log(actor=worker.user, action=AuditAction.CASE_LIST, targets=[hers, other])
    return worker, hers, other


def shown(response) -> list[int]:
    return [entry.pk for entry in response.context["page"]]


def test_each_entry_shows_the_staff_member_and_the_file_number_never_content(client_as, two_cases):
    worker, hers, _ = two_cases
    page = client_as(Role.DPO).get(reverse("privacy:audit_list")).content.decode()
    assert worker.user.full_name in page
    assert f"<td>{hers.number}</td>" in page
    assert "Consultation du dossier" in page
    for secret in ("Dupont", "Éloïse", "Dettes de loyer", "Martin"):
        assert secret not in page


def test_every_action_has_a_french_label_of_its_own():
    for action in AuditAction:
        assert action.label and action.label != action.value
    assert len({action.label for action in AuditAction}) == len(AuditAction)


def test_the_dpo_narrows_the_journal_to_one_staff_member(client_as, two_cases):
    worker, _, _ = two_cases
    dpo = client_as(Role.DPO)
    response = dpo.get(reverse("privacy:audit_list"), {"utilisateur": worker.user.pk})
    entries = AuditEntry.objects.filter(pk__in=shown(response))
    assert entries.exists() and {e.actor_id for e in entries} == {worker.user.pk}


def test_the_dpo_narrows_the_journal_to_one_file_by_its_number(client_as, two_cases):
    _, hers, other = two_cases
    response = client_as(Role.DPO).get(reverse("privacy:audit_list"), {"dossier": hers.number})
    entries = AuditEntry.objects.filter(pk__in=shown(response))
    actions = set(entries.values_list("action", flat=True))
    # Its own reads, and the list page that showed it among others.
    assert {AuditAction.CASE_READ, AuditAction.CASE_LIST} <= actions
    assert not entries.filter(subject=f"casework.Case:{other.pk}").exists()


def test_an_unknown_file_number_shows_nothing_and_says_so(client_as, two_cases):
    response = client_as(Role.DPO).get(reverse("privacy:audit_list"), {"dossier": "D-0000-999"})
    assert shown(response) == []
    assert "Aucun dossier ni saisine ne porte le numéro" in response.content.decode()


def identity_query(identity) -> dict:
    return {
        "agent_nom": identity["last_name"],
        "agent_prenom": identity["first_name"],
        "agent_naissance": identity["birth_date"].isoformat(),
    }


def test_the_employee_named_in_a_request_is_searched_by_full_identity_journaled(
    client_as, two_cases
):
    _, hers, other = two_cases
    dpo = client_as(Role.DPO)
    response = dpo.get(reverse("privacy:audit_list"), identity_query(EMPLOYEE_IDENTITY))
    entries = AuditEntry.objects.filter(pk__in=shown(response))
    assert entries.filter(subject=f"casework.Case:{hers.pk}").exists()
    assert not entries.filter(subject=f"casework.Case:{other.pk}").exists()
    search = AuditEntry.objects.filter(action=AuditAction.SUBJECT_SEARCH).get()
    assert search.actor == dpo.user
    assert search.object_ids == [hers.employee_id]
    assert search.detail == {"found": True, "screen": "journal"}


def test_a_partial_or_unknown_identity_finds_no_one(client_as, two_cases):
    dpo = client_as(Role.DPO)
    url = reverse("privacy:audit_list")
    partial = dpo.get(url, {"agent_nom": "Dupont-Lefèvre"})
    assert "Ce champ est obligatoire." in partial.content.decode()
    unknown = dpo.get(url, identity_query({**EMPLOYEE_IDENTITY, "first_name": "Anne"}))
    assert shown(unknown) == []
    assert AuditEntry.objects.get(action=AuditAction.SUBJECT_SEARCH).detail["found"] is False


# --- Flags -----------------------------------------------------------------------------------


DAY = dt.date(2026, 11, 17)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now: dt.datetime

        def at(self, day: dt.date, hour: int, minute: int = 0, second: int = 0):
            paris = timezone.get_default_timezone()
            self.now = dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=paris)

    frozen = Clock()
    # The set-up's own entries (a case opened, its journal) are written at a fixed working
    # hour: from the real clock, after 21:00 in Paris they were night accesses.
    frozen.at(DAY, 8, 30)
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def kinds(flags) -> set[str]:
    return {flag.kind for flag in flags}


def test_a_replacement_reading_many_cases_in_a_day_is_flagged(clock):
    replacing = UserFactory(role=Role.SOCIAL_WORKER)
    worker = SocialWorkerFactory()
    cases = [open_case_for(worker, identity={**OTHER, "first_name": f"P{i}"}) for i in range(12)]
    for minute, case in enumerate(cases):
        clock.at(DAY, 10, minute * 3)
        AuditEntry.append(
            actor=replacing,
            action=AuditAction.CASE_READ,
            object_type="casework.Case",
            object_ids=[case.pk],
            replacement=True,
            subject=f"casework.Case:{case.pk}",
        )
    flags = journal.unusual_patterns(AuditEntry.objects.filter(actor=replacing))
    assert kinds(flags) == {"replacement"}
    assert flags[0].count == 12 and flags[0].day == DAY and flags[0].actor_id == replacing.pk


def test_the_same_reads_by_the_worker_in_charge_raise_no_flag(clock):
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    for minute in range(12):
        clock.at(DAY, 10, minute * 3)
        audit_log(actor=worker.user, action=AuditAction.CASE_READ, target=case, subject=case)
    assert journal.unusual_patterns(AuditEntry.objects.filter(actor=worker.user)) == []


def test_access_at_night_is_flagged_but_not_the_system_jobs(clock):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    clock.at(DAY, 23, 40)
    audit_log(actor=worker, action=AuditAction.USER_SIGN_IN, target=worker)
    clock.at(DAY, 2, 0)
    audit_log(actor=None, action=AuditAction.RETENTION_ARCHIVE)
    clock.at(DAY, 14, 0)
    audit_log(actor=worker, action=AuditAction.USER_SIGN_IN, target=worker)
    flags = journal.unusual_patterns(AuditEntry.objects.all())
    assert [(f.kind, f.actor_id, f.count) for f in flags] == [("night", worker.pk, 1)]


def test_a_burst_of_reads_is_flagged_and_a_steady_pace_is_not(clock):
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    for second in range(0, 31 * 15, 15):  # 31 reads in under 8 minutes
        clock.at(DAY, 9, second // 60, second % 60)
        audit_log(actor=worker.user, action=AuditAction.CASE_READ, target=case, subject=case)
    steady = SocialWorkerFactory()
    steady_case = open_case_for(steady)
    for minute in range(0, 40 * 2, 2):  # 40 reads, one every 2 minutes
        clock.at(DAY, 14 + minute // 60, minute % 60)
        audit_log(actor=steady.user, action=AuditAction.CASE_READ, target=steady_case,
                  subject=steady_case)  # fmt: skip
    flags = journal.unusual_patterns(AuditEntry.objects.all())
    assert [(f.kind, f.actor_id) for f in flags] == [("burst", worker.user.pk)]


def test_the_journal_screen_shows_the_flags_of_the_period(client_as, clock):
    worker = UserFactory(role=Role.SOCIAL_WORKER, first_name="Nadia", last_name="Veilleur")
    clock.at(DAY, 23, 5)
    audit_log(actor=worker, action=AuditAction.USER_SIGN_IN, target=worker)
    clock.at(DAY + dt.timedelta(days=1), 10)
    page = client_as(Role.DPO).get(reverse("privacy:audit_list")).content.decode()
    assert "Accès de nuit" in page
    assert "Nadia Veilleur : 1 accès entre 21 h et 7 h" in page
