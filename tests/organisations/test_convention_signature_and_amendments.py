"""The signed scan of a convention, and amendments (avenants) recorded on its page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polesocial.organisations import rules
from polesocial.organisations.models import Convention
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%scan\n"


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_signed_scan_deposited_later_is_kept_and_journaled(client_as):
    convention = ConventionFactory(active=True)
    client = client_as(Role.BILLING)
    url = reverse("organisations:convention_scan", args=[convention.pk])

    response = client.post(url, {"document": SimpleUploadedFile("scan.pdf", PDF)}, follow=True)

    assert "Convention signée déposée." in messages_of(response)
    convention.refresh_from_db()
    with convention.signed_document.open("rb") as scan:
        assert scan.read() == PDF
    assert AuditEntry.objects.filter(action="convention.scan").count() == 1


def test_a_scan_that_is_not_a_pdf_or_too_big_is_refused_in_french(client_as, monkeypatch):
    convention = ConventionFactory(active=True)
    client = client_as(Role.BILLING)
    url = reverse("organisations:convention_scan", args=[convention.pk])

    not_pdf = client.post(
        url, {"document": SimpleUploadedFile("scan.docx", b"PK\x03\x04")}, follow=True
    )
    monkeypatch.setattr(rules, "SIGNED_SCAN_MAX_BYTES", 10)
    too_big = client.post(url, {"document": SimpleUploadedFile("scan.pdf", PDF)}, follow=True)

    assert "Le fichier n'est pas un PDF." in messages_of(not_pdf)
    assert "Le fichier dépasse 10 Mo." in messages_of(too_big)
    assert not Convention.objects.get(pk=convention.pk).signed_document
    assert not AuditEntry.objects.filter(action="convention.scan").exists()


def test_a_signature_date_in_the_future_is_refused(client_as):
    convention = ConventionFactory()
    client = client_as(Role.COUNSELLOR)
    response = client.post(
        reverse("organisations:convention_sign", args=[convention.pk]),
        {"signed_on": "2099-01-01"},
        follow=True,
    )
    assert "ne peut pas être dans le futur" in messages_of(response)
    assert Convention.objects.get(pk=convention.pk).status == "draft"


def test_the_billing_officer_records_an_amendment_and_the_page_keeps_the_rates(client_as):
    convention = ConventionFactory(active=True)
    client = client_as(Role.BILLING)

    response = client.post(
        reverse("organisations:amendment_create", args=[convention.pk]),
        {
            "signed_on": "2026-06-15",
            "effective_from": "2026-07-01",
            "hourly_rate": "61,37",
            "reason": "Revalorisation votée par le conseil d'administration",
            "document": SimpleUploadedFile("avenant.pdf", PDF),
        },
        follow=True,
    )

    amendment = convention.amendments.get()
    assert amendment.hourly_rate == Decimal("61.37")
    page = response.content.decode()
    assert "Avenant n° 1 enregistré." in page
    assert "Avenant n° 1 signé le 15/06/2026, en vigueur à compter du 01/07/2026" in page
    assert "60,00 €" in page and "61,37 €" in page  # the history of rates
    assert reverse("organisations:amendment_document", args=[amendment.pk]) in page
    assert convention.rate_on(dt.date(2026, 6, 30)).hourly_rate == Decimal("60.00")
    assert convention.rate_on(dt.date(2026, 7, 1)).hourly_rate == Decimal("61.37")


def test_an_amendment_before_the_convention_is_refused_beside_the_date(client_as):
    convention = ConventionFactory(active=True)
    client = client_as(Role.BILLING)
    response = client.post(
        reverse("organisations:amendment_create", args=[convention.pk]),
        {
            "signed_on": "2026-06-15",
            "effective_from": "2025-07-01",
            "hourly_rate": "61,37",
            "reason": "Revalorisation",
        },
    )
    assert response.status_code == 200
    assert "en dehors de la convention" in response.content.decode()
    assert not convention.amendments.exists()


def test_a_signed_convention_changes_its_prices_only_by_amendment():
    from polesocial.organisations import services

    convention = ConventionFactory(active=True)
    convention.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.convention_update(actor=None, convention=convention, hourly_rate=Decimal("61.37"))
    services.convention_update(
        actor=None, convention=convention, hourly_rate=Decimal("60"), reference="CONV-9"
    )

    assert "ne changent que par avenant" in " ".join(refused.value.messages)
    convention.refresh_from_db()
    assert (convention.hourly_rate, convention.reference) == (Decimal("60.00"), "CONV-9")
