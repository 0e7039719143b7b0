"""Writes on what a case holds: interviews, plan, orientations, documents."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polesocial.billing.services import time_record_interview
from polesocial.casework import documents, rules
from polesocial.casework.enums import PlanItemStatus
from polesocial.casework.models import (
    Case,
    CaseDocument,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
)
from polesocial.casework.services.cases import check_case_writable
from polesocial.core.versioning import check_version
from polesocial.directory.models import Partner
from polesocial.organisations.models import Employer
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User


def _log(actor: User, action: AuditAction, target, case: Case) -> None:
    audit_log(actor=actor, action=action, target=target, subject=case)


@transaction.atomic
def interview_record(
    *,
    actor: User,
    case: Case,
    occurred_on: dt.date,
    place: str,
    duration_minutes: int,
    employer: Employer | None = None,
    notes: str = "",
    private_note: str = "",
) -> Interview:
    """Record an interview (never in the future, 8 h at most, with active consent)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_case_writable(case)
    rules.check_interview(
        occurred_on=occurred_on, duration_minutes=duration_minutes, today=timezone.localdate()
    )
    interview = Interview(
        case=case,
        occurred_on=occurred_on,
        place=place,
        duration_minutes=duration_minutes,
        # By default the employer the worker in charge recorded (never the shared row).
        employer_id=employer.pk if employer is not None else case.recorded_employer_id,
        notes=notes,
        private_note=private_note,
        author=actor,
    )
    interview.full_clean()
    interview.save()
    _log(actor, AuditAction.INTERVIEW_CREATE, interview, case)
    # Billing: the interview's duration is the actor's time for the employer charged.
    time_record_interview(actor=actor, interview=interview)
    return interview


@transaction.atomic
def objective_add(*, actor: User, case: Case, title: str) -> PlanObjective:
    check_case_writable(case)
    if not title.strip():
        raise ValidationError({"title": "Décrivez l'objectif."})
    objective = PlanObjective.objects.create(case=case, title=title.strip())
    _log(actor, AuditAction.PLAN_OBJECTIVE_CREATE, objective, case)
    return objective


@transaction.atomic
def action_add(
    *,
    actor: User,
    objective: PlanObjective,
    description: str,
    due_on: dt.date | None = None,
) -> PlanAction:
    check_case_writable(objective.case)
    if not description.strip():
        raise ValidationError({"description": "Décrivez l'action."})
    action = PlanAction.objects.create(
        objective=objective, description=description.strip(), due_on=due_on
    )
    _log(actor, AuditAction.PLAN_ACTION_CREATE, action, objective.case)
    return action


@transaction.atomic
def plan_item_set_status(
    *, actor: User, item: PlanObjective | PlanAction, status: str, version: int | None = None
):
    """Mark an objective or an action done, cancelled or to do."""
    case = item.case if isinstance(item, PlanObjective) else item.objective.case
    check_case_writable(case)
    if status not in PlanItemStatus.values:
        raise ValidationError({"status": "État inconnu."})
    check_version(item, version)
    item.status = status
    item.save(update_fields=["status"])
    action = (
        AuditAction.PLAN_OBJECTIVE_UPDATE
        if isinstance(item, PlanObjective)
        else AuditAction.PLAN_ACTION_UPDATE
    )
    _log(actor, action, item, case)
    return item


@transaction.atomic
def orientation_record(
    *,
    actor: User,
    case: Case,
    partner: Partner,
    oriented_on: dt.date,
    purpose: str,
) -> Orientation:
    check_case_writable(case)
    rules.check_not_future(oriented_on, timezone.localdate(), "oriented_on", "L'orientation")
    orientation = Orientation.objects.create(
        case=case, partner=partner, oriented_on=oriented_on, purpose=purpose
    )
    _log(actor, AuditAction.ORIENTATION_CREATE, orientation, case)
    return orientation


@transaction.atomic
def orientation_set_result(
    *, actor: User, orientation: Orientation, result: str, version: int | None = None
) -> Orientation:
    orientation.result = result
    orientation.full_clean()
    check_version(orientation, version)
    orientation.save(update_fields=["result"])
    _log(actor, AuditAction.ORIENTATION_UPDATE, orientation, orientation.case)
    return orientation


@transaction.atomic
def document_upload(*, actor: User, case: Case, name: str, data: bytes) -> CaseDocument:
    """Check and store a document encrypted; the file on disk holds no plaintext."""
    check_case_writable(case)
    content_type = documents.check_upload(name, data)
    # Written before the row: a rolled-back upload leaves an orphan file, encrypted.
    storage_name = documents.store_encrypted(data)
    document = CaseDocument.objects.create(
        case=case,
        name=name[:200],
        content_type=content_type,
        size=len(data),
        storage_name=storage_name,
        uploaded_by=actor,
    )
    _log(actor, AuditAction.CASE_DOCUMENT_CREATE, document, case)
    return document
