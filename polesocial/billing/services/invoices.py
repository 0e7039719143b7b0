"""Issue, credit notes and payment of invoices, numbered without gaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polesocial.billing import rules
from polesocial.billing.enums import InvoiceKind, InvoiceStatus, LineKind
from polesocial.billing.models import Invoice, InvoiceLine
from polesocial.core.numbering import next_number
from polesocial.organisations.models import OPERATOR_BILLING_FIELDS
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

if TYPE_CHECKING:
    from polesocial.users.models import User


def invoice_number(*, operator_id: int, year: int) -> str:
    """The next number of the operator's sequence for `year` (2026-000001), shared by its
    invoices and credit notes; gapless, since a rolled-back issue gives its number back."""
    return f"{year}-{next_number(sequence=f'invoice-{operator_id}', year=year):06d}"


def _parties(invoice: Invoice) -> dict[str, dict[str, str]]:
    employer, operator = invoice.employer, invoice.operator
    return {
        "operator": {
            "name": operator.name,
            "siret": operator.siret,
            "address": operator.address,
            **{name: getattr(operator, name) for name in OPERATOR_BILLING_FIELDS},
        },
        "employer": {
            "name": employer.name,
            "siret": employer.siret,
            "street": employer.street,
            "postcode": employer.postcode,
            "city": employer.city,
            "chorus_service_code": employer.chorus_service_code,
            "chorus_engagement_number": employer.chorus_engagement_number,
            "convention_reference": invoice.convention.reference if invoice.convention else "",
        },
    }


def _issue(invoice: Invoice, issued_on: dt.date) -> None:
    invoice.number = invoice_number(operator_id=invoice.operator_id, year=issued_on.year)
    invoice.issued_on = issued_on
    invoice.due_on = rules.due_date(issued_on)
    invoice.status = InvoiceStatus.ISSUED
    invoice.parties = _parties(invoice)
    invoice.save()


@transaction.atomic
def invoice_issue(
    *, actor: User | None, invoice: Invoice, issued_on: dt.date | None = None
) -> Invoice:
    """Issue a draft: it takes the next number and its time entries are locked."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(ALREADY_ISSUED)
    _issue(invoice, issued_on or timezone.localdate())
    audit_log(actor=actor, action=AuditAction.INVOICE_ISSUE, target=invoice)
    return invoice


ALREADY_ISSUED = "Cette facture est déjà émise."
NOTHING_TO_ISSUE = "Aucun brouillon choisi : cochez les factures à émettre."
CREDIT_NOT_ALLOWED = "Seule une facture émise et non annulée peut recevoir un avoir."
CREDIT_REASON = "Indiquez le motif de l'avoir."
CREDIT_AMOUNT = "Le montant de l'avoir va de 0,01 € au reste à annuler ({rest} €)."
PAID_IN_FUTURE = "La date de paiement ne peut pas être dans le futur."


@transaction.atomic
def invoice_issue_all(
    *, actor: User | None, invoices, issued_on: dt.date | None = None
) -> list[Invoice]:
    """Issue the chosen drafts at once, in one transaction: N drafts take N consecutive
    numbers (in the run's order: employer, then period), or none is issued."""
    ids = sorted({invoice.pk for invoice in invoices})
    drafts = list(
        Invoice.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("employer__name", "employer_id", "period_start", "pk")
    )
    if not drafts:
        raise ValidationError(NOTHING_TO_ISSUE)
    if len(drafts) != len(ids) or any(not draft.is_draft for draft in drafts):
        raise ValidationError(
            "Une des factures choisies est déjà émise ou n'existe plus : rechargez la page."
        )
    day = issued_on or timezone.localdate()
    for draft in drafts:
        _issue(draft, day)
        audit_log(actor=actor, action=AuditAction.INVOICE_ISSUE, target=draft)
    return drafts


