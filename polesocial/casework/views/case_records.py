"""The tabs of the case page that hold its records: interviews, plan, orientations, documents.

Same rules as `cases`: the case through `visible_by` (404 otherwise), one journal entry per
page shown, writes through the services with `replacement` set for a replacement.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from polesocial.casework import documents, permissions
from polesocial.casework.enums import InterviewPlace, OrientationResult, PlanItemStatus
from polesocial.casework.forms.cases import (
    ActionForm,
    DocumentUploadForm,
    InterviewForm,
    ObjectiveForm,
    OrientationForm,
    OrientationResultForm,
    PlanItemStatusForm,
)
from polesocial.casework.models import (
    Case,
    CaseDocument,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
)
from polesocial.casework.services import records
from polesocial.casework.views.cases import (
    case_context,
    case_view,
    get_case,
    log_read,
    write_refusal,
)
from polesocial.core.forms import saved
from polesocial.directory.models import Partner
from polesocial.organisations.labels import label
from polesocial.organisations.models import Employer
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.enums import AuditAction


def duration_label(minutes: int) -> str:
    """90 -> "1 h 30", 45 -> "45 min", 120 -> "2 h"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


# Entretiens ------------------------------------------------------------------------------


def _employers(request, case: Case):
    """Her team's employers, and the employee's own (as recorded in the case) even if
    another team serves it."""
    visible = Employer.objects.visible_by(request.user)
    own = Employer.objects.filter(pk=case.recorded_employer_id)
    return (visible | own).order_by("name")


def _interview_row(request, interview: Interview) -> dict:
    # Plain values, not the instance: the template cannot reach a private note not hers.
    readable = permissions.can_read_private_note(request.user, interview)
    return {
        "pk": interview.pk,
        "occurred_on": interview.occurred_on,
        "place": label("interview_place", interview.place),
        "duration": duration_label(interview.duration_minutes),
        "employer": interview.employer.name,
        "author": interview.author.full_name,
        "notes": interview.notes,
        "private_note": interview.private_note if readable else "",
    }


def _prefill(query) -> dict:
    """An appointment marked done (appointments) pre-fills date, place, duration and
    employer; a value that does not parse is left out."""
    initial: dict = {}
    try:
        initial["occurred_on"] = dt.date.fromisoformat(query.get("date", ""))
    except ValueError:
        pass
    if query.get("lieu") in InterviewPlace.values:
        initial["place"] = query["lieu"]
    if query.get("duree", "").isdigit() and 0 < int(query["duree"]) <= 480:
        initial["duration_minutes"] = int(query["duree"])
    if query.get("employeur", "").isdigit():
        initial["employer"] = int(query["employeur"])
    return initial


def _interviews(request, case: Case, form: InterviewForm | None = None):
    interviews = list(
        Interview.objects.visible_by(request.user)
        .filter(case=case)
        .select_related("employer", "author")
    )
    log_read(request, case, AuditAction.INTERVIEW_READ, targets=interviews)
    if form is None:
        initial = {"occurred_on": timezone.localdate(), "employer": case.recorded_employer_id}
        initial |= _prefill(request.GET)
        form = InterviewForm(initial=initial, employers=_employers(request, case))
    context = case_context(request, case, "interviews") | {
        "rows": [_interview_row(request, interview) for interview in interviews],
        "form": form,
        "refusal": write_refusal(case),
    }
    return render(request, "casework/case/interviews.html", context)


@case_view
def case_interviews(request, pk: int):
    """Tab Entretiens: the timeline, newest first, notes expanding in place."""
    return _interviews(request, get_case(request, pk))


@require_POST
@case_view
def interview_create(request, pk: int):
    case = get_case(request, pk)
    form = InterviewForm(request.POST, employers=_employers(request, case))
    if saved(
        request,
        form,
        lambda data: records.interview_record(
            actor=request.user,
            case=case,
            occurred_on=data["occurred_on"],
            place=data["place"],
            duration_minutes=data["total_minutes"],
            employer=data["employer"],
            notes=data["notes"],
            private_note=data["private_note"],
        ),
        "Entretien enregistré.",
    ):
        return redirect("casework:case_interviews", pk=case.pk)
    return _interviews(request, case, form)


# Plan d'accompagnement -------------------------------------------------------------------


def _objectives(request, case: Case):
    return PlanObjective.objects.visible_by(request.user).filter(case=case)


def _plan_rows(objectives, today) -> list[dict]:
    rows = []
    for objective in objectives:
        actions = [
            {
                "action": action,
                "late": action.status == PlanItemStatus.TODO
                and action.due_on is not None
                and action.due_on < today,
            }
            for action in objective.actions.all()
        ]
        rows.append({"objective": objective, "actions": actions})
    return rows


def _plan(request, case: Case, *, objective_form=None, action_form=None):
    actions = PlanAction.objects.visible_by(request.user)
    objectives = list(
        _objectives(request, case).prefetch_related(Prefetch("actions", queryset=actions))
    )
    action_ids = [action.pk for objective in objectives for action in objective.actions.all()]
    log_read(
        request, case, AuditAction.PLAN_READ, targets=objectives, detail={"actions": action_ids}
    )
    context = case_context(request, case, "plan") | {
        "rows": _plan_rows(objectives, timezone.localdate()),
        "statuses": PlanItemStatus.choices,
        "objective_form": objective_form or ObjectiveForm(prefix="objectif"),
        "action_form": action_form
        or ActionForm(prefix="action", objectives=_objectives(request, case)),
        "refusal": write_refusal(case),
    }
    return render(request, "casework/case/plan.html", context)


