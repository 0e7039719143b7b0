"""« Mon employeur »: what the HR contact's employer receives, and nothing of any case."""

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from polesocial.billing.models import Invoice, TimeEntry
from polesocial.collective.services import alert_create
from polesocial.organisations.models import Convention
from polesocial.organisations.views.my_employer import hours_by_quarter
from polesocial.users.enums import Role
from tests.api.world import CANARY, DAY, build_world
from tests.conftest import sign_in
from tests.factories import ConventionFactory, OperatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _page(client, user) -> str:
    sign_in(client, user)
    response = client.get(reverse("organisations:my_employer"))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_hr_contact_sees_what_his_employer_receives(client, world):
    employer = world.objects["employer"]
    hr = world.users[Role.EMPLOYER_CONTACT]
    worker = world.objects["worker"]
    convention = Convention.objects.get(employer=employer)
    convention.signed_document.save("c.pdf", ContentFile(b"%PDF-1.4 convention"))
    Invoice.objects.create(
        operator=OperatorFactory(), employer=employer, convention=convention,
        status="issued", number="F-2026-0001", issued_on=DAY, period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31), period_label="1er trimestre 2026", total="540.00",
    )  # fmt: skip
    to_him = alert_create(
        actor=worker.user, worker=worker, employer=employer, addressees=[hr], raised_on=DAY,
        risk="reorganisation", description="Réorganisation des services techniques.",
    )  # fmt: skip
    other_hr = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(other_hr)
    alert_create(
        actor=worker.user, worker=worker, employer=employer, addressees=[other_hr],
        raised_on=DAY, risk="conflict", description="Tensions dans un service.",
    )  # fmt: skip

    page = _page(client, hr)
    assert reverse("organisations:my_convention_document", args=[convention.pk]) in page
    assert "F-2026-0001" in page and "1er trimestre 2026" in page
    assert "Préparer sa retraite" in page  # the collective action
    assert reverse("collective:meeting_detail", args=[world.objects["meeting"].pk]) in page
    assert reverse("collective:alert_detail", args=[to_him.pk]) in page
    assert "Conflit" not in page  # the alert addressed to another contact
    last_year = timezone.localdate().year - 1
    assert reverse("reports:report", args=["employer", employer.pk, last_year]) in page
    assert f"/contacter-le-service-social/?employeur={employer.pk}" in page
    assert "<svg" in page  # the poster's QR code, inline
    assert "Ce que vous ne verrez jamais" in page
    assert CANARY not in page

    document = client.get(reverse("organisations:my_convention_document", args=[convention.pk]))
    assert document.status_code == 200 and document.content.startswith(b"%PDF")


def test_hours_are_given_by_quarter_and_never_finer(client, world):
    employer = world.objects["employer"]
    recorded = TimeEntry.objects.filter(employer=employer, date__year=DAY.year)
    minutes = recorded.aggregate(total=Sum("minutes"))["total"]
    assert minutes  # the world's interview, action and meeting
    quarters = hours_by_quarter(employer, DAY.year)
    assert [q.quarter for q in quarters] == [1, 2, 3, 4]
    assert quarters[0].hours == (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    page = _page(client, world.users[Role.EMPLOYER_CONTACT])
    assert "Heures réalisées par trimestre" in page and "T1" in page
    assert DAY.strftime("%d/%m/%Y") not in page.split("Heures réalisées")[1].split("</table>")[0]


def test_another_employer_s_convention_document_is_absent(client, world):
    other = ConventionFactory(active=True)
    other.signed_document.save("c.pdf", ContentFile(b"%PDF-1.4 other"))
    sign_in(client, world.users[Role.EMPLOYER_CONTACT])
    url = reverse("organisations:my_convention_document", args=[other.pk])
    assert client.get(url).status_code == 404
