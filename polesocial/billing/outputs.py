"""What an invoice is sent as: PDF (WeasyPrint), CSV for the accounting, Factur-X EN 16931.

Lines carry hours by kind of work: never an employee, a case or a worker's name.
"""

from __future__ import annotations

import csv
import gc
import io
import warnings
from decimal import Decimal

from django.template.loader import render_to_string

from polesocial.billing import rules
from polesocial.billing.models import Invoice
from polesocial.organisations.models import OPERATOR_BILLING_FIELDS

CSV_HEADER = [
    "numéro",
    "nature",
    "date d'émission",
    "employeur",
    "SIRET",
    "période",
    "ligne",
    "libellé",
    "quantité",
    "unité",
    "prix unitaire",
    "montant",
    "statut",
]


def _fr(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def invoices_csv(invoices) -> bytes:
    """One row per line of each issued invoice, `;`-separated, UTF-8 (with a BOM so that
    spreadsheet software reads the accents), amounts with a decimal comma."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for invoice in invoices:
        parties = invoice.parties.get("employer", {})
        for line in invoice.lines.all():
            writer.writerow([
                invoice.number, invoice.get_kind_display(),
                invoice.issued_on.isoformat() if invoice.issued_on else "",
                parties.get("name", invoice.employer.name),
                parties.get("siret", invoice.employer.siret), invoice.period_label,
                line.position, line.label, _fr(line.quantity), line.unit,
                _fr(line.unit_price), _fr(line.amount), invoice.get_status_display(),
            ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _parties(invoice: Invoice) -> dict:
    """The parties as issued (a draft: as they are now)."""
    if invoice.parties:
        return invoice.parties
    employer = invoice.employer
    return {
        "operator": {
            "name": invoice.operator.name,
            "siret": invoice.operator.siret,
            "address": invoice.operator.address,
            **{name: getattr(invoice.operator, name) for name in OPERATOR_BILLING_FIELDS},
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


# The finance software's import (titres de recettes, CGCT L1617-5): one row per issued
# invoice or credit note; documented in docs/billing-revenue-titles.md.
REVENUE_TITLES_HEADER = [
    "reference",
    "type",
    "date_emission",
    "date_echeance",
    "debiteur",
    "siret_debiteur",
    "code_service_chorus",
    "numero_engagement",
    "objet",
    "debut_periode",
    "fin_periode",
    "montant",
    "facture_origine",
    "motif",
]


def revenue_titles_csv(invoices) -> bytes:
    """One row per issued invoice (a receivable) or credit note (a reduction of one),
    `;`-separated, UTF-8 with a BOM, amounts with a decimal comma, dates as YYYY-MM-DD; the
    reference is the product's invoice number, the key the finance software records."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(REVENUE_TITLES_HEADER)
    for invoice in invoices:
        employer = _parties(invoice)["employer"]
        writer.writerow([
            invoice.number, "AVOIR" if invoice.is_credit_note else "FACTURE",
            invoice.issued_on.isoformat(),
            invoice.due_on.isoformat() if invoice.due_on and not invoice.is_credit_note else "",
            employer["name"], employer["siret"], employer.get("chorus_service_code", ""),
            employer.get("chorus_engagement_number", ""),
            f"Service social du travail — {invoice.period_label}",
            invoice.period_start.isoformat(), invoice.period_end.isoformat(),
            _fr(invoice.total), invoice.cancels.number if invoice.cancels_id else "",
            invoice.reason,
        ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _context(invoice: Invoice) -> dict:
    parties = _parties(invoice)
    operator = parties["operator"]
    # Invoices issued before the legal form was kept were a public body's (the default).
    legal_form = operator.get("legal_form") or rules.PUBLIC_BODY
    lines = [
        {"line": line, "hours": rules.format_minutes(line.minutes) if line.minutes else ""}
        for line in invoice.lines.all()
    ]
    return {
        "invoice": invoice,
        "parties": parties,
        "lines": lines,
        "vat_mention": rules.VAT_MENTION,
        "public_body": legal_form == rules.PUBLIC_BODY,
        "payment": rules.payment_mentions(legal_form),
        "due_on": invoice.due_on or (invoice.issued_on and rules.due_date(invoice.issued_on)),
    }


def invoice_pdf(invoice: Invoice, *, pdf_a: bool = False) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is made

    html = render_to_string("billing/invoice_pdf.html", _context(invoice))
    if not pdf_a:
        return HTML(string=html).write_pdf()
    # WeasyPrint opens its sRGB profile for PDF/A and leaves the file to the garbage
    # collector (a ResourceWarning, harmless): collected here, with the warning ignored.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        data = HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")
        gc.collect()
    return data


# --- Factur-X (CII, profile EN 16931) ----------------------------------------------------

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
UNIT_CODES = {"h": "HUR", "vacation": "C62", "forfait": "C62"}
# ISO/IEC 6523 ICD 0002: the SIRENE register (SIREN and SIRET), as Chorus Pro reads it.
SIRENE_SCHEME = "0002"
# UNTDID 4461 58: SEPA credit transfer.
SEPA_CREDIT_TRANSFER = "58"


def _cii():
    from lxml.builder import ElementMaker

    return (
        ElementMaker(namespace=RSM, nsmap=NSMAP),
        ElementMaker(namespace=RAM, nsmap=NSMAP),
        ElementMaker(namespace=UDT, nsmap=NSMAP),
        ElementMaker(namespace=QDT, nsmap=NSMAP),
    )


def _present(*children):
    """The children that are elements (the optional ones given as None are left out)."""
    return [child for child in children if child is not None]


def _party(ram, tag: str, party: dict):
    siret = party.get("siret") or ""
    street = party.get("street") or party.get("address") or ""
    postcode, city = party.get("postcode") or "", party.get("city") or ""
    address = _present(
        ram.PostcodeCode(postcode) if postcode else None,
        ram.LineOne(street.splitlines()[0]) if street else None,
        ram.CityName(city) if city else None,
        ram.CountryID("FR"),
    )
    return getattr(ram, tag)(
        *_present(
            ram.Name(party["name"]),
            ram.SpecifiedLegalOrganization(ram.ID(siret, schemeID=SIRENE_SCHEME))
            if siret
            else None,
            ram.PostalTradeAddress(*address),
        )
    )


def _line(ram, line, sign: int):
    amount = sign * line.amount
    if line.unit == "h" and line.minutes:
        quantity = (Decimal(sign * line.minutes) / 60).quantize(Decimal("0.0001"))
    else:
        quantity = sign * line.quantity
    price = line.unit_price if line.unit_price else Decimal("0.00")
    return ram.IncludedSupplyChainTradeLineItem(
        ram.AssociatedDocumentLineDocument(ram.LineID(str(line.position))),
        ram.SpecifiedTradeProduct(ram.Name(line.label)),
        ram.SpecifiedLineTradeAgreement(
            ram.NetPriceProductTradePrice(ram.ChargeAmount(f"{price:.2f}"))
        ),
        ram.SpecifiedLineTradeDelivery(
            ram.BilledQuantity(str(quantity), unitCode=UNIT_CODES.get(line.unit, "C62"))
        ),
        ram.SpecifiedLineTradeSettlement(
            ram.ApplicableTradeTax(ram.TypeCode("VAT"), ram.CategoryCode("O")),
            ram.SpecifiedTradeSettlementLineMonetarySummation(ram.LineTotalAmount(f"{amount:.2f}")),
        ),
    )


def facturx_xml(invoice: Invoice) -> bytes:
    """The invoice as Cross Industry Invoice XML, profile EN 16931, built with lxml. Not
    subject to VAT (category O, « hors champ »); a credit note (381) carries positive
    amounts. Seller and buyer by SIRET (scheme 0002), the Chorus Pro service code as the
    buyer reference (BT-10), the engagement number as the purchase order (BT-13), the
    convention as the contract (BT-12), payment terms and due date, the payee's IBAN."""
    from lxml import etree

    rsm, ram, udt, qdt = _cii()
    context = _context(invoice)
    parties, payment = context["parties"], context["payment"]
    operator, employer = parties["operator"], parties["employer"]
    sign = -1 if invoice.is_credit_note else 1
    total = f"{sign * invoice.total:.2f}"

    def date(value):
        return udt.DateTimeString(f"{value:%Y%m%d}", format="102")

    notes = [(None, rules.VAT_MENTION), *payment.notes]
    if invoice.is_credit_note and invoice.reason:
        notes.append(("ACD", f"Motif de l'avoir : {invoice.reason}"))  # 4451 ACD: reason
    document = rsm.ExchangedDocument(
        ram.ID(invoice.number),
        ram.TypeCode("381" if invoice.is_credit_note else "380"),
        ram.IssueDateTime(date(invoice.issued_on)),
        *(
            ram.IncludedNote(*_present(ram.Content(text), ram.SubjectCode(code) if code else None))
            for code, text in notes
        ),
    )
    agreement = ram.ApplicableHeaderTradeAgreement(
        *_present(
            ram.BuyerReference(employer["chorus_service_code"])
            if employer.get("chorus_service_code")
            else None,
            _party(ram, "SellerTradeParty", operator),
            _party(ram, "BuyerTradeParty", employer),
            ram.BuyerOrderReferencedDocument(
                ram.IssuerAssignedID(employer["chorus_engagement_number"])
            )
            if employer.get("chorus_engagement_number")
            else None,
            ram.ContractReferencedDocument(ram.IssuerAssignedID(employer["convention_reference"]))
            if employer.get("convention_reference")
            else None,
        )
    )
    iban, bic = operator.get("iban") or "", operator.get("bic") or ""
    means = (
        ram.SpecifiedTradeSettlementPaymentMeans(
            *_present(
                ram.TypeCode(SEPA_CREDIT_TRANSFER),
                ram.PayeePartyCreditorFinancialAccount(ram.IBANID(iban)),
                ram.PayeeSpecifiedCreditorFinancialInstitution(ram.BICID(bic)) if bic else None,
            )
        )
        if iban and not invoice.is_credit_note
        else None
    )
    cancelled = invoice.cancels if invoice.is_credit_note else None
    if cancelled:  # BR-CO-25: an amount due needs its terms
        terms = ram.SpecifiedTradePaymentTerms(
            ram.Description(f"Avoir à déduire de la facture n° {cancelled.number}.")
        )
    else:
        description = payment.terms
        if context["public_body"] and operator.get("public_accountant"):
            description += f" Comptable public assignataire : {operator['public_accountant']}."
        terms = ram.SpecifiedTradePaymentTerms(
            ram.Description(description), ram.DueDateDateTime(date(context["due_on"]))
        )
    settlement = ram.ApplicableHeaderTradeSettlement(
        *_present(
            ram.PaymentReference(invoice.number),
            ram.InvoiceCurrencyCode("EUR"),
            means,
            ram.ApplicableTradeTax(
                ram.CalculatedAmount("0.00"),
                ram.TypeCode("VAT"),
                ram.ExemptionReason(rules.VAT_MENTION),
                ram.BasisAmount(total),
                ram.CategoryCode("O"),
            ),
            ram.BillingSpecifiedPeriod(
                ram.StartDateTime(date(invoice.period_start)),
                ram.EndDateTime(date(invoice.period_end)),
            ),
            terms,
            ram.SpecifiedTradeSettlementHeaderMonetarySummation(
                ram.LineTotalAmount(total),
                ram.TaxBasisTotalAmount(total),
                ram.TaxTotalAmount("0.00", currencyID="EUR"),
                ram.GrandTotalAmount(total),
                ram.DuePayableAmount(total),
            ),
            ram.InvoiceReferencedDocument(
                ram.IssuerAssignedID(cancelled.number),
                ram.FormattedIssueDateTime(
                    qdt.DateTimeString(f"{cancelled.issued_on:%Y%m%d}", format="102")
                ),
            )
            if cancelled
            else None,
        )
    )
    root = rsm.CrossIndustryInvoice(
        rsm.ExchangedDocumentContext(
            ram.GuidelineSpecifiedDocumentContextParameter(ram.ID("urn:cen.eu:en16931:2017"))
        ),
        document,
        rsm.SupplyChainTradeTransaction(
            *(_line(ram, line, sign) for line in invoice.lines.all()),
            agreement,
            ram.ApplicableHeaderTradeDelivery(),
            settlement,
        ),
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def invoice_facturx(invoice: Invoice) -> bytes:
    """A PDF/A-3 with its EN 16931 XML embedded (for Chorus Pro)."""
    import facturx

    pdf = invoice_pdf(invoice, pdf_a=True)
    return facturx.generate_from_binary(
        pdf, facturx_xml(invoice), flavor="factur-x", level="en16931", lang="fr-FR"
    )
