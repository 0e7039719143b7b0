"""The billing officer's "Facturation" and the invoice pages (also read by HR contacts)."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.billing import outputs, rules, services
from polesocial.billing.enums import InvoiceStatus
from polesocial.billing.forms import CreditNoteForm, FinalInvoiceForm, PaymentForm
from polesocial.billing.models import Invoice, InvoiceLine, InvoiceRun
from polesocial.billing.permissions import can_manage_invoices
from polesocial.billing.views.common import (
    _int,
    int_param,
    quarter_param,
    show_errors,
    year_param,
    year_to_write,
)
from polesocial.core import jobs
from polesocial.core.forms import done
from polesocial.organisations.models import Employer
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import feature_required


def _invoices(user):
    return (
        Invoice.objects.visible_by(user)
        .select_related("employer", "cancels")
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
    )


def _rows(invoices):
    return [
        {
            "invoice": invoice,
            "hours": rules.format_minutes(sum(line.minutes for line in invoice.lines.all())),
        }
        for invoice in invoices
    ]


def _back(year: int, quarter: int):
    return redirect(f"{reverse('billing:invoice_list')}?annee={year}&trimestre={quarter}")


CHOSEN_QUARTER = "billing_quarter"


def _chosen_quarter(request) -> tuple[int, int]:
    """The quarter asked for, kept in the session; without one, the last one chosen (the
    page keeps the quarter when the officer comes back from an invoice), else the default."""
    if "annee" in request.GET or "trimestre" in request.GET:
        year, quarter = year_param(request), quarter_param(request)
        request.session[CHOSEN_QUARTER] = [year, quarter]
        return year, quarter
    kept = request.session.get(CHOSEN_QUARTER)
    if isinstance(kept, list) and len(kept) == 2 and rules.is_valid_quarter(*kept):
        return kept[0], kept[1]
    return year_param(request), quarter_param(request)


@feature_required("billing")
def invoice_list(request):
    """A quarter's drafts and issued invoices (periods ending in it), with the run."""
    year, quarter = _chosen_quarter(request)
    start, end = rules.quarter_bounds(year, quarter)
    invoices = _invoices(request.user).filter(period_end__range=(start, end))
    context = {
        "year": year,
        "quarter": quarter,
        "quarter_label": rules.period_label(year, 3, quarter),
        "ended": (ended := rules.quarter_has_ended(year, quarter, timezone.localdate())),
        "final_form": None if ended else FinalInvoiceForm(employers=_ended_employers(request)),
        "first_day": end + dt.timedelta(days=1),
        "quarters": [(q, rules.period_label(year, 3, q)) for q in (1, 2, 3, 4)],
        "drafts": _rows(invoices.drafts().order_by("employer__name", "period_start")),
        "issued": _rows(invoices.issued().order_by("number")),
    }
    return render(request, "billing/invoice_list.html", context)


@require_POST
@feature_required("billing")
def invoice_run(request):
    """The quarter's run goes to the task queue; its status page follows the progress."""
    try:
        run = services.invoice_run_request(
            actor=request.user,
            year=int_param(request, "annee"),
            quarter=int_param(request, "trimestre"),
        )
    except ValidationError as error:  # a forged link: never run another quarter instead
        show_errors(request, error)
        return redirect("billing:invoice_list")
    return redirect("billing:invoice_run_status", pk=run.pk)


def _ended_employers(request):
    return (
        services.employers_with_ended_convention()
        .filter(pk__in=Employer.objects.visible_by(request.user).values("pk"))
        .order_by("name", "pk")
    )


