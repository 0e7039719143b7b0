"""The convention printed for signature (PDF and ODT), from the operator's model."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from odf import teletype
from odf.opendocument import load
from odf.table import TableCell
from odf.text import P
from pypdf import PdfReader

from polesocial.organisations import convention_documents
from polesocial.organisations.models import FteShare
from polesocial.users.enums import Role
from tests.factories import (
    ConventionFactory,
    EmployerFactory,
    OperatorFactory,
    SocialWorkerFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def odt_text(data: bytes) -> str:
    document = load(io.BytesIO(data))
    paragraphs = document.getElementsByType(P)
    return " ".join(" ".join(teletype.extractText(p) for p in paragraphs).split())


def worker_at_80_giving_half_to(employer):
    worker = SocialWorkerFactory(
        fte=Decimal("0.80"), user__first_name="Ysaline", user__last_name="Quennevieux"
    )
    FteShare.objects.create(worker=worker, employer=employer, year=2026, share=Decimal("0.5"))
    return worker


def cdg_convention(**fields):
    operator = OperatorFactory(kind="management_centre")
    employer = EmployerFactory(operator=operator, name="Commune de Sainte-Odile")
    defaults = {
        "reference": "CONV-2026-007",
        "hourly_rate": "60.00",
        "membership_contribution": "450.00",
        "premises_provided": True,
    }
    convention = ConventionFactory(employer=employer, **{**defaults, **fields})
    convention.refresh_from_db()
    return convention


def test_the_convention_pdf_shows_the_time_split_and_the_note_8_figure():
    convention = cdg_convention()
    worker_at_80_giving_half_to(convention.employer)

    text = pdf_text(convention_documents.convention_pdf(convention, today=TODAY))

    assert "0,8 ETP pour un(e) ASS à temps plein" in text
    assert "0,2 ETP pour un(e) ASS à temps plein" in text
    assert (
        "ETP consacré à Commune de Sainte-Odile = (1 ETP × 80 %) × 50 % = 0,4 ETP, dont "
        "environ 0,32 ETP de prestations de service social et 0,08 ETP de gestion de la "
        "fonction" in text
    )
    assert "Ysaline Quennevieux" in text


def test_the_cdg_model_carries_the_terms_of_the_service_convention():
    convention = cdg_convention()

    text = pdf_text(convention_documents.convention_pdf(convention, today=TODAY))

    assert "Convention de prestation d'accompagnement social des agents" in text
    assert "financé par la cotisation annuelle de 450,00 €" in text
    assert (
        "2e étape, pour toutes les autres actions individuelles ou collectives : taux "
        "horaire de 60,00 € par heure d'intervention" in text
    )
    assert "recouvrement est effectué trimestriellement" in text
    assert "met à disposition un local" in text
    assert "s'engage à créer une instance pluridisciplinaire interne" in text
    assert "CONV-2026-007" in text


def test_another_operator_gets_the_convention_type_of_annex_v():
    operator = OperatorFactory(name="DREAL Centre", kind="ministry_regional_service")
    employer = EmployerFactory(operator=operator, name="DDT du Cher")
    convention = ConventionFactory(employer=employer)
    convention.refresh_from_db()
    worker_at_80_giving_half_to(employer)

    text = pdf_text(convention_documents.convention_pdf(convention, today=TODAY))

    assert "circulaire 2007-38, annexe V" in text
    assert "(1 ETP × 80 %) × 50 % = 0,4 ETP" in text
    assert "Centre de gestion" not in text


def test_the_odt_opens_and_holds_the_same_figures():
    convention = cdg_convention()
    worker_at_80_giving_half_to(convention.employer)

    text = odt_text(convention_documents.convention_odt(convention, today=TODAY))
    table_text = " ".join(
        teletype.extractText(cell)
        for cell in load(
            io.BytesIO(convention_documents.convention_odt(convention, today=TODAY))
        ).getElementsByType(TableCell)
    )

    assert "(1 ETP × 80 %) × 50 % = 0,4 ETP" in text
    assert "0,32 ETP de prestations de service social" in text
    assert "taux horaire de 60,00 €" in text
    assert "0,4 ETP" in table_text and "0,08 ETP" in table_text


def test_the_billing_officer_generates_it_from_the_convention_page(client_as):
    convention = cdg_convention()
    client = client_as(Role.BILLING)

    page = client.get(reverse("organisations:convention_detail", args=[convention.pk]))
    pdf_url = reverse("organisations:convention_generate", args=[convention.pk, "pdf"])
    odt_url = reverse("organisations:convention_generate", args=[convention.pk, "odt"])
    assert pdf_url in page.content.decode()
    assert "Générer la convention (PDF)" in page.content.decode()

    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert "convention-CONV-2026-007.pdf" in pdf["Content-Disposition"]
    odt = client.get(odt_url)
    assert odt["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert (
        client.get(
            reverse("organisations:convention_generate", args=[convention.pk, "docx"])
        ).status_code
        == 404
    )


def test_a_social_worker_cannot_generate_it(client_as):
    convention = cdg_convention()
    client = client_as(Role.SOCIAL_WORKER)
    url = reverse("organisations:convention_generate", args=[convention.pk, "pdf"])
    assert client.get(url).status_code in (403, 404)