def credited(invoice: Invoice) -> Decimal:
    """What the credit notes of `invoice` already took back (a positive amount)."""
    notes = Invoice.objects.filter(cancels=invoice, kind=InvoiceKind.CREDIT_NOTE)
    return -sum((note.total for note in notes), Decimal("0.00"))


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return Decimal("NaN")
    return amount


@transaction.atomic
def invoice_cancel(
    *,
    actor: User | None,
    invoice: Invoice,
    reason: str = "Annulation de la facture",
    amount: Decimal | str | None = None,
    issued_on: dt.date | None = None,
) -> Invoice:
    """A credit note on an issued invoice, numbered in the same sequence, with its reason.

    Without `amount` (or with what is left to cancel) it cancels the rest of the invoice:
    the invoice becomes « annulée » and its time entries, still locked, may be billed again.
    With a smaller amount it is partial: one line of that amount, the invoice stays due
    for the rest. Several credit notes never take back more than the invoice's total."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in (
        InvoiceStatus.ISSUED,
        InvoiceStatus.PAID,
    ):
        raise ValidationError(CREDIT_NOT_ALLOWED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": CREDIT_REASON})
    rest = invoice.total - credited(invoice)
    wanted = _amount(amount)
    if wanted is None:
        wanted = rest
    if not wanted.is_finite() or wanted != rules.cents(wanted) or not 0 < wanted <= rest:
        shown = f"{rest:.2f}".replace(".", ",")
        raise ValidationError({"amount": CREDIT_AMOUNT.format(rest=shown)})
    full = wanted == rest
    note = Invoice.objects.create(
        operator_id=invoice.operator_id,
        employer=invoice.employer,
        convention=invoice.convention,
        kind=InvoiceKind.CREDIT_NOTE,
        cancels=invoice,
        reason=reason[:255],
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        period_label=invoice.period_label,
        total=-wanted,
    )
    if full and rest == invoice.total:  # the whole invoice: its lines, negated
        for line in invoice.lines.all():
            InvoiceLine.objects.create(
                invoice=note,
                position=line.position,
                kind=line.kind,
                time_kind=line.time_kind,
                label=line.label,
                minutes=-line.minutes,
                quantity=-line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                amount=-line.amount,
            )
    else:  # a part: one line of the amount
        InvoiceLine.objects.create(
            invoice=note,
            position=1,
            kind=LineKind.CREDIT,
            label=f"Avoir sur la facture n° {invoice.number} : {reason}"[:200],
            quantity=Decimal("-1"),
            unit="forfait",
            unit_price=wanted,
            amount=-wanted,
        )
    _issue(note, issued_on or timezone.localdate())
    if full:
        invoice.status = InvoiceStatus.CANCELLED
        invoice.save(update_fields=["status"])
    audit_log(
        actor=actor,
        action=AuditAction.INVOICE_CANCEL,
        target=invoice,
        detail={"credit_note": note.number, "amount": f"{wanted:.2f}", "full": full},
    )
    return note


@transaction.atomic
def invoice_set_paid(
    *, actor: User | None, invoice: Invoice, paid_on: dt.date | None, today: dt.date | None = None
) -> Invoice:
    """Record (or, with None, withdraw) the payment of an issued invoice: on a day between
    its issue and today."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    allowed = (InvoiceStatus.ISSUED, InvoiceStatus.PAID)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in allowed:
        raise ValidationError("Seule une facture émise et non annulée peut être payée.")
    if paid_on and invoice.issued_on and paid_on < invoice.issued_on:
        raise ValidationError({"paid_on": "Le paiement ne précède pas l'émission."})
    if paid_on and paid_on > (today or timezone.localdate()):
        raise ValidationError({"paid_on": PAID_IN_FUTURE})
    invoice.paid_on = paid_on
    invoice.status = InvoiceStatus.PAID if paid_on else InvoiceStatus.ISSUED
    invoice.save(update_fields=["status", "paid_on"])
    audit_log(actor=actor, action=AuditAction.INVOICE_PAYMENT, target=invoice)
    return invoice
