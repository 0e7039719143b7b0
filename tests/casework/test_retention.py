"""The retention job: a case leaves the active base 2 years after the last contact with the
employee, is archived, then anonymised with the yearly statistics left unchanged."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from polesocial.casework.models import Case, Employee, Interview, Referral
from polesocial.casework.services import cases, records, referrals
from polesocial.casework.services.retention import ANONYMISED_FIELDS, DELETED_MODELS
from polesocial.notifications.models import Notification
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.fields import EncryptedTextField
from polesocial.privacy.models import AuditCheckpoint, AuditEntry
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import build_report
from tests.casework.employee_tables import models_referring_to_an_employee
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    PartnerFactory,
    SocialWorkerFactory,
    UserFactory,
    open_case_for,
)

pytestmark = pytest.mark.django_db

NOTE = "Mme Dupont-Lefèvre évoque un surendettement lié au loyer"
SECRETS = ("Dupont", "Éloïse", "Eloise", "1979-04-12", "12/04/1979", "surendettement")


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock the test moves forward: `clock.set(date)`."""

    class Clock:
        now = timezone.now()

        def set(self, day: dt.date) -> None:
            self.now = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def retention(*args) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def closed_case_of_2023(clock):
    clock.set(dt.date(2023, 3, 1))
    worker = SocialWorkerFactory()
    case = open_case_for(worker, opened_on=dt.date(2023, 3, 1))
    clock.set(dt.date(2023, 4, 1))
    user = worker.user
    records.interview_record(
        actor=user, case=case, occurred_on=dt.date(2023, 3, 10), place="operator_office",
        duration_minutes=45, notes=NOTE, private_note=NOTE,
    )  # fmt: skip
    objective = records.objective_add(actor=user, case=case, title=f"Sortir du {NOTE}")
    records.action_add(actor=user, objective=objective, description=NOTE)
    records.orientation_record(
        actor=user, case=case, partner=PartnerFactory(), oriented_on=dt.date(2023, 3, 20),
        purpose=NOTE,
    )  # fmt: skip
    document = records.document_upload(
        actor=user, case=case, name="arret-dupont.pdf", data=b"%PDF-1.4 " + NOTE.encode()
    )
    cases.case_close(
        actor=user, case=case, closed_on=dt.date(2023, 4, 1), reason="objectives_met", outcome=NOTE
    )
    return case, document


def nominative_leftovers() -> list[str]:
    """Every stored value, decrypted, of every table, that still holds a secret."""
    leftovers = []
    for model in apps.get_models():
        for row in model._default_manager.all():
            for f in model._meta.concrete_fields:
                value = str(f.value_from_object(row))
                if any(secret in value for secret in SECRETS):
                    leftovers.append(f"{model._meta.label}.{f.name}")
    return leftovers


def test_every_model_referring_to_an_employee_is_handled_by_the_retention_job():
    handled = set(ANONYMISED_FIELDS) | set(DELETED_MODELS)
    missing = models_referring_to_an_employee() - handled
    assert not missing, f"Ajoutez ces modèles au travail de conservation : {sorted(missing)}"


def test_every_free_text_of_those_models_is_emptied_on_anonymisation():
    for label, emptied in ANONYMISED_FIELDS.items():
        model = apps.get_model(label)
        texts = {f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)}
        texts.discard("birth_date")  # replaced by a placeholder date, see ANONYMOUS_BIRTH_DATE
        assert texts <= set(emptied), f"{label} : {sorted(texts - set(emptied))} jamais vidés"


def test_a_dry_run_changes_nothing(clock):
    case, _ = closed_case_of_2023(clock)
    clock.set(dt.date(2029, 1, 1))
    out = retention()
    assert "Simulation : 1 dossier(s) clos seraient archivés." in out
    case.refresh_from_db()
    assert case.archived_on is None


def test_a_closed_case_is_archived_after_two_years_then_anonymised_with_statistics_intact(
    clock, django_capture_on_commit_callbacks
):
    case, document = closed_case_of_2023(clock)
    report_before = build_report(2023, resolve_scope("operator"), controlled=False)

    clock.set(dt.date(2025, 3, 31))  # last contact 1 April 2023: still active
    retention("--wet-run")
    case.refresh_from_db()
    assert case.archived_on is None

    clock.set(dt.date(2025, 4, 2))
    out = retention("--wet-run")
    assert "1 dossier(s) clos archivé(s)." in out
    case.refresh_from_db()
    assert case.archived_on == dt.date(2025, 4, 2)
    assert case.interviews.get().notes == NOTE  # archived, not yet anonymised

    clock.set(dt.date(2028, 4, 3))  # 3 years in the archive
    with django_capture_on_commit_callbacks(execute=True):
        out = retention("--wet-run")
    assert "1 dossier(s) archivé(s) avant le 03/04/2025 anonymisé(s)." in out
    assert "1 agent(s) anonymisé(s)." in out
    assert nominative_leftovers() == []
    assert not default_storage.exists(document.storage_name)
    assert not Employee.objects.search("Dupont").exists()
    assert not Employee.objects.matching(
        EMPLOYEE_IDENTITY["last_name"], EMPLOYEE_IDENTITY["first_name"],
        EMPLOYEE_IDENTITY["birth_date"],
    ).exists()  # fmt: skip
    report_after = build_report(2023, resolve_scope("operator"), controlled=False)
    assert report_after == report_before
    assert "Journal d'audit intègre" in _verify()


