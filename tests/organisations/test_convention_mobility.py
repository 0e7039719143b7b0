"""A convention covers social work unless it names the mobility service (issue 18): the
screen sets its hourly rate, the printed convention says it either way, and once signed it
changes only by amendment, like every price."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from polesocial.organisations import convention_documents, services
from polesocial.organisations.models import Convention
from polesocial.users.enums import Role
from tests.factories import ConventionFactory, EmployerFactory
from tests.organisations.test_convention_documents import TODAY, cdg_convention, pdf_text

pytestmark = pytest.mark.django_db

TERMS = {
    "billing_mode": "hourly",
    "hourly_rate": "60",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "notice_months": "3",
    "billing_period": "quarterly",
}


def test_the_counsellor_names_the_mobility_service_and_its_rate_on_the_convention(client_as):
    employer = EmployerFactory()
    client = client_as(Role.COUNSELLOR)
    client.post(
        reverse("organisations:convention_create", args=[employer.pk]),
        {**TERMS, "mobility_hourly_rate": "55.50"},
    )
    convention = Convention.objects.get()
    assert convention.mobility_hourly_rate == Decimal("55.50")
    page = unescape(
        client.get(reverse("organisations:convention_detail", args=[convention.pk])).text
    )
    assert "Couvert : 55,50 € de l'heure" in page


def test_the_printed_convention_says_whether_the_mobility_service_is_covered():
    covered = pdf_text(
        convention_documents.convention_pdf(
            cdg_convention(mobility_hourly_rate="55.50"), today=TODAY
        )
    )
    assert (
        "La convention couvre aussi l'accompagnement par la conseillère mobilité "
        "(reclassement, inaptitude, formation), facturé sur une ligne distincte au taux "
        "horaire de 55,50 €." in covered
    )
    plain = pdf_text(convention_documents.convention_pdf(cdg_convention(), today=TODAY))
    assert "Elle ne couvre pas l'accompagnement par la conseillère mobilité" in plain


def test_a_signed_convention_names_the_mobility_service_only_by_amendment():
    convention = ConventionFactory(active=True)
    with pytest.raises(ValidationError) as refused:
        services.convention_update(
            actor=None, convention=convention, mobility_hourly_rate=Decimal("55")
        )
    assert "ne changent que par avenant" in refused.value.messages[0]
    amendment = services.convention_amend(
        actor=None,
        convention=convention,
        signed_on=convention.starts_on,
        effective_from=convention.starts_on.replace(month=7),
        reason="Extension à l'accompagnement mobilité",
        mobility_hourly_rate=Decimal("55"),
    )
    assert "accompagnement mobilité 55,00 € de l'heure" in amendment.summary
    convention.refresh_from_db()
    assert convention.rate_on(convention.starts_on).mobility_hourly_rate is None
    assert convention.rate_on(amendment.effective_from).mobility_hourly_rate == Decimal("55")
