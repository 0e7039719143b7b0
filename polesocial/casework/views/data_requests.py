"""The DPO's handling of an employee's requests about his data, and the worker's review.

The DPO records a request from the subject-access search (the employee found by full
identity), follows its steps and downloads the released export; she sees counts, dates and
steps, never content. The worker the request names reviews the prepared export and marks
what concerns third parties. Business rules: casework.services.data_requests.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from polesocial.casework.models import (
    Employee,
    ErasureDecision,
    ErasureRequest,
    SubjectAccessRequest,
)
from polesocial.casework.services import data_requests as services
from polesocial.core.forms import done
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MOTIVE_HELP = "Au moins 20 caractères. N'y écrivez pas le nom de l'agent."


class RequestReceiveForm(DsfrBaseForm):
    employee = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    received_on = forms.DateField(label="Demande reçue le", widget=DATE_WIDGET)


class BalancingForm(DsfrBaseForm):
    disclose = forms.TypedChoiceField(
        label="Noms des personnels dans les accès",
        choices=[
            ("non", "Ne pas communiquer les noms (rôles seulement)"),
            ("oui", "Communiquer les noms"),
        ],  # fmt: skip
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )
    motive = forms.CharField(
        label="Motif de la mise en balance (CJUE C-579/21)",
        help_text=MOTIVE_HELP,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ErasureDecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Décision", choices=ErasureDecision.choices, widget=forms.RadioSelect
    )
    motive = forms.CharField(
        label="Motif de la décision",
        help_text=MOTIVE_HELP,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _receive(request, service, detail_url: str):
    form = RequestReceiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de réception de la demande (AAAA-MM-JJ).")
        return redirect("casework:subject_access")
    employee = (
        Employee.objects.subject_access_visible_by(request.user)
        .filter(pk=form.cleaned_data["employee"])
        .first()
    )
    if employee is None:
        messages.error(request, "Agent introuvable : recherchez-le à nouveau par son identité.")
        return redirect("casework:subject_access")
    received_on = form.cleaned_data["received_on"]
    created = done(
        request, lambda: service(actor=request.user, employee=employee, received_on=received_on)
    )
    if created is None:
        return redirect("casework:subject_access")
    return redirect(detail_url, created.result.pk)


@require_POST
@feature_required("subject_access")
def subject_request_create(request):
    return _receive(request, services.subject_request_receive, "casework:subject_request_detail")


@require_POST
@feature_required("subject_access")
def erasure_request_create(request):
    return _receive(request, services.erasure_request_receive, "casework:erasure_request_detail")


@feature_required("subject_access")
def subject_request_detail(request, pk: int):
    """The request's steps, counts and forms for the DPO: never the export's content."""
    access_request = visible_or_404(
        SubjectAccessRequest.objects.select_related("reviewer__user"), request.user, pk=pk
    )
    export = services.prepared_export(access_request)
    counts = [(s["titre"], len(s["lignes"])) for s in export.get("données", [])]
    context = {
        "access_request": access_request,
        "counts": counts,
        "accesses": len(export.get("accès", [])),
        "balancing_form": BalancingForm(),
    }
    return render(request, "casework/subject_access/request.html", context)


def _step(request, pk: int, step):
    access_request = visible_or_404(SubjectAccessRequest, request.user, pk=pk)
    done(request, lambda: step(access_request), "Étape enregistrée.")
    return redirect("casework:subject_request_detail", pk)


@require_POST
@feature_required("subject_access")
def subject_request_prepare(request, pk: int):
    return _step(request, pk, lambda r: services.subject_request_prepare(actor=request.user,
                                                                         request=r))  # fmt: skip


@require_POST
@feature_required("subject_access")
def subject_request_release(request, pk: int):
    return _step(request, pk, lambda r: services.subject_request_release(actor=request.user,
                                                                         request=r))  # fmt: skip


@require_POST
@feature_required("subject_access")
def subject_request_balance(request, pk: int):
    form = BalancingForm(request.POST)
    if not form.is_valid():
        access_request = visible_or_404(SubjectAccessRequest, request.user, pk=pk)
        context = {"access_request": access_request, "counts": [], "accesses": 0,
                   "balancing_form": form}  # fmt: skip
        return render(request, "casework/subject_access/request.html", context)
    data = form.cleaned_data
    return _step(
        request,
        pk,
        lambda r: services.subject_request_balance(
            actor=request.user, request=r, disclose=data["disclose"], motive=data["motive"]
        ),
    )


@feature_required("subject_access")
def subject_request_download(request, pk: int):
    """The released export, `?format=pdf` or JSON; refused (back with a message) before."""
    access_request = visible_or_404(SubjectAccessRequest, request.user, pk=pk)
    fmt = "pdf" if request.GET.get("format") == "pdf" else "json"
    try:
        export = services.subject_request_download(
            actor=request.user, request=access_request, fmt=fmt
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("casework:subject_request_detail", pk)
    name = f"droit-d-acces-{access_request.pk}"
    if fmt == "pdf":
        response = HttpResponse(
            services.export_pdf(access_request, export), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@feature_required("casework", absent_when_denied=True)
def subject_request_review(request, pk: int):
    """The reviewing worker reads the prepared export and marks the fields to withhold
    (third parties, art. 15(4)); reading it is journaled."""
    access_request = get_object_or_404(
        SubjectAccessRequest.objects.review_visible_by(request.user), pk=pk
    )
    export = services.prepared_export(access_request)
    fields = [
        {"key": f"{table}|{row}|{field}", "table": table, "row": row, "field": field,
         "value": value}
        for table, row, field, value in services.redactable_fields(export)
    ]  # fmt: skip
    error = ""
    if request.method == "POST":
        marked = [_redaction(key) for key in request.POST.getlist("occulter")]
        try:
            services.subject_request_review(
                actor=request.user, request=access_request, redactions=marked
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Relecture enregistrée : l'export peut être remis.")
            return redirect("core:home")
    else:
        audit_log(actor=request.user, action=AuditAction.SUBJECT_REQUEST_REVIEW,
                  target=access_request, detail={"read": True})  # fmt: skip
    context = {"access_request": access_request, "fields": fields, "error": error,
               "accesses": export.get("accès", [])}  # fmt: skip
    return render(request, "casework/subject_access/review.html", context)


def _redaction(key: str) -> dict:
    table, _, rest = key.partition("|")
    row, _, field = rest.partition("|")
    return {"table": table, "row": int(row) if row.isdigit() else row, "field": field}


@feature_required("subject_access")
def erasure_request_detail(request, pk: int):
    """The legal limits, what stands in the way now, and the decision form."""
    erasure = visible_or_404(ErasureRequest, request.user, pk=pk)
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erasure_request_decide(
                actor=request.user,
                request=erasure,
                decision=form.cleaned_data["decision"],
                motive=form.cleaned_data["motive"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Décision enregistrée.")
            return redirect("casework:erasure_request_detail", pk)
    context = {
        "erasure": erasure,
        "form": form,
        "obstacles": services.erasure_obstacles(erasure.employee),
        "today": timezone.localdate(),
    }
    return render(request, "casework/subject_access/erasure.html", context)
