"""The mobility hand-off: the case's « Mobilité » tab (the worker in charge) and the
mobility adviser's pages (his hand-offs, the shared part of a case, his follow-up).

The adviser's pages start from `Handoff.objects.visible_by(user)`; the template receives
only the shared part (`shared_part`): identity, employment situation, the hand-off notes
and the follow-up. Never the case itself, its interviews, private note or aid.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.casework.enums import (
    EmploymentStatus,
    GradeCategory,
    HandoffKind,
    MobilityFollowUpKind,
    WorkingTime,
)
from polesocial.casework.forms.mobility import FollowUpForm, HandoffForm
from polesocial.casework.models import Handoff, MobilityFollowUp
from polesocial.casework.services import mobility as services
from polesocial.casework.views.cases import case_context, case_view, get_case, write_refusal
from polesocial.core.forms import saved
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required


def _label(choices, code: str) -> str:
    return dict(choices.choices).get(code, "") if code else ""


def shared_part(case) -> dict:
    """What the mobility adviser reads of a case: identity and employment situation."""
    person = case.person
    return {
        "number": case.number,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "birth_date": person.birth_date,
        "phone": person.phone,
        "email": person.email,
        "employer": person.employer_name or str(case.snapshot_employer),
        "status": _label(EmploymentStatus, person.status),
        "category": _label(GradeCategory, person.category),
        "job": person.job,
        "working_time": _label(WorkingTime, person.working_time),
    }


def _history(handoffs) -> list[dict]:
    """The hand-offs with their follow-ups, newest first, as the page shows them."""
    follow_ups: dict[int, list] = {}
    for follow_up in MobilityFollowUp.objects.filter(handoff__in=handoffs).select_related(
        "recorded_by"
    ):
        follow_ups.setdefault(follow_up.handoff_id, []).append(follow_up)
    return [
        {
            "handoff": handoff,
            "kind": HandoffKind(handoff.kind).label,
            "follow_ups": [
                {"item": f, "kind": MobilityFollowUpKind(f.kind).label}
                for f in follow_ups.get(handoff.pk, [])
            ],
            "minutes": sum(f.minutes for f in follow_ups.get(handoff.pk, [])),
        }
        for handoff in handoffs
    ]


# --- The worker in charge: the case's « Mobilité » tab ------------------------------------


def _mobility_tab(request, case, form=None):
    handoffs = list(
        Handoff.objects.visible_by(request.user)
        .filter(case=case)
        .select_related("adviser", "created_by")
    )
    audit_log(
        actor=request.user,
        action=AuditAction.HANDOFF_LIST,
        targets=handoffs or None,
        target=None if handoffs else case,
        subject=case,
    )
    consent = services.mobility_consent(case)
    refusal = write_refusal(case) or ("" if consent else services.NO_MOBILITY_CONSENT)
    context = case_context(request, case, "mobility") | {
        "history": _history(handoffs),
        "refusal": refusal,
        "form": form or HandoffForm(advisers=services.advisers()),
        "may_end": True,
    }
    return render(request, "casework/mobility/case_tab.html", context)


@case_view
def case_mobility(request, pk: int):
    return _mobility_tab(request, get_case(request, pk))


@require_POST
@case_view
def handoff_create(request, pk: int):
    case = get_case(request, pk)
    form = HandoffForm(request.POST, advisers=services.advisers())
    if saved(
        request,
        form,
        lambda data: services.handoff_create(actor=request.user, case=case, **data),
        "Relais transmis à la conseillère mobilité.",
        field="note",
    ):
        return redirect("casework:case_mobility", pk=case.pk)
    return _mobility_tab(request, case, form)


@require_POST
@case_view
def handoff_end(request, pk: int, handoff_pk: int):
    case = get_case(request, pk)
    handoff = visible_or_404(Handoff.objects.filter(case=case), request.user, pk=handoff_pk)
    try:
        services.handoff_end(actor=request.user, handoff=handoff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Relais terminé : la conseillère mobilité n'a plus accès.")
    return redirect("casework:case_mobility", pk=case.pk)


# --- The mobility adviser ---------------------------------------------------------------


@feature_required("mobility")
def mobility_list(request):
    """The hand-offs made to him that are current, newest first."""
    handoffs = list(
        Handoff.objects.visible_by(request.user).select_related(
            "case__employee__employer", "case__snapshot_employer", "created_by"
        )
    )
    if handoffs:
        audit_log(actor=request.user, action=AuditAction.HANDOFF_LIST, targets=handoffs)
    rows = [
        {"handoff": h, "kind": HandoffKind(h.kind).label, "shared": shared_part(h.case)}
        for h in handoffs
    ]
    return render(request, "casework/mobility/list.html", {"rows": rows})


def _adviser_page(request, handoff: Handoff, form=None):
    same_case = list(
        Handoff.objects.visible_by(request.user)
        .filter(case_id=handoff.case_id)
        .select_related("created_by")
    )
    audit_log(
        actor=request.user,
        action=AuditAction.HANDOFF_READ,
        targets=same_case,
        subject=handoff.case,
    )
    context = {
        "handoff": handoff,
        "shared": shared_part(handoff.case),
        "history": _history(same_case),
        "form": form or FollowUpForm(initial={"occurred_on": timezone.localdate()}),
    }
    return render(request, "casework/mobility/detail.html", context)


def _own_handoff(request, pk: int) -> Handoff:
    queryset = Handoff.objects.select_related(
        "case__employee__employer", "case__snapshot_employer", "created_by"
    )
    return visible_or_404(queryset, request.user, pk=pk)


@feature_required("mobility", absent_when_denied=True)
def mobility_detail(request, pk: int):
    return _adviser_page(request, _own_handoff(request, pk))


@require_POST
@feature_required("mobility", absent_when_denied=True)
def mobility_follow_up_add(request, pk: int):
    handoff = _own_handoff(request, pk)
    form = FollowUpForm(request.POST)
    if saved(
        request,
        form,
        lambda data: services.mobility_follow_up_record(
            actor=request.user, handoff=handoff, **data
        ),
        "Suivi enregistré.",
    ):
        return redirect("casework:mobility_detail", pk=handoff.pk)
    return _adviser_page(request, handoff, form)
