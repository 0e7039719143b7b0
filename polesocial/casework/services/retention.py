"""The retention job (CNIL référentiel 2023-095): what leaves the active base, and when.

"Last contact" is per employee, across workers: the latest referral received about him,
first assessment, consent, case opening or closure, interview or orientation. When it is
older than `RETENTION_ACTIVE_YEARS` (2 by default):

- his closed cases move to the **archive** (`Case.archived_on`);
- an open case is never archived silently: its worker and the team's counsellor are
  **notified** (case number and link only), once per last-contact date;
- his referrals that never became a case (refused, declined, never answered) are
  **anonymised**: there is no archive to open them from.

Archived cases older than `RETENTION_ARCHIVE_YEARS` are **anonymised**: every free text
(`ANONYMISED_FIELDS`) emptied, documents deleted with their files, the referral and first
assessment behind the case emptied too. Rows, dates, codes and the statistical snapshot are
kept, so the yearly reports stay exactly the same. Once nothing about an employee is left
but anonymised rows, his identity and blind indexes are removed too.

Every model that refers to an employee, directly or through a case or a referral, appears
in `ANONYMISED_FIELDS` (or `DELETED_MODELS`): tests/casework/test_retention.py enumerates
the foreign keys and fails when a new table is missing here. The journal is never edited:
it holds identifiers and codes only, and is purged after its own period (`audit_purge`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from polesocial.casework import documents
from polesocial.casework.enums import CaseStatus
from polesocial.casework.models import (
    Case,
    CaseClosure,
    CaseDocument,
    Consent,
    Employee,
    ErasureRequest,
    FirstAssessment,
    Handoff,
    Interview,
    MobilityFollowUp,
    Orientation,
    PlanAction,
    PlanObjective,
    Referral,
    SubjectAccessRequest,
)
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

# The free text of each model, emptied on anonymisation. Models with none are listed with
# an empty tuple: reviewed, nothing nominative beyond codes and dates.
ANONYMISED_FIELDS: dict[str, tuple[str, ...]] = {
    "casework.Case": ("assessment", "person_data"),
    "casework.CaseDomain": (),
    "casework.CaseClosure": ("outcome",),
    "casework.Interview": ("notes", "private_note"),
    "casework.PlanObjective": ("title",),
    "casework.PlanAction": ("description",),
    "casework.Orientation": ("purpose",),
    "casework.Referral": (
        "referrer_name",
        "referrer_contact",
        "reason",
        "person_last_name",
        "person_first_name",
        "person_contact",
    ),
    "casework.FirstAssessment": ("notes", "person_data"),
    "casework.Consent": (),
    "casework.Handoff": ("note",),
    "casework.MobilityFollowUp": ("note",),
    "casework.Employee": ("last_name", "first_name", "phone", "email", "address", "job"),
    # The requests about his data (casework.services.data_requests): the prepared export
    # and the DPO's motives go with his identity; dates, steps and decisions stay.
    "casework.SubjectAccessRequest": ("export_data", "balancing_motive"),
    "casework.ErasureRequest": ("decision_motive",),
    "appointments.Appointment": ("person_name", "contact_email", "contact_phone", "video_link"),
    # Material aid (aid app): amounts, dates and codes stay for the yearly figures.
    "aid.AidRequest": ("justification", "budget_data", "committee_summary"),
    "aid.AidDecision": ("motive",),
    "aid.AidPayment": ("payee_name",),
    "aid.LoanInstalment": (),
}
# Rows deleted on anonymisation (with their files): a document cannot be emptied.
DELETED_MODELS = ("casework.CaseDocument",)
# An anonymised employee keeps a birth date (the column cannot be empty): this one.
ANONYMOUS_BIRTH_DATE = dt.date(1900, 1, 1)

Progress = Callable[[str, int, int], None]


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def active_cutoff(today: dt.date) -> dt.date:
    """A last contact before this day takes the employee out of the active base."""
    return years_before(today, settings.RETENTION_ACTIVE_YEARS)


def archive_cutoff(today: dt.date) -> dt.date:
    """A case archived before this day is anonymised."""
    return years_before(today, settings.RETENTION_ARCHIVE_YEARS)


def last_contacts() -> dict[int, dt.date]:
    """The date of the latest contact with each employee, whoever the worker."""
    sources = (
        (Referral.objects.filter(employee__isnull=False), "employee", "received_at__date"),
        (FirstAssessment.objects.filter(referral__employee__isnull=False), "referral__employee",
         "assessed_on"),
        (Consent.objects.all(), "employee", "given_on"),
        (Case.objects.all(), "employee", "opened_on"),
        (Case.objects.filter(closed_on__isnull=False), "employee", "closed_on"),
        (Interview.objects.all(), "case__employee", "occurred_on"),
        (Orientation.objects.all(), "case__employee", "oriented_on"),
        # Also contacts: his appointments (kept or not, but not cancelled), the mobility
        # adviser's follow-up, and every step of an aid file (issues 16, 17, 18).
        (apps.get_model("appointments", "Appointment").objects.filter(employee__isnull=False)
         .exclude(status="cancelled"), "employee", "start__date"),
        (apps.get_model("casework", "MobilityFollowUp").objects.all(),
         "handoff__case__employee", "occurred_on"),
        (apps.get_model("aid", "AidRequest").objects.all(), "case__employee", "created_at__date"),
        (apps.get_model("aid", "AidDecision").objects.all(), "request__case__employee",
         "decided_on"),
        (apps.get_model("aid", "AidPayment").objects.all(), "request__case__employee", "paid_on"),
    )  # fmt: skip
    latest: dict[int, dt.date] = {}
    for queryset, employee, day in sources:
        rows = queryset.order_by().values(employee).annotate(last=Max(day))
        for row in rows.values_list(employee, "last"):
            pk, last = row
            if last is not None and (pk not in latest or last > latest[pk]):
                latest[pk] = last
    return latest


@dataclass
class RetentionPlan:
    """What the job would do on `today`, computed before any change."""

    today: dt.date
    inactive_employees: set[int] = field(default_factory=set)
    to_archive: list[int] = field(default_factory=list)
    to_flag: list[int] = field(default_factory=list)
    to_anonymise: list[int] = field(default_factory=list)
    referrals_to_anonymise: list[int] = field(default_factory=list)


def retention_plan(*, today: dt.date) -> RetentionPlan:
    """The cases to archive, flag and anonymise, and the stray referrals, on `today`."""
    cutoff = active_cutoff(today)
    contacts = last_contacts()
    inactive = {pk for pk, last in contacts.items() if last < cutoff}
    plan = RetentionPlan(today=today, inactive_employees=inactive)
    cases = Case.objects.filter(employee__in=inactive, archived_on__isnull=True).order_by("pk")
    plan.to_archive = list(cases.filter(status=CaseStatus.CLOSED).values_list("pk", flat=True))
    plan.to_flag = list(cases.filter(status=CaseStatus.OPEN).values_list("pk", flat=True))
    archived = Case.objects.filter(
        archived_on__lt=archive_cutoff(today), anonymised_on__isnull=True
    )
    plan.to_anonymise = list(archived.order_by("pk").values_list("pk", flat=True))
    stray = Referral.objects.filter(
        cases__isnull=True, anonymised_on__isnull=True, received_at__date__lt=cutoff
    ).filter(Q(employee__isnull=True) | Q(employee__in=inactive))
    plan.referrals_to_anonymise = list(stray.order_by("pk").values_list("pk", flat=True))
    return plan


@dataclass
class RetentionResult:
    archived: int = 0
    flagged: int = 0
    anonymised_cases: int = 0
    anonymised_referrals: int = 0
    anonymised_employees: int = 0
    deleted_documents: int = 0


def retention_run(
    *, plan: RetentionPlan, batch_size: int = 200, on_progress: Progress | None = None
) -> RetentionResult:
    """Apply `plan`: archive, flag, anonymise, in batches that each commit with their
    journal entry (a run stopped midway is resumed by the next one)."""
    result = RetentionResult()
    steps = (
        ("archivage", plan.to_archive, _archive),
        ("signalement", plan.to_flag, _flag),
        ("anonymisation des dossiers", plan.to_anonymise, _anonymise_cases),
        ("anonymisation des saisines", plan.referrals_to_anonymise, _anonymise_referrals),
    )
    for label, pks, apply in steps:
        for start in range(0, len(pks), batch_size):
            with transaction.atomic():
                apply(pks[start : start + batch_size], plan.today, result)
            if on_progress is not None:
                on_progress(label, min(start + batch_size, len(pks)), len(pks))
    with transaction.atomic():
        _anonymise_employees(plan, result)
    return result


def _archive(pks: list[int], today: dt.date, result: RetentionResult) -> None:
    cases = list(Case.objects.filter(pk__in=pks, archived_on__isnull=True))
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(archived_on=today)
    if cases:
        audit_log(actor=None, action=AuditAction.RETENTION_ARCHIVE, targets=cases)
    result.archived += len(cases)


def _flag(pks: list[int], today: dt.date, result: RetentionResult) -> None:
    from polesocial.notifications.services import notification_send

    cases = Case.objects.filter(pk__in=pks).select_related("worker__user", "worker__team")
    for case in cases:
        team = case.worker.team
        recipients = [case.worker.user, *([team.counsellor] if team and team.counsellor else [])]
        notification_send(
            recipients=recipients,
            title=f"Dossier {case.number} sans contact depuis plus de "
            f"{settings.RETENTION_ACTIVE_YEARS} ans",
            body="Ce dossier est encore ouvert : clôturez-le s'il n'a plus lieu d'être, "
            "afin qu'il rejoigne l'archive à la prochaine échéance de conservation.",
            url=reverse("casework:case_detail", args=[case.pk]),
            key=f"retention:case:{case.pk}:{active_cutoff(today).year}",
        )
        result.flagged += 1
    if pks:
        audit_log(actor=None, action=AuditAction.RETENTION_FLAG, targets=list(cases))


def _empty(label: str) -> dict[str, str]:
    return dict.fromkeys(ANONYMISED_FIELDS[label], "")


def _anonymise_cases(pks: list[int], today: dt.date, result: RetentionResult) -> None:
    cases = list(Case.objects.filter(pk__in=pks, anonymised_on__isnull=True))
    if not cases:
        return
    pks = [c.pk for c in cases]
    in_cases = Q(case__in=pks)
    Case.objects.filter(pk__in=pks).update(anonymised_on=today, **_empty("casework.Case"))
    for model in (Interview, Orientation, CaseClosure, PlanObjective):
        model.objects.filter(in_cases).update(**_empty(model._meta.label))
    PlanAction.objects.filter(objective__case__in=pks).update(**_empty("casework.PlanAction"))
    Handoff.objects.filter(in_cases).update(anonymised_on=today, **_empty("casework.Handoff"))
    MobilityFollowUp.objects.filter(handoff__case__in=pks).update(
        **_empty("casework.MobilityFollowUp")
    )
    result.deleted_documents += _delete_documents(CaseDocument.objects.filter(in_cases))
    _anonymise_aid(pks)
    referrals = Referral.objects.filter(cases__in=pks).values_list("pk", flat=True)
    _empty_referrals(set(referrals), today)
    audit_log(actor=None, action=AuditAction.RETENTION_ANONYMISE_CASE, targets=cases)
    result.anonymised_cases += len(cases)


def _anonymise_aid(case_pks: list[int]) -> None:
    from polesocial.aid.models import AidDecision, AidPayment, AidRequest

    AidRequest.objects.filter(case__in=case_pks).update(**_empty("aid.AidRequest"))
    for model in (AidDecision, AidPayment):
        model.objects.filter(request__case__in=case_pks).update(**_empty(model._meta.label))


def _delete_documents(queryset) -> int:
    """Delete the documents and their encrypted files (after the commit, so that a rolled
    back batch never loses a file its row still names)."""
    names = list(queryset.values_list("storage_name", flat=True))
    count, _ = queryset.delete()
    for name in names:
        transaction.on_commit(partial(documents.delete_stored, name))
    return count


def _empty_referrals(pks: Iterable[int], today: dt.date) -> None:
    Referral.objects.filter(pk__in=pks).update(anonymised_on=today, **_empty("casework.Referral"))
    FirstAssessment.objects.filter(referral__in=pks).update(**_empty("casework.FirstAssessment"))


def _anonymise_referrals(pks: list[int], today: dt.date, result: RetentionResult) -> None:
    referrals = list(Referral.objects.filter(pk__in=pks, anonymised_on__isnull=True))
    if not referrals:
        return
    _empty_referrals([r.pk for r in referrals], today)
    audit_log(actor=None, action=AuditAction.RETENTION_ANONYMISE_REFERRAL, targets=referrals)
    result.anonymised_referrals += len(referrals)


def _anonymise_employees(plan: RetentionPlan, result: RetentionResult) -> None:
    """Remove the identity of inactive employees of whom only anonymised rows are left."""
    still_held = Q(cases__anonymised_on__isnull=True, cases__isnull=False) | Q(
        referrals__anonymised_on__isnull=True, referrals__isnull=False
    )
    employees = list(
        Employee.objects.filter(pk__in=plan.inactive_employees, anonymised_on__isnull=True)
        .exclude(pk__in=Employee.objects.filter(still_held).values("pk"))
        .order_by("pk")
    )
    pks = [employee.pk for employee in employees]
    SubjectAccessRequest.objects.filter(employee__in=pks).update(
        redactions=[], **_empty("casework.SubjectAccessRequest")
    )
    ErasureRequest.objects.filter(employee__in=pks).update(**_empty("casework.ErasureRequest"))
    # His appointments keep their dates and statuses (reports), not his name or contact.
    Appointment = apps.get_model("appointments", "Appointment")
    Appointment.objects.filter(employee__in=employees).update(
        anonymised_on=plan.today, **_empty("appointments.Appointment")
    )
    for employee in employees:
        Employee.objects.filter(pk=employee.pk).update(
            anonymised_on=plan.today,
            birth_date=ANONYMOUS_BIRTH_DATE,
            name_words="",
            # Unique and meaningless: no identity can ever match it again.
            match_key=f"anonymised-{employee.pk}",
            **_empty("casework.Employee"),
        )
    if employees:
        audit_log(actor=None, action=AuditAction.RETENTION_ANONYMISE_EMPLOYEE, targets=employees)
    result.anonymised_employees += len(employees)


def traces_to_purge(*, before: dt.datetime) -> dict[str, models.QuerySet]:
    """Traces kept no longer than the journal (CNIL journalisation: 6 months to 1 year):
    sign-in attempts with their IP addresses, and notifications."""
    from polesocial.casework.models import SelfReferralAttempt
    from polesocial.notifications.models import Notification
    from polesocial.users.models import LoginAttempt

    return {
        "tentative(s) de connexion (avec adresse IP)": LoginAttempt.objects.filter(
            created_at__lt=before
        ),
        "notification(s)": Notification.objects.filter(created_at__lt=before),
        # The public page's rate limit needs its addresses for one window only.
        "envoi(s) de la page publique (avec adresse IP)": SelfReferralAttempt.objects.filter(
            created_at__lt=timezone.now()
            - dt.timedelta(seconds=settings.SELF_REFERRAL_WINDOW_SECONDS)
        ),
    }


@transaction.atomic
def traces_purge(*, before: dt.datetime) -> dict[str, int]:
    """Delete the traces older than `before`; how many of each."""
    return {label: rows.delete()[0] for label, rows in traces_to_purge(before=before).items()}
