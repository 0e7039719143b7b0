"""Vigilance alerts: list, detail, create (employer first, then the alert), edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from polesocial.collective import services
from polesocial.collective.forms import (
    AlertEmployerForm,
    AlertFilterForm,
    AlertForm,
    apply_service_error,
)
from polesocial.collective.models import Alert
from polesocial.collective.permissions import can_edit
from polesocial.collective.views.common import (
    editable_or_403,
    employer_choices,
    filtered_page,
    recording_worker,
    rights,
)
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import feature_required


@feature_required("collective_read")
def alert_list(request):
    alerts = Alert.objects.visible_by(request.user).with_related()
    form, page = filtered_page(
        request, alerts, AlertFilterForm, filters={"employeur": "employer", "risque": "risk"}
    )
    context = {"form": form, "page": page, "tab": "alerts", **rights(request)}
    return render(request, "collective/alert_list.html", context)


@feature_required("collective_read")
def alert_detail(request, pk: int):
    alert = visible_or_404(Alert.objects.with_related(), request.user, pk=pk)
    context = {
        "alert": alert,
        "can_edit": can_edit(request.user, alert),
        "tab": "alerts",
        **rights(request),
    }
    return render(request, "collective/alert_detail.html", context)


def _save(request, form: AlertForm, save):
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    if not form.check_names(actor=request.user, employers=[form.employer]):
        return None
    try:
        return save(data)
    except ValidationError as error:
        apply_service_error(form, error)
        return None


def _form_page(request, form: AlertForm, title: str, alert=None):
    context = {
        "form": form,
        "employer": form.employer,
        "has_recipients": services.alert_recipients(form.employer).exists(),
        "title": title,
        "alert": alert,
        "tab": "alerts",
    }
    return render(request, "collective/alert_form.html", context)


@feature_required("collective")
def alert_create(request):
    """Step 1 (no employer chosen yet): the employer. Step 2: the alert, whose addressees
    are that employer's HR contacts."""
    worker = recording_worker(request)
    choose = AlertEmployerForm(
        request.GET if "employeur" in request.GET else None, employers=employer_choices(request)
    )
    if not choose.is_valid():
        context = {"form": choose, "title": "Nouvelle alerte de vigilance sociale", "tab": "alerts"}
        return render(request, "collective/alert_employer.html", context)
    employer = choose.cleaned_data["employeur"]
    form = AlertForm(request.POST or None, employer=employer)
    if request.method == "POST":
        alert = _save(
            request,
            form,
            lambda data: services.alert_create(
                actor=request.user, worker=worker, employer=employer, **data
            ),
        )
        if alert is not None:
            messages.success(request, "Alerte enregistrée et adressée à ses destinataires.")
            return redirect("collective:alert_detail", pk=alert.pk)
    return _form_page(request, form, f"Nouvelle alerte — {employer}")


@feature_required("collective")
def alert_update(request, pk: int):
    alert = editable_or_403(request, Alert, pk)
    form = AlertForm(request.POST or None, instance=alert, employer=alert.employer)
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda data: services.alert_update(actor=request.user, alert=alert, **data),
        )
        if saved is not None:
            messages.success(request, "Alerte enregistrée.")
            return redirect("collective:alert_detail", pk=alert.pk)
    return _form_page(request, form, "Modifier l'alerte", alert)
