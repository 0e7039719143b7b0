"""What an invoice is sent as: PDF (WeasyPrint), CSV for the accounting, Factur-X EN 16931.

Lines carry hours by kind of work: never an employee, a case or a worker's name.
"""

from __future__ import annotations

import csv
import gc
import io
import warnings
from decimal import Decimal
from xml.sax.saxutils import escape

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


def _context(invoice: Invoice) -> dict:
    parties = invoice.parties or {
        "operator": {
            "name": invoice.operator.name,
            "siret": invoice.operator.siret,
            "address": invoice.operator.address,
            **{name: getattr(invoice.operator, name) for name in OPERATOR_BILLING_FIELDS},
        },
        "employer": {
            "name": invoice.employer.name,
            "siret": invoice.employer.siret,
            "street": invoice.employer.street,
            "postcode": invoice.employer.postcode,
            "city": invoice.employer.city,
        },
    }
    lines = [
        {"line": line, "hours": rules.format_minutes(line.minutes) if line.minutes else ""}
        for line in invoice.lines.all()
    ]
    return {
        "invoice": invoice,
        "parties": parties,
        "lines": lines,
        "vat_mention": rules.VAT_MENTION,
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

NS = (
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100" '
    'xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"'
)
UNIT_CODES = {"h": "HUR", "vacation": "C62", "forfait": "C62"}


def _date(value) -> str:
    return f'<udt:DateTimeString format="102">{value:%Y%m%d}</udt:DateTimeString>'


def _party(tag: str, party: dict, scheme: str) -> str:
    siret = party.get("siret") or ""
    legal = (
        f'<ram:SpecifiedLegalOrganization><ram:ID schemeID="{scheme}">{escape(siret)}</ram:ID>'
        "</ram:SpecifiedLegalOrganization>"
        if siret
        else ""
    )
    postcode = party.get("postcode") or ""
    street = party.get("street") or party.get("address") or ""
    city = party.get("city") or ""
    return (
        f"<ram:{tag}><ram:Name>{escape(party['name'])}</ram:Name>{legal}"
        "<ram:PostalTradeAddress>"
        + (f"<ram:PostcodeCode>{escape(postcode)}</ram:PostcodeCode>" if postcode else "")
        + (f"<ram:LineOne>{escape(street.splitlines()[0])}</ram:LineOne>" if street else "")
        + (f"<ram:CityName>{escape(city)}</ram:CityName>" if city else "")
        + f"<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:{tag}>"
    )


def _line_xml(line, sign: int) -> str:
    amount = sign * line.amount
    if line.unit == "h" and line.minutes:
        quantity = (Decimal(sign * line.minutes) / 60).quantize(Decimal("0.0001"))
    else:
        quantity = sign * line.quantity
    price = line.unit_price if line.unit_price else Decimal("0.00")
    return (
        "<ram:IncludedSupplyChainTradeLineItem>"
        "<ram:AssociatedDocumentLineDocument>"
        f"<ram:LineID>{line.position}</ram:LineID></ram:AssociatedDocumentLineDocument>"
        f"<ram:SpecifiedTradeProduct><ram:Name>{escape(line.label)}</ram:Name>"
        "</ram:SpecifiedTradeProduct>"
        "<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>"
        f"<ram:ChargeAmount>{price:.2f}</ram:ChargeAmount>"
        "</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>"
        "<ram:SpecifiedLineTradeDelivery>"
        f'<ram:BilledQuantity unitCode="{UNIT_CODES.get(line.unit, "C62")}">{quantity}'
        "</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>"
        "<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax>"
        "<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>O</ram:CategoryCode>"
        "</ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementLineMonetarySummation>"
        f"<ram:LineTotalAmount>{amount:.2f}</ram:LineTotalAmount>"
        "</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>"
        "</ram:IncludedSupplyChainTradeLineItem>"
    )


def facturx_xml(invoice: Invoice) -> bytes:
    """The invoice as Cross Industry Invoice XML, profile EN 16931. Not subject to VAT
    (category O, « hors champ »); a credit note (381) carries positive amounts."""
    context = _context(invoice)
    parties = context["parties"]
    sign = -1 if invoice.is_credit_note else 1
    total = sign * invoice.total
    type_code = "381" if invoice.is_credit_note else "380"
    reference = (
        "<ram:InvoiceReferencedDocument>"
        f"<ram:IssuerAssignedID>{escape(invoice.cancels.number)}</ram:IssuerAssignedID>"
        f'<ram:FormattedIssueDateTime><qdt:DateTimeString format="102">'
        f"{invoice.cancels.issued_on:%Y%m%d}</qdt:DateTimeString></ram:FormattedIssueDateTime>"
        "</ram:InvoiceReferencedDocument>"
        if invoice.is_credit_note
        else ""
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice {NS}>'
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>"
        "</ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>"
        "<rsm:ExchangedDocument>"
        f"<ram:ID>{escape(invoice.number)}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>"
        f"<ram:IssueDateTime>{_date(invoice.issued_on)}</ram:IssueDateTime>"
        f"<ram:IncludedNote><ram:Content>{rules.VAT_MENTION}</ram:Content></ram:IncludedNote>"
        "</rsm:ExchangedDocument><rsm:SupplyChainTradeTransaction>"
        + "".join(_line_xml(line, sign) for line in invoice.lines.all())
        + "<ram:ApplicableHeaderTradeAgreement>"
        + _party("SellerTradeParty", parties["operator"], "0002")
        + _party("BuyerTradeParty", parties["employer"], "0009")
        + "</ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeDelivery/>"
        "<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>"
        "<ram:ApplicableTradeTax><ram:CalculatedAmount>0.00</ram:CalculatedAmount>"
        f"<ram:TypeCode>VAT</ram:TypeCode><ram:ExemptionReason>{rules.VAT_MENTION}"
        f"</ram:ExemptionReason><ram:BasisAmount>{total:.2f}</ram:BasisAmount>"
        "<ram:CategoryCode>O</ram:CategoryCode></ram:ApplicableTradeTax>"
        f"<ram:BillingSpecifiedPeriod><ram:StartDateTime>{_date(invoice.period_start)}"
        f"</ram:StartDateTime><ram:EndDateTime>{_date(invoice.period_end)}</ram:EndDateTime>"
        "</ram:BillingSpecifiedPeriod><ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        f"<ram:LineTotalAmount>{total:.2f}</ram:LineTotalAmount>"
        f"<ram:TaxBasisTotalAmount>{total:.2f}</ram:TaxBasisTotalAmount>"
        '<ram:TaxTotalAmount currencyID="EUR">0.00</ram:TaxTotalAmount>'
        f"<ram:GrandTotalAmount>{total:.2f}</ram:GrandTotalAmount>"
        f"<ram:DuePayableAmount>{total:.2f}</ram:DuePayableAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        + reference
        + "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
        "</rsm:CrossIndustryInvoice>"
    )
    return xml.encode("utf-8")


def invoice_facturx(invoice: Invoice) -> bytes:
    """A PDF/A-3 with its EN 16931 XML embedded (for Chorus Pro)."""
    import facturx

    pdf = invoice_pdf(invoice, pdf_a=True)
    return facturx.generate_from_binary(
        pdf, facturx_xml(invoice), flavor="factur-x", level="en16931", lang="fr-FR"
    )