@case_view
def case_plan(request, pk: int):
    """Tab Plan d'accompagnement: objectives, their actions, due dates, done and late."""
    return _plan(request, get_case(request, pk))


@require_POST
@case_view
def objective_add(request, pk: int):
    case = get_case(request, pk)
    form = ObjectiveForm(request.POST, prefix="objectif")
    if saved(
        request,
        form,
        lambda data: records.objective_add(
            actor=request.user,
            case=case,
            title=data["title"],
        ),
        "Objectif ajouté.",
    ):
        return redirect("casework:case_plan", pk=case.pk)
    return _plan(request, case, objective_form=form)


@require_POST
@case_view
def action_add(request, pk: int):
    case = get_case(request, pk)
    form = ActionForm(request.POST, prefix="action", objectives=_objectives(request, case))
    if saved(
        request,
        form,
        lambda data: records.action_add(
            actor=request.user,
            objective=data["objective"],
            description=data["description"],
            due_on=data["due_on"],
        ),
        "Action ajoutée.",
    ):
        return redirect("casework:case_plan", pk=case.pk)
    return _plan(request, case, action_form=form)


@require_POST
@case_view
def plan_item_status(request, pk: int):
    """Mark an objective or an action done, cancelled or to do (one small form per row)."""
    case = get_case(request, pk)
    form = PlanItemStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "État non modifié : choisissez un élément du plan et un état.")
        return redirect("casework:case_plan", pk=case.pk)
    if form.cleaned_data["kind"] == "objective":
        items = _objectives(request, case)
    else:
        items = PlanAction.objects.visible_by(request.user).filter(objective__case=case)
    item = get_object_or_404(items, pk=form.cleaned_data["id"])
    try:
        records.plan_item_set_status(
            actor=request.user,
            item=item,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, f"État non modifié : {' '.join(error.messages)}")
    else:
        messages.success(request, "État mis à jour.")
    return redirect("casework:case_plan", pk=case.pk)


# Orientations ----------------------------------------------------------------------------


def _orientations(request, case: Case, form: OrientationForm | None = None):
    orientations = list(
        Orientation.objects.visible_by(request.user).filter(case=case).select_related("partner")
    )
    log_read(request, case, AuditAction.ORIENTATION_READ, targets=orientations)
    partners = Partner.objects.active()
    context = case_context(request, case, "orientations") | {
        "orientations": orientations,
        "results": OrientationResult.choices,
        "form": form
        or OrientationForm(initial={"oriented_on": timezone.localdate()}, partners=partners),
        "refusal": write_refusal(case),
    }
    return render(request, "casework/case/orientations.html", context)


@case_view
def case_orientations(request, pk: int):
    """Tab Orientations: the partners the employee was referred on to, and the results."""
    return _orientations(request, get_case(request, pk))


@require_POST
@case_view
def orientation_add(request, pk: int):
    case = get_case(request, pk)
    form = OrientationForm(request.POST, partners=Partner.objects.active())
    if saved(
        request,
        form,
        lambda data: records.orientation_record(actor=request.user, case=case, **data),
        "Orientation enregistrée.",
    ):
        return redirect("casework:case_orientations", pk=case.pk)
    return _orientations(request, case, form)


@require_POST
@case_view
def orientation_result(request, pk: int, orientation_pk: int):
    case = get_case(request, pk)
    orientation = visible_or_404(
        Orientation.objects.filter(case=case), request.user, pk=orientation_pk
    )
    form = OrientationResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Résultat non enregistré : choisissez un résultat.")
        return redirect("casework:case_orientations", pk=case.pk)
    try:
        records.orientation_set_result(
            actor=request.user,
            orientation=orientation,
            result=form.cleaned_data["result"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, f"Résultat non enregistré : {' '.join(error.messages)}")
    else:
        messages.success(request, "Résultat de l'orientation enregistré.")
    return redirect("casework:case_orientations", pk=case.pk)


# Documents -------------------------------------------------------------------------------


def _documents(request, case: Case, form: DocumentUploadForm | None = None):
    rows = list(
        CaseDocument.objects.visible_by(request.user)
        .filter(case=case)
        .select_related("uploaded_by")
    )
    log_read(request, case, AuditAction.CASE_DOCUMENT_LIST, targets=rows)
    context = case_context(request, case, "documents") | {
        "documents": rows,
        "form": form or DocumentUploadForm(),
        "refusal": write_refusal(case),
    }
    return render(request, "casework/case/documents.html", context)


@case_view
def case_documents(request, pk: int):
    """Tab Documents: the list, and the upload form."""
    return _documents(request, get_case(request, pk))


@require_POST
@case_view
def document_upload(request, pk: int):
    case = get_case(request, pk)
    form = DocumentUploadForm(request.POST, request.FILES)
    if saved(
        request,
        form,
        lambda data: records.document_upload(
            actor=request.user,
            case=case,
            name=data["file"].name,
            data=data["file"].read(),
        ),
        lambda data: f"Document « {data['file'].name} » déposé.",
        field="file",
    ):
        return redirect("casework:case_documents", pk=case.pk)
    return _documents(request, case, form)


@case_view
def document_download(request, pk: int, doc_pk: int):
    """The document, decrypted, as an attachment (never shown inline), and journaled."""
    case = get_case(request, pk)
    document = visible_or_404(CaseDocument.objects.filter(case=case), request.user, pk=doc_pk)
    data = documents.read_decrypted(document.storage_name)
    log_read(request, case, AuditAction.CASE_DOCUMENT_READ, targets=[document])
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
