"""Those who keep the catalogue change and close its entries (schemes, providers,
employers' memberships) through services, journaled; an ended entry is offered no more,
and an HR contact still reads only his employer's part."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polesocial.aid import services
from polesocial.aid.models import AidScheme, Membership, Provider
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.aid.helpers import aid_case, scheme
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def scheme_data(row: AidScheme, **changes) -> dict:
    data = {
        "name": row.name, "funder": row.funder, "kind": row.kind,
        "ceiling": str(row.ceiling or ""), "version": row.version,
    }  # fmt: skip
    return data | changes


def test_billing_changes_a_scheme_and_the_change_is_journaled(client):
    officer = UserFactory(role=Role.BILLING)
    row = scheme(name="Secours exceptionnel")
    sign_in(client, officer)
    response = client.post(
        reverse("aid:scheme_edit", args=[row.pk]), scheme_data(row, ceiling="1800,00")
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.ceiling == Decimal("1800.00") and row.version == 2
    entry = AuditEntry.objects.filter(action=AuditAction.AID_SCHEME_SAVE).last()
    assert entry.actor == officer and entry.detail == {"changed": ["ceiling"]}


def test_two_people_changing_one_scheme_the_second_sees_both_versions(client):
    row = scheme(name="Secours exceptionnel")
    seen = scheme_data(row)
    services.scheme_update(actor=UserFactory(role=Role.ADMIN), scheme=row,
                           name="Secours d'urgence")  # fmt: skip
    sign_in(client, UserFactory(role=Role.BILLING))
    response = client.post(reverse("aid:scheme_edit", args=[row.pk]), seen | {"ceiling": "900,00"})
    assert response.status_code == 200
    assert "modifiée par une autre personne" in response.content.decode()
    row.refresh_from_db()
    assert row.name == "Secours d'urgence" and row.ceiling == Decimal("1500.00")


def test_a_closed_scheme_is_offered_no_more_on_a_case_but_stays_in_the_catalogue(client):
    worker = SocialWorkerFactory()
    case = aid_case(worker)
    row = scheme(name="Aide à la rentrée scolaire")
    sign_in(client, UserFactory(role=Role.BILLING))
    response = client.post(
        reverse("aid:scheme_close", args=[row.pk]), {"ends_on": YESTERDAY.isoformat()}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.valid_until == YESTERDAY
    entry = AuditEntry.objects.filter(action=AuditAction.AID_SCHEME_CLOSE).last()
    assert entry.detail == {"valid_until": YESTERDAY.isoformat()}
    assert "Aide à la rentrée scolaire" not in client.get(reverse("aid:catalogue")).content.decode()
    shown = client.get(reverse("aid:catalogue") + "?clos=1").content.decode()
    assert "Aide à la rentrée scolaire" in shown
    sign_in(client, worker.user)
    page = client.get(reverse("aid:case_aid", args=[case.pk])).content.decode()
    assert "Aide à la rentrée scolaire" not in page


def test_closing_before_the_start_or_twice_is_refused_in_french():
    officer = UserFactory(role=Role.BILLING)
    row = scheme(valid_from=TODAY)
    with pytest.raises(ValidationError, match="ne peut précéder le début"):
        services.scheme_close(actor=officer, scheme=row, on=YESTERDAY)
    provider = Provider.objects.create(employer=EmployerFactory(), name="P", service="S")
    services.provider_close(actor=officer, provider=provider, on=TODAY)
    with pytest.raises(ValidationError, match="déjà plus référencé"):
        services.provider_close(actor=officer, provider=provider, on=TODAY)


def test_an_ended_membership_leaves_the_hr_contacts_catalogue_who_may_not_change_it(client):
    employer = EmployerFactory()
    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    membership = Membership.objects.create(
        employer=employer, body="welfare_insurance", starts_on=dt.date(2020, 1, 1),
        employees_covered=85,
    )  # fmt: skip
    sign_in(client, contact)
    assert client.get(reverse("aid:membership_edit", args=[membership.pk])).status_code == 403
    assert (
        client.post(
            reverse("aid:membership_close", args=[membership.pk]), {"ends_on": YESTERDAY}
        ).status_code
        == 403
    )
    sign_in(client, UserFactory(role=Role.BILLING))
    client.post(reverse("aid:membership_close", args=[membership.pk]),
                {"ends_on": YESTERDAY.isoformat()})  # fmt: skip
    membership.refresh_from_db()
    assert membership.ends_on == YESTERDAY
    assert AuditEntry.objects.filter(action=AuditAction.AID_MEMBERSHIP_CLOSE).exists()
    sign_in(client, contact)
    assert "85 agents couverts" not in client.get(reverse("aid:catalogue")).content.decode()
    page = client.get(reverse("aid:catalogue") + "?clos=1").content.decode()
    assert "85 agents couverts" in page and "jusqu'au " + YESTERDAY.strftime("%d/%m/%Y") in page


def test_a_provider_moved_to_another_employer_leaves_the_first_hr_contacts_part(client):
    first, second = EmployerFactory(), EmployerFactory()
    first_contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    second_contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    first.accounts.add(first_contact)
    second.accounts.add(second_contact)
    provider = Provider.objects.create(employer=first, name="Domicile Meuse", service="Aide")
    sign_in(client, UserFactory(role=Role.ADMIN))
    response = client.post(
        reverse("aid:provider_edit", args=[provider.pk]),
        {"employer": second.pk, "name": "Domicile Meuse", "service": "Aide ménagère"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.AID_PROVIDER_SAVE).last()
    assert entry.detail == {"changed": ["employer", "service"]}
    sign_in(client, first_contact)
    assert "Domicile Meuse" not in client.get(reverse("aid:catalogue")).content.decode()
    sign_in(client, second_contact)
    assert "Aide ménagère" in client.get(reverse("aid:catalogue")).content.decode()


def test_a_membership_corrected_with_dates_out_of_order_is_refused_in_french(client):
    membership = Membership.objects.create(
        employer=EmployerFactory(), body="cnas", starts_on=dt.date(2026, 1, 1)
    )
    sign_in(client, UserFactory(role=Role.BILLING))
    response = client.post(
        reverse("aid:membership_edit", args=[membership.pk]),
        {"employer": membership.employer_id, "body": "cnas", "starts_on": "2026-01-01",
         "ends_on": "2025-06-30"},
    )  # fmt: skip
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.ends_on is None
