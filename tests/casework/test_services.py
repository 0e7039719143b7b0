import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from polesocial.casework.models import Case, Employee, Interview, Referral
from polesocial.casework.services import cases, records, referrals
from polesocial.notifications.models import Notification
from polesocial.organisations.models import Replacement
from polesocial.privacy.models import AuditEntry
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    PartnerFactory,
    SocialWorkerFactory,
    UserFactory,
    open_case_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return SocialWorkerFactory()


def test_the_whole_path_from_referral_to_closure(worker):
    case = open_case_for(worker)
    assert case.number.startswith("D-2026-")
    assert case.snapshot_category == "C" and case.snapshot_family_situation == "single_parent"
    records.interview_record(
        actor=worker.user,
        case=case,
        occurred_on=dt.date(2026, 3, 9),
        place="workplace",
        duration_minutes=60,
        notes="Point sur le budget.",
    )
    objective = records.objective_add(actor=worker.user, case=case, title="Résorber la dette")
    records.action_add(
        actor=worker.user,
        objective=objective,
        description="Dossier FSL",
        due_on=dt.date(2026, 4, 1),
    )
    records.orientation_record(
        actor=worker.user,
        case=case,
        partner=PartnerFactory(),
        oriented_on=dt.date(2026, 3, 10),
        purpose="Aide au logement",
    )
    cases.case_close(
        actor=worker.user, case=case, closed_on=dt.date(2026, 6, 30), reason="objectives_met"
    )
    case.refresh_from_db()
    assert case.status == "closed"
    actions = list(
        AuditEntry.objects.filter(subject=f"casework.Case:{case.pk}").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "case.open",
        "interview.create",
        "plan_objective.create",
        "plan_action.create",
        "orientation.create",
        "case.close",
    ]


def test_assignment_notifies_the_worker(worker):
    referral = referrals.referral_create(
        actor=None,
        employer=EmployerFactory(team=worker.team),
        source="employee",
        reason="x",
        person_last_name="A",
        person_first_name="B",
    )
    referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)
    assert Notification.objects.filter(recipient=worker.user).exists()


def test_no_case_without_active_consent(worker):
    case = open_case_for(worker)
    consent = case.consent
    referrals.consent_withdraw(actor=worker.user, consent=consent, withdrawn_on=dt.date(2026, 3, 5))
    with pytest.raises(ValidationError, match="adhésion"):
        cases.case_open(
            actor=worker.user,
            employee=case.employee,
            consent=consent,
            domains=["work"],
            opened_on=dt.date(2026, 3, 6),
        )
    with pytest.raises(ValidationError, match="adhésion"):
        records.interview_record(
            actor=worker.user,
            case=case,
            occurred_on=dt.date(2026, 3, 9),
            place="phone",
            duration_minutes=30,
        )
    with pytest.raises(ValidationError, match="adhésion"):
        records.objective_add(actor=worker.user, case=case, title="x")
    # What exists stays, and the case can still be closed.
    cases.case_close(
        actor=worker.user, case=case, closed_on=dt.date(2026, 3, 9), reason="employee_choice"
    )
    assert Case.objects.filter(pk=case.pk, status="closed").exists()


@pytest.mark.parametrize(
    ("occurred_on", "minutes", "message"),
    [
        (dt.date(2099, 1, 1), 60, "futur"),
        (dt.date(2026, 3, 9), 481, "8 heures"),
        (dt.date(2026, 3, 9), 0, "au moins une minute"),
    ],
)
def test_bad_interviews_are_refused_with_a_reason(worker, occurred_on, minutes, message):
    case = open_case_for(worker)
    with pytest.raises(ValidationError, match=message):
        records.interview_record(
            actor=worker.user,
            case=case,
            occurred_on=occurred_on,
            place="phone",
            duration_minutes=minutes,
        )
    assert not Interview.objects.exists()


def test_a_closure_before_the_opening_is_refused(worker):
    case = open_case_for(worker)
    with pytest.raises(ValidationError, match="précéder l'ouverture"):
        cases.case_close(
            actor=worker.user, case=case, closed_on=dt.date(2026, 1, 1), reason="other"
        )


def test_reopening_keeps_the_closure_in_history(worker):
    case = open_case_for(worker)
    cases.case_close(
        actor=worker.user, case=case, closed_on=dt.date(2026, 4, 1), reason="no_contact"
    )
    cases.case_reopen(actor=worker.user, case=case, reopened_on=dt.date(2026, 5, 1))
    case.refresh_from_db()
    assert case.status == "open" and case.closed_on is None
    assert case.closures.get().reopened_on == dt.date(2026, 5, 1)


class TestSilentMatching:
    def test_a_second_referral_of_the_same_person_links_the_same_employee(self, worker):
        first = open_case_for(worker)
        colleague = SocialWorkerFactory()
        identity = {**EMPLOYEE_IDENTITY, "last_name": "DUPONT LEFEVRE", "first_name": "eloise"}
        second = open_case_for(colleague, identity=identity)
        assert second.employee_id == first.employee_id
        assert Employee.objects.count() == 1
        # The colleague learns nothing: she cannot see the first case.
        assert not Case.objects.visible_by(colleague.user).filter(pk=first.pk).exists()
        assert list(Case.objects.visible_by(colleague.user)) == [second]

    def test_each_worker_sees_the_person_as_she_recorded_them(self, worker):
        first = open_case_for(worker, identity={**EMPLOYEE_IDENTITY, "phone": "06 11 22 33 44"})
        colleague = SocialWorkerFactory()
        typed = {**EMPLOYEE_IDENTITY, "last_name": "DUPONT LEFEVRE", "first_name": "eloise"}
        second = open_case_for(colleague, identity=typed)
        assert second.employee_id == first.employee_id
        # Nothing the first worker typed reaches the colleague's case, and vice versa.
        assert (second.person.last_name, second.person.phone) == ("DUPONT LEFEVRE", "")
        first.refresh_from_db()
        assert (first.person.last_name, first.person.phone) == ("Dupont-Lefèvre", "06 11 22 33 44")


