"""Collective actions: list, detail, create, edit, documents."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from polesocial.casework.documents import MAX_DOCUMENT_BYTES
from polesocial.collective import services
from polesocial.collective.forms import (
    ActionFilterForm,
    CollectiveActionForm,
    action_input,
    apply_service_error,
    share_formset,
)
from polesocial.collective.models import ActionDocument, CollectiveAction
from polesocial.collective.permissions import can_edit
from polesocial.collective.views.common import (
    editable_or_403,
    employer_choices,
    filtered_page,
    recording_worker,
    rights,
)
from polesocial.core.forms import saved
from polesocial.organisations.models import Employer
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import feature_required
from polesocial.users.enums import Role


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Document",
        help_text="PDF, PNG, JPEG, ODT, ODS, DOCX ou XLSX, 10 Mo au plus ; sans nom d'agent.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("Le fichier dépasse 10 Mo.")
        return upload


def shares_shown(request, action: CollectiveAction) -> list:
    """An employer contact sees the attendance of his own employer(s) only; the operator's
    staff see every employer of the action."""
    shares = list(action.employer_shares.all())
    if request.user.role != Role.EMPLOYER_CONTACT:
        return shares
    own = set(Employer.objects.visible_by(request.user).values_list("pk", flat=True))
    return [share for share in shares if share.employer_id in own]


@feature_required("collective_read")
def action_list(request):
    actions = CollectiveAction.objects.visible_by(request.user).with_related()
    form, page = filtered_page(
        request,
        actions,
        ActionFilterForm,
        filters={"employeur": "employers", "nature": "kind", "theme": "theme"},
    )
    rows = [{"action": action, "shares": shares_shown(request, action)} for action in page]
    context = {"form": form, "page": page, "rows": rows, "tab": "actions", **rights(request)}
    return render(request, "collective/action_list.html", context)


@feature_required("collective_read")
def action_detail(request, pk: int, document_form: DocumentForm | None = None):
    action = visible_or_404(CollectiveAction.objects.with_related(), request.user, pk=pk)
    shares = shares_shown(request, action)
    context = {
        "action": action,
        "shares": shares,
        "joint": len(action.employer_shares.all()) > len(shares),
        "documents": action.documents.all(),
        "can_edit": can_edit(request.user, action),
        "document_form": document_form or DocumentForm(),
        "tab": "actions",
        **rights(request),
    }
    return render(request, "collective/action_detail.html", context)


def _action_form_page(request, form, formset, title: str, action=None):
    context = {
        "form": form,
        "formset": formset,
        "title": title,
        "action": action,
        "tab": "actions",
    }
    return render(request, "collective/action_form.html", context)


@feature_required("collective")
def action_create(request):
    worker = recording_worker(request)
    data = request.POST if request.method == "POST" else None  # an empty POST is bound
    form = CollectiveActionForm(data)
    formset = share_formset(data, employers=employer_choices(request))
    if request.method == "POST":
        cleaned = action_input(form, formset, actor=request.user)
        if cleaned is not None:
            try:
                action = services.collective_action_create(
                    actor=request.user, worker=worker, **cleaned
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, f"Action collective « {action.title} » enregistrée.")
                return redirect("collective:action_detail", pk=action.pk)
    return _action_form_page(request, form, formset, "Nouvelle action collective")


@feature_required("collective")
def action_update(request, pk: int):
    action = editable_or_403(request, CollectiveAction, pk)
    employers = (
        employer_choices(request) | Employer.objects.filter(collective_action_shares__action=action)
    ).distinct()
    data = request.POST if request.method == "POST" else None  # an empty POST is bound
    form = CollectiveActionForm(data, instance=action)
    formset = share_formset(data, employers=employers.order_by("name", "pk"), action=action)
    if request.method == "POST":
        cleaned = action_input(form, formset, actor=request.user)
        if cleaned is not None:
            try:
                services.collective_action_update(actor=request.user, action=action, **cleaned)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, "Action collective enregistrée.")
                return redirect("collective:action_detail", pk=action.pk)
    return _action_form_page(request, form, formset, f"Modifier « {action.title} »", action)


@require_POST
@feature_required("collective")
def document_upload(request, pk: int):
    action = editable_or_403(request, CollectiveAction, pk)
    form = DocumentForm(request.POST, request.FILES)
    if saved(
        request,
        form,
        lambda data: services.action_document_add(
            actor=request.user, action=action, name=data["file"].name, data=data["file"].read()
        ),
        lambda data: f"Document « {data['file'].name} » ajouté.",
        field="file",
    ):
        return redirect("collective:action_detail", pk=action.pk)
    return action_detail(request, pk=pk, document_form=form)


def _document(request, pk: int, document_pk: int) -> ActionDocument:
    action = visible_or_404(CollectiveAction, request.user, pk=pk)
    return get_object_or_404(action.documents.all(), pk=document_pk)


@feature_required("collective_read")
def document_download(request, pk: int, document_pk: int):
    """The document as an attachment (never shown inline), to whoever reads the action."""
    document = _document(request, pk, document_pk)
    with document.file.open("rb") as handle:  # 10 MB at most (the upload check)
        response = HttpResponse(handle.read(), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@feature_required("collective")
def document_delete(request, pk: int, document_pk: int):
    action = editable_or_403(request, CollectiveAction, pk)
    document = get_object_or_404(action.documents.all(), pk=document_pk)
    services.action_document_delete(actor=request.user, document=document)
    messages.success(request, f"Document « {document.name} » supprimé.")
    return redirect("collective:action_detail", pk=action.pk)
