"""An employee's requests about his data, handled by the DPO: access (GDPR art. 15) and
erasure (art. 17).

Subject access: received → prepared (the export is computed once and kept, encrypted; the
worker in charge is asked to review it) → reviewed (she marks the fields that concern third
parties, art. 15(4)) → released (the export less those fields, as JSON and PDF). The DPO
records, before release, her balancing decision on staff names in the accesses (CJEU
C-579/21), with its motive. She never reads the content on screen: she sees counts, dates
and steps. Every step is journaled with ids only.

Erasure: received → decided. The screen explains the legal limits; a granted erasure
anonymises the employee's files exactly as the retention job does (its functions), so the
yearly statistics stay the same.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.enums import CaseStatus
from polesocial.casework.models import (
    Case,
    Employee,
    ErasureDecision,
    ErasureRequest,
    Referral,
    SubjectAccessRequest,
    SubjectRequestStatus,
)
from polesocial.casework.subject_access import ACTOR_KEY, subject_export
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

MOTIVE_MIN_LENGTH = 20
REDACTED = "[occulté : concerne un tiers (RGPD art. 15-4)]"


def _check_motive(motive: str) -> str:
    motive = " ".join((motive or "").split())
    if len(motive) < MOTIVE_MIN_LENGTH:
        raise ValidationError(f"Motivez la décision : au moins {MOTIVE_MIN_LENGTH} caractères.")
    return motive


def _check_status(request: SubjectAccessRequest, *expected: str) -> None:
    if request.status not in expected:
        labels = ", ".join(str(SubjectRequestStatus(s).label).lower() for s in expected)
        raise ValidationError(
            f"Étape impossible : la demande est « {request.get_status_display()} », "
            f"elle devrait être : {labels}."
        )


@transaction.atomic
def subject_request_receive(*, actor, employee: Employee, received_on: dt.date):
    """Record a subject-access request about `employee` (found by his full identity)."""
    if received_on > timezone.localdate():
        raise ValidationError("La date de réception ne peut pas être dans le futur.")
    request = SubjectAccessRequest.objects.create(
        employee=employee, received_on=received_on, received_by=actor
    )
    audit_log(actor=actor, action=AuditAction.SUBJECT_REQUEST_RECEIVE, target=request,
              detail={"employee": employee.pk})  # fmt: skip
    return request


def reviewer_for(employee: Employee):
    """The worker in charge of the employee's latest case, else of his latest referral."""
    case = Case.objects.filter(employee=employee).order_by("-opened_on", "-pk").first()
    if case is not None:
        return case.worker
    referral = (
        Referral.objects.filter(employee=employee, assigned_to__isnull=False)
        .order_by("-received_at", "-pk")
        .first()
    )
    return referral.assigned_to if referral is not None else None


