import datetime as dt
import io
import re

import facturx
import pytest
from pypdf import PdfReader

from polesocial.billing import outputs, services
from tests.billing.facturx_checks import assert_valid, errors
from tests.billing.helpers import setting, time
from tests.factories import EMPLOYEE_IDENTITY, open_case_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    worker, employer = setting(contribution="500.00")
    employer.street, employer.postcode, employer.city = "1 place de la Mairie", "10000", "Troyes"
    employer.chorus_service_code, employer.chorus_engagement_number = "SERV-RH", "EJ-2026-0042"
    employer.save()
    operator = employer.operator
    operator.siret, operator.address = "20001000000014", "2 rue Pierre Labonde\n10000 Troyes"
    operator.iban, operator.bic = "FR7630006000011234567890189", "AGRIFRPP"
    operator.public_accountant = "Paierie départementale de l'Aube"
    operator.save()
    open_case_for(
        worker,
        employer=employer,
        identity={**EMPLOYEE_IDENTITY, "first_name": "Éloïse", "last_name": "Zébulon"},
    )
    time(worker, employer, dt.date(2026, 2, 3), 440)
    time(worker, employer, dt.date(2026, 3, 3), 90, "collective_action")
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1)
    return services.invoice_issue(actor=None, invoice=draft, issued_on=dt.date(2026, 4, 2))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_carries_the_vat_mention_and_no_employee(issued):
    text = pdf_text(outputs.invoice_pdf(issued))
    assert "TVA non applicable, art. 256 B du CGI" in text
    assert issued.number in text and issued.employer.siret in text
    assert "Entretiens" in text and "7 h 20" in text and "1 940.00" not in text
    assert "Zébulon" not in text and "Éloïse" not in text
    worker = issued.lines.get(time_kind="interview").entries.get().worker
    assert worker.user.last_name not in text


def test_a_public_body_s_pdf_carries_what_a_public_accountant_requires(issued):
    text = " ".join(pdf_text(outputs.invoice_pdf(issued)).split())
    assert "SIRET 20001000000014" in text  # the issuer
    assert "Échéance : 02/05/2026" in text  # issued on 2 April, 30 days
    assert "R2192-10" in text and "40 €" in text and "D2192-35" in text
    assert "FR7630006000011234567890189" in text and "AGRIFRPP" in text
    assert "Paierie départementale de l'Aube" in text and "Trésor public" in text
    assert "SERV-RH" in text and "EJ-2026-0042" in text
    assert "L441-10" not in text


def test_an_association_s_invoice_carries_the_code_de_commerce_mentions(issued):
    operator = issued.operator
    operator.legal_form = "association"
    operator.save()
    worker = issued.lines.get(time_kind="interview").entries.get().worker
    time(worker, issued.employer, dt.date(2026, 5, 4), 60)
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=2)
    invoice = services.invoice_issue(actor=None, invoice=draft, issued_on=dt.date(2026, 7, 1))
    text = " ".join(pdf_text(outputs.invoice_pdf(invoice)).split())
    assert "Échéance : 31/07/2026" in text and "L441-10" in text and "40 €" in text
    assert "Pas d'escompte" in text and "comptable public" not in text
    assert_valid(outputs.facturx_xml(invoice))


def test_the_facturx_xml_validates_against_en16931(issued):
    xml = outputs.facturx_xml(issued)
    assert_valid(xml)
    assert b'<ram:ID schemeID="0002">20001000000014</ram:ID>' in xml  # the seller
    assert f'<ram:ID schemeID="0002">{issued.employer.siret}</ram:ID>'.encode() in xml
    assert b"<ram:BuyerReference>SERV-RH</ram:BuyerReference>" in xml
    assert b"<ram:IssuerAssignedID>EJ-2026-0042</ram:IssuerAssignedID>" in xml
    assert b"<ram:IBANID>FR7630006000011234567890189</ram:IBANID>" in xml
    assert b'<udt:DateTimeString format="102">20260502</udt:DateTimeString>' in xml
    assert "Comptable public assignataire : Paierie départementale de l'Aube".encode() in xml
    codes = re.findall(rb"<ram:SubjectCode>(\w+)</ram:SubjectCode>", xml)
    assert sorted(codes) == [b"PMD", b"PMT"]  # late interest, the 40 € indemnity: once each
    pdf = outputs.invoice_facturx(issued)
    filename, embedded = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml" and embedded == xml


def test_a_credit_note_validates_too(issued):
    note = services.invoice_cancel(actor=None, invoice=issued, issued_on=dt.date(2026, 4, 3))
    xml = outputs.facturx_xml(note)
    assert_valid(xml)
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml and b">-" not in xml


def test_a_partial_credit_note_validates_and_states_its_reason(issued):
    note = services.invoice_cancel(
        actor=None, invoice=issued, amount="90", reason="Action collective annulée"
    )
    xml = outputs.facturx_xml(note)
    assert_valid(xml)
    assert "Action collective annulée".encode() in xml
    text = pdf_text(outputs.invoice_pdf(note))
    assert "Action collective annulée" in text and issued.number in text


def test_the_business_rules_catch_an_invoice_without_the_seller_s_siret(issued):
    """The schematron really runs: without the issuer's SIRET, BR-CO-26 refuses it."""
    issued.parties["operator"]["siret"] = ""
    assert [rule for rule, _, _ in errors(outputs.facturx_xml(issued))] == ["BR-CO-26"]


def test_the_csv_is_semicolon_separated_utf8(issued):
    data = outputs.invoices_csv([issued]).decode("utf-8-sig")
    header, first, *rest = data.splitlines()
    assert header.startswith("numéro;nature;date d'émission;employeur;SIRET")
    assert first.startswith(f"{issued.number};Facture;2026-04-02;{issued.employer.name}")
    assert "500,00" in first and len(rest) == 2
