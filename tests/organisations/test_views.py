import datetime as dt

import pytest
from django.urls import reverse

from polesocial.organisations.models import Convention, Employer, FteShare, Headcount
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import (
    ConventionFactory,
    EmployerFactory,
    OperatorFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    siret_with_key,
)

pytestmark = pytest.mark.django_db


def employer_form(**overrides):
    data = {
        "name": "Commune de Sainte-Odile",
        "kind": "commune",
        "siret": siret_with_key("2180000000123"),
        "street": "1 place de la Mairie",
        "postcode": "18000",
        "city": "Sainte-Odile",
        "hr_contact_name": "Mme Petit",
        "hr_contact_email": "rh@sainte-odile.fr",
        "hr_contact_phone": "02 48 00 00 00",
    }
    return {**data, **overrides}


def test_a_counsellor_creates_an_employer(client_as):
    OperatorFactory()
    client = client_as(Role.COUNSELLOR)
    response = client.post(reverse("organisations:employer_create"), employer_form())
    employer = Employer.objects.get()
    assert response.url == reverse("organisations:employer_detail", args=[employer.pk])
    assert employer.name == "Commune de Sainte-Odile"


def test_a_bad_siret_is_refused_with_a_french_message_and_nothing_saved(client_as):
    OperatorFactory()
    client = client_as(Role.COUNSELLOR)
    response = client.post(
        reverse("organisations:employer_create"), employer_form(siret="21800000001230")
    )
    assert response.status_code == 200
    assert "clé de contrôle" in response.content.decode()
    assert not Employer.objects.exists()


def test_without_an_operator_the_employer_form_says_so_and_saves_nothing(client_as):
    client = client_as(Role.COUNSELLOR)
    response = client.post(reverse("organisations:employer_create"), employer_form())
    assert response.status_code == 200
    assert "Aucun opérateur n&#x27;est enregistré" in response.content.decode()
    assert not Employer.objects.exists()


def test_convention_lifecycle_through_the_screens(client_as):
    employer = EmployerFactory()
    client = client_as(Role.COUNSELLOR)
    response = client.post(
        reverse("organisations:convention_create", args=[employer.pk]),
        {
            "reference": "CONV-2026-001",
            "billing_mode": "hourly",
            "hourly_rate": "60",
            "membership_contribution": "450",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "tacit_renewal": "on",
            "notice_months": "3",
            "billing_period": "quarterly",
        },
    )
    convention = Convention.objects.get()
    assert response.url == reverse("organisations:convention_detail", args=[convention.pk])
    client.post(
        reverse("organisations:convention_sign", args=[convention.pk]),
        {"signed_on": "2025-12-10"},
    )
    client.post(reverse("organisations:convention_activate", args=[convention.pk]))
    convention.refresh_from_db()
    assert convention.status == "active"
    page = client.get(reverse("organisations:convention_detail", args=[convention.pk]))
    assert "En vigueur" in page.content.decode()


