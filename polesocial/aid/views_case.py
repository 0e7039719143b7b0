"""The « Aides » tab of the case page: the case's aid requests, a new request, their
transitions, payments and the notification letter.

Same rules as the other tabs (casework.views.case_records): the case through `visible_by`
(404 otherwise), one journal entry per page shown, writes through `aid.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from polesocial.aid import budget as money
from polesocial.aid import documents, services
from polesocial.aid.enums import AidStatus, SchemeKind
from polesocial.aid.forms import AidRequestForm, LoanScheduleForm, PaymentForm
from polesocial.aid.models import AidRequest, AidScheme
from polesocial.casework.views.cases import (
    case_context,
    case_view,
    get_case,
    log_read,
    write_refusal,
)
from polesocial.core.forms import saved
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction


def _schemes(request, case):
    return AidScheme.objects.visible_by(request.user).valid_on(timezone.localdate())


def _row(aid: AidRequest) -> dict:
    household = money.household_budget(aid.budget, adults=aid.adults, children=aid.children)
    return {
        "aid": aid,
        "budget": aid.budget,
        "household": household,
        "decisions": list(aid.decisions.all()),
        "payments": list(aid.payments.all()),
        "instalments": list(aid.instalments.all()),
        "can_submit": aid.status == AidStatus.DRAFT,
        "can_pay": aid.status == AidStatus.DECIDED and (aid.amount_granted or 0) > 0,
        "can_schedule_loan": aid.scheme.kind == SchemeKind.LOAN
        and aid.status in (AidStatus.DECIDED, AidStatus.PAID)
        and bool(aid.amount_granted),
        "can_close": aid.status in (AidStatus.DRAFT, AidStatus.SUBMITTED, AidStatus.PAID)
        or (aid.status == AidStatus.DECIDED and not aid.amount_granted),
        "has_decision": aid.status in (AidStatus.DECIDED, AidStatus.PAID, AidStatus.CLOSED),
    }


def _page(request, case, form=None, status=200):
    aids = list(
        AidRequest.objects.visible_by(request.user)
        .filter(case=case)
        .select_related("scheme")
        .prefetch_related("decisions", "payments", "instalments")
    )
    log_read(request, case, AuditAction.AID_REQUEST_LIST, targets=aids)
    query = request.GET.get("q", "")[:100]
    context = case_context(request, case, "aid") | {
        "rows": [_row(aid) for aid in aids],
        "form": form or AidRequestForm(schemes=_schemes(request, case)),
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
        "loan_form": LoanScheduleForm(),
        "refusal": write_refusal(case),
        "query": query,
        "catalogue": _schemes(request, case).search(query)[:30] if query else [],
    }
    return render(request, "aid/case_aid.html", context, status=status)


@case_view
def case_aid(request, pk: int):
    """Tab Aides: the case's requests with their budget, decisions and payments, the
    catalogue search and the form of a new request."""
    return _page(request, get_case(request, pk))


@require_POST
@case_view
def aid_request_create(request, pk: int):
    case = get_case(request, pk)
    form = AidRequestForm(request.POST, schemes=_schemes(request, case))
    if saved(
        request,
        form,
        lambda data: services.aid_request_create(
            actor=request.user,
            case=case,
            scheme=data["scheme"],
            amount_requested=data["amount_requested"],
            justification=data["justification"],
            incomes=data["incomes"],
            expenses=data["expenses"],
            adults=data["adults"],
            children=data["children"],
            committee_summary=data["committee_summary"],
            urgent=data["urgent"],
            names_confirmed=data["names_confirmed"],
        ),
        "Demande d'aide enregistrée en brouillon.",
    ):
        return redirect("aid:case_aid", pk=case.pk)
    return _page(request, case, form)


def _get_aid(request, case, aid_pk: int) -> AidRequest:
    rows = AidRequest.objects.filter(case=case).select_related("scheme", "case")
    return visible_or_404(rows, request.user, pk=aid_pk)


def _transition(request, pk: int, aid_pk: int, write, success: str):
    case = get_case(request, pk)
    aid = _get_aid(request, case, aid_pk)
    try:
        write(aid)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("aid:case_aid", pk=case.pk)


@require_POST
@case_view
def aid_request_submit(request, pk: int, aid_pk: int):
    return _transition(
        request, pk, aid_pk,
        lambda aid: services.aid_request_submit(actor=request.user, request=aid),
        "Demande déposée : elle attend son inscription à l'ordre du jour d'une commission.",
    )  # fmt: skip


@require_POST
@case_view
def aid_request_close(request, pk: int, aid_pk: int):
    return _transition(
        request, pk, aid_pk,
        lambda aid: services.aid_request_close(actor=request.user, request=aid),
        "Demande close.",
    )  # fmt: skip


@require_POST
@case_view
def aid_payment_add(request, pk: int, aid_pk: int):
    case = get_case(request, pk)
    aid = _get_aid(request, case, aid_pk)
    form = PaymentForm(request.POST)
    if saved(
        request,
        form,
        lambda data: services.aid_payment_record(actor=request.user, request=aid, **data),
        "Versement enregistré.",
    ):
        return redirect("aid:case_aid", pk=case.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("aid:case_aid", pk=case.pk)


@require_POST
@case_view
def loan_schedule(request, pk: int, aid_pk: int):
    case = get_case(request, pk)
    aid = _get_aid(request, case, aid_pk)
    form = LoanScheduleForm(request.POST)
    if not saved(
        request,
        form,
        lambda data: services.loan_schedule_record(actor=request.user, request=aid, **data),
        "Échéancier de remboursement enregistré.",
    ):
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("aid:case_aid", pk=case.pk)


@case_view
def aid_letter(request, pk: int, aid_pk: int):
    """The notification letter to the employee (PDF), for the worker to send."""
    case = get_case(request, pk)
    aid = _get_aid(request, case, aid_pk)
    data = documents.letter_pdf(aid)
    audit_log(actor=request.user, action=AuditAction.AID_LETTER_PRINT, target=aid, subject=case)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"notification-aide-{aid.pk}.pdf"
    )
    return response
