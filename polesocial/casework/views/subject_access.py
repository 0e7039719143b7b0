"""The DPO's subject-access screen: find the employee named in a request, see what is held.

She types the full identity given in the request (names and birth date): silent matching's
blind index finds the record or nothing, so she learns of no one else. The page shows
counts per table and the cases' workers in charge, never content; the export itself is
prepared with `manage.py subject_export` and reviewed by the worker in charge.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from dsfr.forms import DsfrBaseForm

from polesocial.casework.models import (
    Employee,
    ErasureRequest,
    SubjectAccessRequest,
    SubjectRequestStatus,
)
from polesocial.casework.subject_access import subject_search
from polesocial.privacy.features import feature_required

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class SubjectSearchForm(DsfrBaseForm):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    birth_date = forms.DateField(label="Date de naissance", widget=DATE_WIDGET)


@feature_required("subject_access")
def subject_access(request):
    form = SubjectSearchForm(request.GET or None)
    inventory, searched = None, False
    if form.is_valid():
        data = form.cleaned_data
        employee = (
            Employee.objects.subject_access_visible_by(request.user)
            .matching(data["last_name"], data["first_name"], data["birth_date"])
            .first()
        )
        inventory, searched = subject_search(actor=request.user, employee=employee), True
    context = {
        "form": form,
        "inventory": inventory,
        "searched": searched,
        # Requests in progress: numbers, dates and steps (never content nor identity).
        "access_requests": SubjectAccessRequest.objects.visible_by(request.user)
        .exclude(status=SubjectRequestStatus.RELEASED)
        .order_by("received_on", "pk")[:100],
        "erasure_requests": ErasureRequest.objects.visible_by(request.user)
        .filter(decision="")
        .order_by("received_on", "pk")[:100],
    }
    return render(request, "casework/subject_access/search.html", context)