def test_a_later_contact_with_another_worker_keeps_the_employee_active(clock):
    case, _ = closed_case_of_2023(clock)
    clock.set(dt.date(2024, 6, 1))
    other = SocialWorkerFactory()
    open_case_for(other, opened_on=dt.date(2024, 6, 1))  # same person, silently matched
    clock.set(dt.date(2025, 4, 2))
    retention("--wet-run")
    case.refresh_from_db()
    assert case.archived_on is None


def test_an_open_case_without_contact_is_flagged_to_its_worker_and_counsellor_never_archived(
    clock,
):
    clock.set(dt.date(2023, 3, 1))
    worker = SocialWorkerFactory()
    counsellor = UserFactory(role="counsellor")
    worker.team.counsellor = counsellor
    worker.team.save()
    case = open_case_for(worker, opened_on=dt.date(2023, 3, 1))
    clock.set(dt.date(2025, 3, 2))
    out = retention("--wet-run")
    assert "1 dossier(s) ouvert(s) signalé(s) à l'ASS et au conseiller." in out
    case.refresh_from_db()
    assert case.archived_on is None
    assert (
        Notification.objects.filter(recipient=worker.user, key__startswith="retention").count() == 1
    )
    assert counsellor.notifications.get(key__startswith="retention").title.startswith(
        f"Dossier {case.number}"
    )
    retention("--wet-run")  # a daily run does not notify again
    assert (
        Notification.objects.filter(recipient=worker.user, key__startswith="retention").count() == 1
    )


def test_a_referral_that_never_became_a_case_is_anonymised_after_two_years(clock):
    clock.set(dt.date(2023, 3, 1))
    referral = referrals.referral_create(
        actor=None, employer=EmployerFactory(), source="employee", reason=NOTE,
        person_last_name="Dupont-Lefèvre", person_first_name="Éloïse",
    )  # fmt: skip
    clock.set(dt.date(2025, 3, 2))
    out = retention("--wet-run")
    assert "1 saisine(s) restée(s) sans dossier anonymisée(s)." in out
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.reason, referral.person_last_name) == ("", "")
    assert referral.received_at.date() == dt.date(2023, 3, 1)  # still counted in 2023


def test_the_journal_is_purged_after_its_period_with_a_checkpoint(clock, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    closed_case_of_2023(clock)
    written = AuditEntry.objects.count()
    clock.set(dt.date(2024, 6, 1))
    out = retention("--wet-run")
    assert f"Journal d'audit : {written} entrée(s) antérieure(s) au 02/06/2023" in out
    checkpoint = AuditCheckpoint.latest()
    assert checkpoint.sequence == written
    assert not AuditEntry.objects.filter(sequence__lte=written).exists()
    assert AuditEntry.objects.filter(action=AuditAction.AUDIT_PURGE).exists()
    assert "Journal d'audit intègre" in _verify()


def test_journal_details_hold_no_nominative_text(clock):
    closed_case_of_2023(clock)
    clock.set(dt.date(2028, 4, 3))
    retention("--wet-run")
    for entry in AuditEntry.objects.all():
        assert not any(secret in str(entry.detail) for secret in SECRETS), entry


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_archived_case_leaves_its_workers_screens_and_cannot_be_reopened(clock):
    case, _ = closed_case_of_2023(clock)
    user = case.worker.user
    assert Case.objects.visible_by(user).filter(pk=case.pk).exists()
    clock.set(dt.date(2025, 4, 2))
    retention("--wet-run")
    assert not Case.objects.visible_by(user).filter(pk=case.pk).exists()
    assert not Interview.objects.visible_by(user).filter(case=case).exists()
    assert not Employee.objects.visible_by(user).filter(pk=case.employee_id).exists()
    assert not Referral.objects.visible_by(user).filter(pk=case.referral_id).exists()
    with pytest.raises(ValidationError, match="Ce dossier est archivé"):
        cases.case_reopen(actor=user, case=case, reopened_on=dt.date(2025, 4, 2))


def test_sign_in_attempts_and_notifications_are_deleted_after_the_journal_period(clock):
    from polesocial.users.models import LoginAttempt

    user = UserFactory()
    clock.set(dt.date(2023, 3, 1))  # model defaults read the real clock: pass the instants
    LoginAttempt.objects.create(username=user.email, ip_address="192.0.2.7", created_at=clock.now)
    Notification.objects.create(recipient=user, title="Saisine attribuée", created_at=clock.now)
    clock.set(dt.date(2024, 2, 1))
    LoginAttempt.objects.create(username=user.email, ip_address="192.0.2.8", created_at=clock.now)
    clock.set(dt.date(2024, 4, 1))
    assert "Simulation : 1 tentative(s) de connexion (avec adresse IP)" in retention()
    out = retention("--wet-run")
    assert "1 tentative(s) de connexion (avec adresse IP) supprimé(e)s." in out
    assert "1 notification(s) supprimé(e)s." in out
    assert list(LoginAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.8"]
    assert not Notification.objects.exists()


@pytest.mark.parametrize(("status", "kept"), [("done", True), ("cancelled", False)])
def test_an_appointment_with_the_employee_is_a_contact_unless_cancelled(clock, status, kept):
    from polesocial.appointments.models import Appointment

    case, _ = closed_case_of_2023(clock)
    start = dt.datetime(2024, 6, 3, 9, tzinfo=dt.UTC)
    Appointment.objects.create(
        worker=case.worker, employer=case.snapshot_employer, employee=case.employee,
        person_name="Éloïse Dupont", start=start, end=start + dt.timedelta(minutes=45),
        place="operator_office", booked_by=case.worker.user, status=status,
    )  # fmt: skip
    clock.set(dt.date(2025, 4, 2))  # two years after the case, not after the appointment
    retention("--wet-run")
    case.refresh_from_db()
    assert (case.archived_on is None) is kept