@transaction.atomic
def subject_request_prepare(*, actor, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Compute the export once, keep it encrypted, and ask the worker in charge to review it."""
    from polesocial.notifications.services import notification_send

    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    _check_status(request, SubjectRequestStatus.RECEIVED)
    reviewer = reviewer_for(request.employee)
    if reviewer is None or not reviewer.user.is_active:
        raise ValidationError(
            "Aucune ASS en charge active ne peut relire cet export : désignez-en une avant de "
            "le préparer."
        )
    export = subject_export(actor=actor, employee=request.employee, with_actors=True)
    request.export_data = json.dumps(export, ensure_ascii=False)
    request.reviewer, request.prepared_at = reviewer, timezone.now()
    request.status = SubjectRequestStatus.PREPARED
    request.save(update_fields=["export_data", "reviewer", "prepared_at", "status"])
    audit_log(actor=actor, action=AuditAction.SUBJECT_REQUEST_PREPARE, target=request,
              detail={"reviewer": reviewer.pk})  # fmt: skip
    notification_send(
        recipients=[reviewer.user],
        title=f"Droit d'accès : export n° {request.pk} à relire",
        body="Relisez l'export et occultez ce qui concerne des tiers avant sa remise.",
        url=reverse("casework:subject_request_review", args=[request.pk]),
        key=f"subject_request:{request.pk}:review",
    )
    return request


@transaction.atomic
def subject_request_balance(
    *, actor, request: SubjectAccessRequest, disclose: bool, motive: str
) -> SubjectAccessRequest:
    """The DPO's balancing decision on staff names in the accesses, with its motive (kept
    encrypted on the request; the journal holds the decision only)."""
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == SubjectRequestStatus.RELEASED:
        raise ValidationError("La demande est déjà remise : la décision ne peut plus changer.")
    request.balancing_motive = _check_motive(motive)
    request.names_disclosed, request.balanced_at = disclose, timezone.now()
    request.save(update_fields=["balancing_motive", "names_disclosed", "balanced_at"])
    audit_log(actor=actor, action=AuditAction.SUBJECT_REQUEST_BALANCE, target=request,
              detail={"names_disclosed": disclose})  # fmt: skip
    return request


def prepared_export(request: SubjectAccessRequest) -> dict:
    return json.loads(request.export_data) if request.export_data else {}


def redactable_fields(export: dict):
    """(table, row id, field, value) of every non-empty text of the export: what the
    reviewing worker may withhold."""
    for section in export.get("données", []):
        for pk, row in zip(section["identifiants"], section["lignes"], strict=True):
            for field, value in row.items():
                if isinstance(value, str) and value.strip():
                    yield section["table"], pk, field, value


@transaction.atomic
def subject_request_review(
    *, actor, request: SubjectAccessRequest, redactions: list[dict]
) -> SubjectAccessRequest:
    """The reviewing worker marks the fields to withhold (third parties) and passes the
    export on for release. Only fields of the prepared export can be marked."""
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    _check_status(request, SubjectRequestStatus.PREPARED)
    if request.reviewer is None or request.reviewer.user_id != actor.pk:
        raise ValidationError("Seule l'ASS désignée relit cet export.")
    known = {(t, pk, f) for t, pk, f, _ in redactable_fields(prepared_export(request))}
    marked = [(r.get("table"), r.get("row"), r.get("field")) for r in redactions]
    if not set(marked) <= known:
        raise ValidationError("Une occultation ne correspond à aucun champ de l'export.")
    request.redactions = [{"table": t, "row": pk, "field": f} for t, pk, f in dict.fromkeys(marked)]
    request.status, request.reviewed_at = SubjectRequestStatus.REVIEWED, timezone.now()
    request.save(update_fields=["redactions", "status", "reviewed_at"])
    audit_log(actor=actor, action=AuditAction.SUBJECT_REQUEST_REVIEW, target=request,
              detail={"redactions": len(request.redactions)})  # fmt: skip
    return request


@transaction.atomic
def subject_request_release(*, actor, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Release the reviewed export; the balancing decision must have been made."""
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    _check_status(request, SubjectRequestStatus.REVIEWED)
    if request.names_disclosed is None:
        raise ValidationError(
            "Enregistrez d'abord la décision de mise en balance sur les noms des personnels."
        )
    request.status, request.released_at = SubjectRequestStatus.RELEASED, timezone.now()
    request.save(update_fields=["status", "released_at"])
    audit_log(actor=actor, action=AuditAction.SUBJECT_REQUEST_RELEASE, target=request)
    return request


def released_export(request: SubjectAccessRequest) -> dict:
    """The export as released: the marked fields withheld, staff named in the accesses only
    if the DPO decided so. Refused before release."""
    if request.status != SubjectRequestStatus.RELEASED:
        raise ValidationError("L'export n'est remis qu'une fois relu et la demande remise.")
    export = copy.deepcopy(prepared_export(request))
    withheld = {(r["table"], r["row"], r["field"]) for r in request.redactions}
    for section in export.get("données", []):
        for pk, row in zip(section["identifiants"], section["lignes"], strict=True):
            for field in row:
                if (section["table"], pk, field) in withheld:
                    row[field] = REDACTED
    names = _staff_names(export) if request.names_disclosed else {}
    for access in export.get("accès", []):
        actor_id = access.pop(ACTOR_KEY, None)
        if request.names_disclosed:
            access["personnel"] = names.get(actor_id, "système")
    return export


