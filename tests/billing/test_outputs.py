import datetime as dt
import io

import facturx
import pytest
from pypdf import PdfReader

from polesocial.billing import outputs, services
from tests.billing.helpers import setting, time
from tests.factories import EMPLOYEE_IDENTITY, open_case_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    worker, employer = setting(contribution="500.00")
    employer.street, employer.postcode, employer.city = "1 place de la Mairie", "10000", "Troyes"
    employer.save()
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


def test_the_facturx_xml_validates_against_en16931(issued):
    xml = outputs.facturx_xml(issued)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    pdf = outputs.invoice_facturx(issued)
    filename, embedded = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml" and embedded == xml


def test_a_credit_note_validates_too(issued):
    note = services.invoice_cancel(actor=None, invoice=issued, issued_on=dt.date(2026, 4, 3))
    xml = outputs.facturx_xml(note)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml and b">-" not in xml


def test_the_csv_is_semicolon_separated_utf8(issued):
    data = outputs.invoices_csv([issued]).decode("utf-8-sig")
    header, first, *rest = data.splitlines()
    assert header.startswith("numéro;nature;date d'émission;employeur;SIRET")
    assert first.startswith(f"{issued.number};Facture;2026-04-02;{issued.employer.name}")
    assert "500,00" in first and len(rest) == 2