class TestReplacementAccess:
    def test_a_replacement_reads_the_cases_until_the_last_day_inclusive(self, worker, settings):
        case = open_case_for(worker)
        replacing = SocialWorkerFactory(team=worker.team)
        Replacement.objects.create(
            absent=worker,
            replacing=replacing,
            starts_on=dt.date(2026, 7, 1),
            ends_on=dt.date(2026, 7, 31),
            created_by=UserFactory(role="counsellor"),
        )
        visible = Case.objects.visible_by

        def on(day):
            from unittest import mock

            with mock.patch("django.utils.timezone.localdate", return_value=day):
                return visible(replacing.user).filter(pk=case.pk).exists()

        assert not on(dt.date(2026, 6, 30))
        assert on(dt.date(2026, 7, 1))
        assert on(dt.date(2026, 7, 31))
        assert not on(dt.date(2026, 8, 1))


def test_secret_fields_hold_no_plaintext_at_rest(worker):
    case = open_case_for(worker)
    records.interview_record(
        actor=worker.user,
        case=case,
        occurred_on=dt.date(2026, 3, 9),
        place="home",
        duration_minutes=45,
        notes="Violences conjugales évoquées",
        private_note="À revoir",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT assessment FROM casework_case")
        (assessment,) = cursor.fetchone()
        cursor.execute("SELECT notes, private_note FROM casework_interview")
        notes, private = cursor.fetchone()
        cursor.execute("SELECT reason, person_last_name FROM casework_referral")
        reason, last_name = cursor.fetchone()
    for raw in (assessment, notes, private, reason, last_name):
        assert raw.startswith("gAAAA")
    assert "Dettes" not in assessment and "Violences" not in notes
    assert Referral.objects.get().reason.startswith("Difficultés")


def test_documents_are_stored_encrypted(worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = open_case_for(worker)
    pdf = b"%PDF-1.4 Avis d'expulsion de M. Dupont"
    document = records.document_upload(actor=worker.user, case=case, name="avis.pdf", data=pdf)
    on_disk = (tmp_path / document.storage_name).read_bytes()
    assert b"Dupont" not in on_disk and b"%PDF" not in on_disk
    from polesocial.casework.documents import read_decrypted

    assert read_decrypted(document.storage_name) == pdf


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90", "non accepté"),
        ("faux.pdf", b"MZ\x90 not a pdf", "ne correspond pas"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_bad_documents_are_refused(worker, name, data, message):
    case = open_case_for(worker)
    with pytest.raises(ValidationError, match=message):
        records.document_upload(actor=worker.user, case=case, name=name, data=data)


def test_caseload_transfer_hands_over_the_referrals_still_in_progress(worker):
    employer = EmployerFactory(team=worker.team)

    def referral(outcome=None, first_name="Jeanne"):
        made = referrals.referral_create(
            actor=None, employer=employer, source="employer_hr", reason="Motif.",
            person_last_name="Dupont-Lefèvre", person_first_name=first_name,
        )  # fmt: skip
        referrals.referral_assign(actor=worker.user, referral=made, worker=worker)
        if outcome:
            referrals.first_assessment_record(
                actor=worker.user, referral=made, assessed_on=dt.date(2026, 3, 2),
                outcome=outcome,
                employee={**EMPLOYEE_IDENTITY, "first_name": first_name, "employer": employer},
            )  # fmt: skip
        return made

    waiting = referral()
    to_open = referral("open_case", "Lucie")
    answered = referral("information", "Zoé")
    colleague = SocialWorkerFactory(team=worker.team)
    counsellor = worker.team.counsellor
    cases.caseload_transfer(actor=counsellor, from_worker=worker, to_worker=colleague)
    holders = dict(Referral.objects.values_list("pk", "assigned_to"))
    assert holders[waiting.pk] == colleague.pk and holders[to_open.pk] == colleague.pk
    assert holders[answered.pk] == worker.pk  # done with: it stays where it was answered
    entry = AuditEntry.objects.get(action="referral.transfer")
    assert entry.actor == counsellor
    assert Notification.objects.filter(recipient=colleague.user).exists()


def test_caseload_transfer_moves_open_cases_only(worker):
    open_one = open_case_for(worker)
    closed = open_case_for(worker, identity={**EMPLOYEE_IDENTITY, "first_name": "Jeanne"})
    cases.case_close(actor=worker.user, case=closed, closed_on=dt.date(2026, 4, 1), reason="other")
    colleague = SocialWorkerFactory(team=worker.team)
    moved = cases.caseload_transfer(
        actor=worker.team.counsellor, from_worker=worker, to_worker=colleague
    )
    assert moved == 1
    open_one.refresh_from_db()
    closed.refresh_from_db()
    assert open_one.worker == colleague and closed.worker == worker