@require_POST
@feature_required("billing")
def invoice_run_final(request):
    """The explicit override: the final invoice of an ended convention before the end of the
    quarter, with its reason, journaled (the service refuses any other employer)."""
    year, quarter = year_to_write(request), int_param(request, "trimestre")
    if year is None or quarter is None or not rules.is_valid_quarter(year, quarter):
        messages.error(request, rules.BAD_PERIOD)
        return redirect("billing:invoice_list")
    form = FinalInvoiceForm(request.POST, employers=_ended_employers(request))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(year, quarter)
    try:
        drafts = services.invoice_run_final(
            actor=request.user,
            year=year,
            quarter=quarter,
            employers=[form.cleaned_data["employer"]],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        show_errors(request, error)
        return _back(year, quarter)
    messages.success(
        request,
        f"Facture finale préparée : {len(drafts)} brouillon{'s' if len(drafts) > 1 else ''} "
        "à vérifier avant émission."
        if drafts
        else "Rien à facturer pour cet employeur sur ce trimestre.",
    )
    return _back(year, quarter)


@feature_required("billing")
def invoice_run_status(request, pk):
    run = jobs.refreshed(visible_or_404(InvoiceRun, request.user, pk=pk))
    return render(request, "billing/invoice_run_status.html", {"job": run})


@require_POST
@feature_required("billing")
def invoice_issue(request, pk: int):
    invoice = visible_or_404(Invoice, request.user, pk=pk)
    done(
        request,
        lambda: services.invoice_issue(actor=request.user, invoice=invoice),
        lambda issued: f"Facture {issued.number} émise.",
    )
    return redirect("billing:invoice_detail", pk=invoice.pk)


@require_POST
@feature_required("billing")
def invoice_issue_all(request):
    """« Émettre tout »: the checked drafts, after one confirmation that states their
    count, their total and that their numbers cannot be taken back; then all at once."""
    year, quarter = year_to_write(request), int_param(request, "trimestre")
    if year is None or quarter is None or not rules.is_valid_quarter(year, quarter):
        messages.error(request, rules.BAD_PERIOD)
        return redirect("billing:invoice_list")
    ids = {_id for value in request.POST.getlist("factures") if (_id := _int(value))}
    drafts = list(
        _invoices(request.user)
        .drafts()
        .filter(pk__in=ids)
        .order_by("employer__name", "employer_id", "period_start", "pk")
    )
    if not drafts or len(drafts) != len(ids):
        messages.error(
            request,
            services.NOTHING_TO_ISSUE
            if not ids
            else "Une des factures choisies est déjà émise ou n'existe plus : vérifiez la liste.",
        )
        return _back(year, quarter)
    if request.POST.get("confirme") != "oui":
        context = {
            "invoices": drafts,
            "count": len(drafts),
            "total": sum((draft.total for draft in drafts), Decimal("0.00")),
            "year": year,
            "quarter": quarter,
            "quarter_label": rules.period_label(year, 3, quarter),
        }
        return render(request, "billing/invoice_issue_all.html", context)
    try:
        issued = services.invoice_issue_all(actor=request.user, invoices=drafts)
    except ValidationError as error:
        show_errors(request, error)
        return _back(year, quarter)
    messages.success(
        request,
        f"{len(issued)} facture{'s' if len(issued) > 1 else ''} émise"
        f"{'s' if len(issued) > 1 else ''}, du n° {issued[0].number} au n° {issued[-1].number}.",
    )
    return _back(year, quarter)


@require_POST
@feature_required("billing")
def invoice_cancel(request, pk: int):
    """A credit note with its reason: of the whole rest of the invoice, or of a part."""
    invoice = visible_or_404(Invoice, request.user, pk=pk)
    form = CreditNoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("billing:invoice_detail", pk=invoice.pk)
    try:
        note = services.invoice_cancel(
            actor=request.user,
            invoice=invoice,
            reason=form.cleaned_data["reason"],
            amount=form.cleaned_data["amount"],
        )
    except ValidationError as error:
        show_errors(request, error)
        return redirect("billing:invoice_detail", pk=invoice.pk)
    invoice.refresh_from_db()
    if invoice.status == InvoiceStatus.CANCELLED:
        messages.success(request, f"Avoir {note.number} émis : la facture est annulée.")
    else:
        amount = f"{-note.total:.2f}".replace(".", ",")
        messages.success(request, f"Avoir partiel {note.number} émis ({amount} €).")
    return redirect("billing:invoice_detail", pk=note.pk)


@require_POST
@feature_required("billing")
def invoice_pay(request, pk: int):
    invoice = visible_or_404(Invoice, request.user, pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.invoice_set_paid(
                actor=request.user, invoice=invoice, paid_on=form.cleaned_data["paid_on"]
            )
            messages.success(request, "Statut de paiement enregistré.")
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, "Saisissez une date au format jj/mm/aaaa.")
    return redirect("billing:invoice_detail", pk=invoice.pk)


@feature_required("invoices_read")
def invoice_detail(request, pk: int):
    invoice = get_object_or_404(_invoices(request.user), pk=pk)
    lines = [
        {"line": line, "hours": rules.format_minutes(line.minutes) if line.minutes else ""}
        for line in invoice.lines.all()
    ]
    context = {
        "invoice": invoice,
        "lines": lines,
        "vat_mention": rules.VAT_MENTION,
        "credit_notes": invoice.credit_notes.order_by("number") if not invoice.is_draft else [],
        # Back to the quarter the invoice's period ends in (the list shows it there).
        "quarter": (invoice.period_end.month - 1) // 3 + 1,
        "credit_form": CreditNoteForm(),
        "payment_form": PaymentForm(initial={"paid_on": invoice.paid_on}),
        "can_manage": can_manage_invoices(request.user),
    }
    return render(request, "billing/invoice_detail.html", context)


def _file(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _issued_or_404(request, pk: int) -> Invoice:
    return get_object_or_404(_invoices(request.user).issued(), pk=pk)


@feature_required("invoices_read")
def invoice_pdf(request, pk: int):
    invoice = _issued_or_404(request, pk)
    return _file(outputs.invoice_pdf(invoice), "application/pdf", f"{invoice.number}.pdf")


@feature_required("invoices_read")
def invoice_facturx(request, pk: int):
    invoice = _issued_or_404(request, pk)
    data = outputs.invoice_facturx(invoice)
    return _file(data, "application/pdf", f"{invoice.number}-facturx.pdf")


@feature_required("billing")
def invoice_csv(request):
    """The quarter's issued invoices and credit notes, one row per line, for the accounting."""
    year, quarter = year_param(request), quarter_param(request)
    start, end = rules.quarter_bounds(year, quarter)
    invoices = _invoices(request.user).issued().filter(period_end__range=(start, end))
    data = outputs.invoices_csv(invoices.order_by("number"))
    return _file(data, "text/csv; charset=utf-8", f"factures-{year}-T{quarter}.csv")


@feature_required("billing")
def revenue_titles_csv(request):
    """The quarter's issued invoices and credit notes, one row each, for the operator's
    finance software (titres de recettes): the invoice number is the reference it keeps."""
    year, quarter = year_param(request), quarter_param(request)
    start, end = rules.quarter_bounds(year, quarter)
    invoices = (
        _invoices(request.user)
        .issued()
        .filter(period_end__range=(start, end))
        .select_related("convention")
        .order_by("number")
    )
    data = outputs.revenue_titles_csv(invoices)
    return _file(data, "text/csv; charset=utf-8", f"titres-de-recettes-{year}-T{quarter}.csv")


@feature_required("my_invoices")
def my_invoices(request):
    """An HR contact's invoices: his employers' issued invoices and credit notes."""
    invoices = _invoices(request.user).order_by("-issued_on", "-number")
    return render(request, "billing/my_invoices.html", {"rows": _rows(invoices)})