def test_the_convention_form_names_each_bad_term_beside_its_field(client_as):
    employer = EmployerFactory()
    client = client_as(Role.COUNSELLOR)
    response = client.post(
        reverse("organisations:convention_create", args=[employer.pk]),
        {
            "billing_mode": "sessions",
            "hourly_rate": "60",  # the wrong amount for the mode
            "starts_on": "2026-01-01",
            "ends_on": "2025-12-31",
            "notice_months": "3",
            "billing_period": "quarterly",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "session_rate": ["Ce montant est obligatoire pour ce mode de facturation."],
        "ends_on": ["La fin ne peut pas précéder le début."],
    }
    assert not Convention.objects.exists()


def test_an_invalid_transition_shows_a_french_error(client_as):
    convention = ConventionFactory()
    client = client_as(Role.COUNSELLOR)
    response = client.post(
        reverse("organisations:convention_activate", args=[convention.pk]), follow=True
    )
    assert "ne peut pas passer" in response.content.decode()
    convention.refresh_from_db()
    assert convention.status == "draft"


def test_the_signed_document_must_be_a_pdf(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    convention = ConventionFactory()
    client = client_as(Role.COUNSELLOR)
    fake = SimpleUploadedFile("convention.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("organisations:convention_sign", args=[convention.pk]),
        {"signed_on": "2025-12-10", "document": fake},
        follow=True,
    )
    assert "pas un PDF" in response.content.decode()
    convention.refresh_from_db()
    assert convention.status == "draft"


def test_headcount_parts_must_add_up(client_as):
    employer = EmployerFactory()
    client = client_as(Role.BILLING)
    response = client.post(
        reverse("organisations:headcount_set", args=[employer.pk]),
        {"year": 2026, "total": 100, "category_a": 10, "category_b": 20, "category_c": 30},
        follow=True,
    )
    assert "ne correspond pas" in response.content.decode()
    assert not Headcount.objects.exists()


class TestScopes:
    def test_a_social_worker_lists_only_her_team_s_employers(self, client):
        worker = SocialWorkerFactory()
        mine = EmployerFactory(team=worker.team)
        other = EmployerFactory()
        sign_in(client, worker.user)
        page = client.get(reverse("organisations:employer_list")).content.decode()
        assert mine.name in page
        assert other.name not in page
        detail = reverse("organisations:employer_detail", args=[other.pk])
        assert client.get(detail).status_code == 404

    def test_an_hr_contact_sees_his_employer_s_conventions_only(self, client):
        contact = UserFactory(role=Role.EMPLOYER_CONTACT)
        mine = ConventionFactory(reference="MINE-1")
        mine.employer.accounts.add(contact)
        ConventionFactory(reference="OTHER-1")
        sign_in(client, contact)
        page = client.get(reverse("organisations:my_employer")).content.decode()
        assert mine.employer.name in page
        assert "OTHER-1" not in page


def test_fte_plan_shows_the_0_8_warning(client):
    team = TeamFactory()  # she plans the workers of the team she leads
    sign_in(client, team.counsellor)
    worker = SocialWorkerFactory(fte="0.80", team=team)
    for share in ("0.5", "0.4"):
        client.post(
            reverse("organisations:fte_share_set") + "?annee=2026",
            {
                "worker": worker.pk,
                "employer": EmployerFactory().pk,
                "share": share.replace(".", ","),
            },
        )
    assert FteShare.objects.count() == 2
    page = client.get(reverse("organisations:fte_plan") + "?annee=2026").content.decode()
    assert "au-delà de 0,8" in page


def test_a_replacement_is_created_from_the_screen(client):
    team = TeamFactory()  # within the team she leads (tests/privacy/test_review_leaks.py)
    sign_in(client, team.counsellor)
    absent, replacing = SocialWorkerFactory(team=team), SocialWorkerFactory(team=team)
    response = client.post(
        reverse("organisations:replacement_list"),
        {
            "absent": absent.pk,
            "replacing": replacing.pk,
            "starts_on": dt.date(2026, 7, 1).isoformat(),
            "ends_on": dt.date(2026, 7, 31).isoformat(),
        },
    )
    assert response.status_code == 302
    assert replacing.replacements.count() == 1


def test_termination_needs_an_explicit_confirmation(client_as):
    convention = ConventionFactory(status="active")
    client = client_as(Role.COUNSELLOR)
    url = reverse("organisations:convention_terminate", args=[convention.pk])
    response = client.post(url, {"terminated_on": "2026-06-30"}, follow=True)
    assert "Cochez la case pour confirmer" in response.content.decode()
    convention.refresh_from_db()
    assert convention.status == "active"
    client.post(url, {"terminated_on": "2026-06-30", "confirm": "on"})
    convention.refresh_from_db()
    assert convention.status == "terminated"


def test_the_siret_hint_is_linked_to_its_field(client_as):
    client = client_as(Role.COUNSELLOR)
    page = client.get(reverse("organisations:employer_create")).content.decode()
    assert "14 chiffres, sans espace." in page


def test_pagination_keeps_the_filters(client_as):
    team = TeamFactory()
    for _ in range(26):
        EmployerFactory(team=team, kind="epci")
    client = client_as(Role.COUNSELLOR)
    page = client.get(reverse("organisations:employer_list"), {"nature": "epci"}).content.decode()
    assert "nature=epci&amp;page=2" in page


def test_an_employer_no_team_serves_yet_reads_without_a_team_in_list_and_page(client_as):
    employer = EmployerFactory(name="Syndicat des eaux du Val", team=None)
    client = client_as(Role.BILLING)

    listing = client.get(reverse("organisations:employer_list"))
    page = client.get(reverse("organisations:employer_detail", args=[employer.pk]))

    assert "Syndicat des eaux du Val" in listing.content.decode()
    assert "Aucune" in page.content.decode()
