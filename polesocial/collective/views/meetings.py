"""HR body meetings: list, detail, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from polesocial.collective import services
from polesocial.collective.forms import BodyMeetingForm, MeetingFilterForm, apply_service_error
from polesocial.collective.models import BodyMeeting
from polesocial.collective.permissions import can_edit
from polesocial.collective.views.common import (
    editable_or_403,
    employer_choices,
    filtered_page,
    recording_worker,
    rights,
)
from polesocial.organisations.models import Employer
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import feature_required


@feature_required("collective_read")
def meeting_list(request):
    meetings = BodyMeeting.objects.visible_by(request.user).with_related()
    form, page = filtered_page(
        request,
        meetings,
        MeetingFilterForm,
        filters={"employeur": "employer", "instance": "body"},
    )
    context = {"form": form, "page": page, "tab": "meetings", **rights(request)}
    return render(request, "collective/meeting_list.html", context)


@feature_required("collective_read")
def meeting_detail(request, pk: int):
    meeting = visible_or_404(BodyMeeting.objects.with_related(), request.user, pk=pk)
    context = {
        "meeting": meeting,
        "can_edit": can_edit(request.user, meeting),
        "tab": "meetings",
        **rights(request),
    }
    return render(request, "collective/meeting_detail.html", context)


def _save(request, form, save):
    """Validate, run the name check, then the service; the meeting, or None."""
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    if not form.check_names(actor=request.user, employers=[data["employer"]]):
        return None
    try:
        return save(data)
    except ValidationError as error:
        apply_service_error(form, error)
        return None


def _form_page(request, form, title: str, meeting=None):
    context = {"form": form, "title": title, "meeting": meeting, "tab": "meetings"}
    return render(request, "collective/meeting_form.html", context)


@feature_required("collective")
def meeting_create(request):
    worker = recording_worker(request)
    form = BodyMeetingForm(request.POST or None, employers=employer_choices(request))
    if request.method == "POST":
        meeting = _save(
            request,
            form,
            lambda data: services.body_meeting_create(actor=request.user, worker=worker, **data),
        )
        if meeting is not None:
            messages.success(request, "Séance d'instance enregistrée.")
            return redirect("collective:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, "Nouvelle séance d'instance")


@feature_required("collective")
def meeting_update(request, pk: int):
    meeting = editable_or_403(request, BodyMeeting, pk)
    employers = employer_choices(request) | Employer.objects.filter(pk=meeting.employer_id)
    form = BodyMeetingForm(
        request.POST or None, instance=meeting, employers=employers.distinct().order_by("name")
    )
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda data: services.body_meeting_update(actor=request.user, meeting=meeting, **data),
        )
        if saved is not None:
            messages.success(request, "Séance d'instance enregistrée.")
            return redirect("collective:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, "Modifier la séance d'instance", meeting)
