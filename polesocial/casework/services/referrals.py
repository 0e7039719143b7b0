from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from polesocial.casework import rules
from polesocial.casework.enums import AssessmentOutcome, ReferralStatus, Urgency
from polesocial.casework.models import Consent, Employee, FirstAssessment, Referral
from polesocial.casework.person import PersonRecord
from polesocial.casework.services.numbering import referral_number
from polesocial.notifications.services import notification_send
from polesocial.organisations.models import Employer, SocialWorker, Team
from polesocial.privacy.access import may_act_on
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User

STATISTICS_FIELDS = (
    "sex",
    "employer",
    "status",
    "category",
    "job",
    "working_time",
    "family_situation",
    "children_count",
)
EMPLOYEE_FIELDS = (
    "sex",
    "phone",
    "email",
    "address",
    "employer",
    "status",
    "category",
    "job",
    "working_time",
    "family_situation",
    "children_count",
)


@transaction.atomic
def referral_create(
    *,
    actor: User | None,
    employer: Employer,
    source: str,
    reason: str,
    person_last_name: str,
    person_first_name: str,
    person_contact: str = "",
    referrer_name: str = "",
    referrer_contact: str = "",
    urgency: str = Urgency.NORMAL,
    received_at: dt.datetime | None = None,
) -> Referral:
    """Record a referral; it lands in the queue of the team serving the employer."""
    received_at = received_at or timezone.now()
    referral = Referral(
        number=referral_number(timezone.localtime(received_at).year),
        employer=employer,
        source=source,
        reason=reason,
        person_last_name=person_last_name.strip(),
        person_first_name=person_first_name.strip(),
        person_contact=person_contact,
        referrer_name=referrer_name,
        referrer_contact=referrer_contact,
        urgency=urgency,
        received_at=received_at,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    referral.full_clean()
    referral.save()
    audit_log(actor=actor, action=AuditAction.REFERRAL_CREATE, target=referral, subject=referral)
    _notify_team(referral)
    return referral


def _notify_team(referral: Referral) -> None:
    team = referral.employer.team
    if team is None:
        return
    notification_send(
        recipients=team.current_leads(),  # the counsellor's interim too, while it runs
        title=f"Nouvelle saisine {referral.number} ({referral.employer})",
        body="Une saisine attend dans la file d'attente de l'équipe.",
        url=reverse("casework:queue"),
        key=f"referral:{referral.pk}:received",
    )


NOT_YOUR_QUEUE = (
    "Vous n'encadrez pas l'équipe qui sert cet employeur : "
    "seule sa responsable (ou son intérim) attribue cette saisine."
)


@transaction.atomic
def referral_assign(*, actor: User, referral: Referral, worker: SocialWorker) -> Referral:
    """Give a waiting referral to a worker, who is told in the application and by e-mail."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == ReferralStatus.ASSESSED:
        raise ValidationError("Cette saisine est déjà évaluée : elle ne peut plus être attribuée.")
    if referral.employer.team_id and worker.team_id != referral.employer.team_id:
        raise ValidationError("Cette ASS n'appartient pas à l'équipe qui sert cet employeur.")
    taking = actor.pk == worker.user_id  # a worker of the team takes it from the queue
    if not taking and not may_act_on("led", Team, referral.employer.team_id, actor):
        raise ValidationError(NOT_YOUR_QUEUE)
    referral.assigned_to = worker
    referral.assigned_at = timezone.now()
    referral.status = ReferralStatus.ASSIGNED
    referral.save(update_fields=["assigned_to", "assigned_at", "status"])
    audit_log(actor=actor, action=AuditAction.REFERRAL_ASSIGN, target=referral, subject=referral)
    notification_send(
        recipients=[worker.user],
        title=f"Saisine {referral.number} attribuée",
        body=f"Une saisine ({referral.employer}) vous est attribuée.",
        url=reverse("casework:referral_detail", args=[referral.pk]),
        key=f"referral:{referral.pk}:assigned:{worker.pk}",
    )
    return referral


TAKEN_BY_A_COLLEAGUE = "Cette saisine vient d'être prise par une collègue."


@transaction.atomic
def referral_take(*, actor: User, referral: Referral) -> Referral:
    """A worker takes a referral of her team's queue.

    `referral` may be a copy read before a colleague took it: the check is made again on
    the row locked until the end of the transaction, so of two workers taking it at once,
    exactly one has it and the other is told.
    """
    worker = getattr(actor, "social_worker", None)
    if worker is None:
        raise ValidationError("Seule une ASS peut prendre une saisine.")
    if referral.assigned_to_id and referral.assigned_to_id != worker.pk:
        raise ValidationError("Cette saisine est déjà attribuée à une collègue.")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.assigned_to_id and locked.assigned_to_id != worker.pk:
        raise ValidationError(TAKEN_BY_A_COLLEAGUE, code="taken_by_a_colleague")
    return referral_assign(actor=actor, referral=locked, worker=worker)


def employee_match_or_create(*, last_name: str, first_name: str, birth_date, **fields) -> Employee:
    """Silent matching: an employee already known (same normalised names and birth date)
    is reused; the caller is told nothing either way.

    On a match, only the employment and household fields are refreshed (they feed the
    statistics); names as typed and contact stay the first worker's, and no screen shows
    this row anyway: each worker sees her own record (casework.person).
    """
    matching = Employee.objects.matching(last_name, first_name, birth_date)
    employee = matching.select_for_update().first()
    refreshed: tuple[str, ...] = STATISTICS_FIELDS
    if employee is None:
        employee = Employee(last_name=last_name, first_name=first_name, birth_date=birth_date)
        refreshed = EMPLOYEE_FIELDS
    for name in refreshed:
        value = fields.get(name)
        if value not in (None, ""):
            setattr(employee, name, value)
    employee.full_clean(exclude=["name_words", "match_key"])
    employee.save()
    return employee


@transaction.atomic
def first_assessment_record(
    *,
    actor: User,
    referral: Referral,
    assessed_on: dt.date,
    outcome: str,
    notes: str = "",
    employee: dict,
) -> FirstAssessment:
    """Qualify a referral by phone, confirming the employee's identity (matched silently)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    worker = referral.assigned_to
    if worker is None:
        raise ValidationError("Attribuez d'abord la saisine à une ASS.")
    if FirstAssessment.objects.filter(referral=referral).exists():
        raise ValidationError("Cette saisine a déjà son évaluation téléphonique.")
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "L'évaluation ne peut pas être datée dans le futur."})
    rules.check_birth_date(employee.get("birth_date"), today=timezone.localdate())
    referral.employee = employee_match_or_create(**employee)
    referral.status = ReferralStatus.ASSESSED
    referral.save(update_fields=["employee", "status"])
    assessment = FirstAssessment.objects.create(
        referral=referral,
        assessed_on=assessed_on,
        outcome=outcome,
        notes=notes,
        worker=worker,
        person_data=PersonRecord.from_fields(employee).to_json(),
    )
    audit_log(
        actor=actor,
        action=AuditAction.REFERRAL_ASSESS,
        target=referral,
        subject=referral,
    )
    return assessment