def _staff_names(export: dict) -> dict:
    from polesocial.users.models import User

    ids = {a.get(ACTOR_KEY) for a in export.get("accès", [])} - {None}
    return {u.pk: u.full_name for u in User.objects.filter(pk__in=ids)}


def subject_request_download(*, actor, request: SubjectAccessRequest, fmt: str) -> dict:
    """The released export, for the DPO to hand over; each download journaled."""
    export = released_export(request)
    audit_log(actor=actor, action=AuditAction.SUBJECT_EXPORT, target=request.employee,
              detail={"request": request.pk, "format": fmt})  # fmt: skip
    return export


def export_pdf(request: SubjectAccessRequest, export: dict) -> bytes:
    """The released export as a PDF (WeasyPrint, as the other documents)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML  # heavy import: only when a PDF is made

    html = render_to_string(
        "casework/subject_access/export_pdf.html", {"request": request, "export": export}
    )
    return HTML(string=html).write_pdf()


# --- Erasure ---------------------------------------------------------------------------------


@transaction.atomic
def erasure_request_receive(*, actor, employee: Employee, received_on: dt.date):
    """Record an erasure request about `employee`."""
    if received_on > timezone.localdate():
        raise ValidationError("La date de réception ne peut pas être dans le futur.")
    request = ErasureRequest.objects.create(
        employee=employee, received_on=received_on, received_by=actor
    )
    audit_log(actor=actor, action=AuditAction.ERASURE_REQUEST_RECEIVE, target=request,
              detail={"employee": employee.pk})  # fmt: skip
    return request


def erasure_obstacles(employee: Employee) -> list[str]:
    """Why erasure cannot be granted now, in French (empty when nothing stands in the way)."""
    if Case.objects.filter(employee=employee, status=CaseStatus.OPEN).exists():
        return [
            "Un dossier de cet agent est encore ouvert : l'accompagnement en cours et "
            "l'obligation de conserver le dossier s'opposent à l'effacement. L'ASS en charge "
            "doit d'abord le clore."
        ]
    return []


@transaction.atomic
def erasure_request_decide(
    *, actor, request: ErasureRequest, decision: str, motive: str
) -> ErasureRequest:
    """Record the DPO's decision; a granted erasure anonymises the employee's files and
    identity with the retention job's own functions (statistics unchanged)."""
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.decision:
        raise ValidationError("Cette demande a déjà reçu une décision.")
    if decision not in ErasureDecision.values:
        raise ValidationError("Choisissez une décision.")
    motive = _check_motive(motive)
    if decision == ErasureDecision.GRANTED:
        obstacles = erasure_obstacles(request.employee)
        if obstacles:
            raise ValidationError(obstacles)
        _erase(request.employee)
    request.decision, request.decided_at = decision, timezone.now()
    # Written after the anonymisation: the decision and its motive are the record of it.
    request.decision_motive = motive
    request.save(update_fields=["decision", "decided_at", "decision_motive"])
    audit_log(actor=actor, action=AuditAction.ERASURE_REQUEST_DECIDE, target=request,
              detail={"decision": decision})  # fmt: skip
    return request


def _erase(employee: Employee) -> None:
    from polesocial.casework.services import retention

    today = timezone.localdate()
    cases = Case.objects.filter(employee=employee)
    cases.filter(archived_on__isnull=True).update(archived_on=today)
    plan = retention.RetentionPlan(today=today, inactive_employees={employee.pk})
    plan.to_anonymise = list(cases.order_by("pk").values_list("pk", flat=True))
    plan.referrals_to_anonymise = list(
        Referral.objects.filter(employee=employee, cases__isnull=True, anonymised_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    retention.retention_run(plan=plan)
