"""Issue, credit notes and payment of invoices, numbered without gaps."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polesocial.billing.enums import InvoiceKind, InvoiceStatus
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
        },
    }


def _issue(invoice: Invoice, issued_on: dt.date) -> None:
    invoice.number = invoice_number(operator_id=invoice.operator_id, year=issued_on.year)
    invoice.issued_on = issued_on
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
        raise ValidationError("Cette facture est déjà émise.")
    _issue(invoice, issued_on or timezone.localdate())
    audit_log(actor=actor, action=AuditAction.INVOICE_ISSUE, target=invoice)
    return invoice


@transaction.atomic
def invoice_cancel(
    *, actor: User | None, invoice: Invoice, issued_on: dt.date | None = None
) -> Invoice:
    """Cancel an issued invoice by a credit note of the opposite amounts, numbered in the
    same sequence. Its time entries stay locked but may be billed again."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in (
        InvoiceStatus.ISSUED,
        InvoiceStatus.PAID,
    ):
        raise ValidationError("Seule une facture émise peut être annulée par un avoir.")
    note = Invoice.objects.create(
        operator_id=invoice.operator_id,
        employer=invoice.employer,
        convention=invoice.convention,
        kind=InvoiceKind.CREDIT_NOTE,
        cancels=invoice,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        period_label=invoice.period_label,
        total=-invoice.total,
    )
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
    _issue(note, issued_on or timezone.localdate())
    invoice.status = InvoiceStatus.CANCELLED
    invoice.save(update_fields=["status"])
    audit_log(
        actor=actor,
        action=AuditAction.INVOICE_CANCEL,
        target=invoice,
        detail={"credit_note": note.number},
    )
    return note


@transaction.atomic
def invoice_set_paid(*, actor: User | None, invoice: Invoice, paid_on: dt.date | None) -> Invoice:
    """Record (or, with None, withdraw) the payment of an issued invoice."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    allowed = (InvoiceStatus.ISSUED, InvoiceStatus.PAID)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in allowed:
        raise ValidationError("Seule une facture émise et non annulée peut être payée.")
    if paid_on and invoice.issued_on and paid_on < invoice.issued_on:
        raise ValidationError({"paid_on": "Le paiement ne précède pas l'émission."})
    invoice.paid_on = paid_on
    invoice.status = InvoiceStatus.PAID if paid_on else InvoiceStatus.ISSUED
    invoice.save(update_fields=["status", "paid_on"])
    audit_log(actor=actor, action=AuditAction.INVOICE_PAYMENT, target=invoice)
    return invoice