@transaction.atomic
def consent_record(
    *,
    actor: User,
    employee: Employee,
    given_on: dt.date,
    form: str,
    scope: list[str] | None = None,
    referral: Referral | None = None,
) -> Consent:
    """Record the employee's agreement to the intervention (date, form, scope).

    On a referral: after a first assessment that concludes to open a case, and once (a
    second consent while the first is active is refused).
    """
    if referral is not None:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        rules.check_assessment_opens_case(FirstAssessment.objects.filter(referral=referral).first())
        if Consent.objects.filter(referral=referral).active().exists():
            raise ValidationError(rules.CONSENT_ALREADY, code="consent_already")
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "L'adhésion ne peut pas être datée dans le futur."})
    consent = Consent(
        employee=employee,
        referral=referral,
        given_on=given_on,
        form=form,
        scope=list(scope or []),
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    audit_log(
        actor=actor,
        action=AuditAction.CONSENT_RECORD,
        target=consent,
        subject=referral or employee,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: dt.date) -> Consent:
    """Withdrawal blocks new interviews and plan changes; what exists stays."""
    if consent.withdrawn_on is not None:
        raise ValidationError("Cette adhésion est déjà retirée.")
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": "Le retrait ne peut pas précéder l'adhésion."})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": "Le retrait ne peut pas être daté dans le futur."})
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    # Shown in the history of the case it covers (or of the employee before any case).
    subject = consent.cases.order_by("-pk").first() or consent.employee
    audit_log(
        actor=actor,
        action=AuditAction.CONSENT_WITHDRAW,
        target=consent,
        subject=subject,
    )
    return consent


def assessment_opens_case(assessment: FirstAssessment) -> bool:
    return assessment.outcome == AssessmentOutcome.OPEN_CASE
