import html

import pytest
from django.urls import reverse

from polesocial.directory.models import Partner
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

ALLOWED = (Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.SECRETARY)
REFUSED = tuple(role for role in Role if role not in ALLOWED)


def partner_form(**overrides):
    data = {
        "name": "Point conseil budget de Lignières",
        "kind": "association",
        "area": "Canton de Lignières",
        "phone": "0248123456",
        "email": "pcb@lignieres.example.org",
        "address": "2 rue du Lavoir, 18160 Lignières",
        "notes": "Permanence le jeudi.",
        "is_active": "on",
    }
    return {**data, **overrides}


def text(response) -> str:
    return html.unescape(response.content.decode())


def listed(response) -> list[str]:
    return [partner.name for partner in response.context["page"]]


@pytest.fixture
def directory():
    PartnerFactory(name="CAF du Val-d'Arnon", kind="caf", area="Département du Val-d'Arnon")
    PartnerFactory(name="Arnon Habitat", kind="social_landlord", area="Nord du département")
    PartnerFactory(name="CSAPA de Saint-Éloi", kind="health", area="Sud")
    PartnerFactory(name="Ancienne permanence", kind="association", is_active=False)


@pytest.mark.parametrize("role", ALLOWED)
def test_the_list_shows_active_partners_to_the_roles_of_the_directory(client_as, directory, role):
    response = client_as(role).get(reverse("directory:partner_list"))
    assert response.status_code == 200
    assert listed(response) == ["Arnon Habitat", "CAF du Val-d'Arnon", "CSAPA de Saint-Éloi"]
    assert "Annuaire des partenaires" in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"nature": "caf"}, ["CAF du Val-d'Arnon"]),
        ({"q": "habitat"}, ["Arnon Habitat"]),
        ({"q": "val-d'arnon"}, ["CAF du Val-d'Arnon"]),  # matches the area
        ({"q": "nord"}, ["Arnon Habitat"]),
        ({"q": "sud", "nature": "caf"}, []),
        ({"nature": "unknown"}, ["Arnon Habitat", "CAF du Val-d'Arnon", "CSAPA de Saint-Éloi"]),
        ({"inactifs": "1", "nature": "association"}, ["Ancienne permanence"]),
    ],
)
def test_filters_by_nature_and_by_name_or_area(client_as, directory, query, expected):
    response = client_as(Role.SOCIAL_WORKER).get(reverse("directory:partner_list"), query)
    assert listed(response) == expected


def test_an_empty_result_says_so(client_as, directory):
    response = client_as(Role.SECRETARY).get(reverse("directory:partner_list"), {"q": "zzz"})
    assert "Aucun partenaire ne correspond à ces critères." in text(response)


def test_pagination_keeps_the_filters(client_as):
    for n in range(30):
        PartnerFactory(name=f"CCAS {n:02d}", kind="ccas")
    PartnerFactory(name="CAF", kind="caf")
    response = client_as(Role.COUNSELLOR).get(reverse("directory:partner_list"), {"nature": "ccas"})
    assert response.context["page"].paginator.count == 30
    assert "?nature=ccas&page=2" in text(response)
    second = client_as(Role.COUNSELLOR).get(
        reverse("directory:partner_list"), {"nature": "ccas", "page": "2"}
    )
    assert listed(second) == [f"CCAS {n:02d}" for n in range(25, 30)]


@pytest.mark.parametrize("role", ALLOWED)
def test_a_partner_is_created_normalised_and_journaled(client_as, role):
    client = client_as(role)
    assert client.get(reverse("directory:partner_create")).status_code == 200
    response = client.post(reverse("directory:partner_create"), partner_form())
    assert response.status_code == 302
    assert response.url == reverse("directory:partner_list")
    partner = Partner.objects.get()
    assert partner.phone == "02 48 12 34 56"
    assert partner.is_active
    entry = AuditEntry.objects.get(action="partner.create")
    assert entry.actor == client.user and entry.object_ids == [partner.pk]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"kind": ""}, "Ce champ est obligatoire."),
        ({"phone": "02 48 12"}, "Saisissez un numéro de téléphone valide"),
        ({"phone": "appeler le standard"}, "Saisissez un numéro de téléphone valide"),
        ({"email": "pcb@"}, "Saisissez une adresse électronique valide."),
    ],
)
def test_invalid_input_is_refused_with_a_french_message_beside_the_field(
    client_as, overrides, message
):
    response = client_as(Role.SOCIAL_WORKER).post(
        reverse("directory:partner_create"), partner_form(**overrides)
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Partner.objects.exists()
    assert not AuditEntry.objects.filter(action="partner.create").exists()


def test_a_second_partner_with_the_same_name_is_refused(client_as):
    PartnerFactory(name="Point conseil budget de Lignières")
    response = client_as(Role.COUNSELLOR).post(
        reverse("directory:partner_create"),
        partner_form(name="point conseil budget de lignières"),
    )
    assert response.status_code == 200
    assert "Un partenaire porte déjà ce nom dans l'annuaire." in text(response)
    assert Partner.objects.count() == 1


def test_a_partner_is_edited_and_can_be_set_inactive(client_as):
    partner = PartnerFactory(name="CPAM du Val-d'Arnon", kind="cpam")
    client = client_as(Role.SECRETARY)
    url = reverse("directory:partner_update", args=[partner.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Modifier CPAM du Val-d'Arnon" in text(page)
    data = partner_form(name="CPAM du Val-d'Arnon", kind="cpam", phone="+33 2 48 41 36 10")
    del data["is_active"]
    response = client.post(url, data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.phone == "+33 2 48 41 36 10" and not partner.is_active
    assert AuditEntry.objects.filter(action="partner.update", actor=client.user).count() == 1
    assert listed(client.get(reverse("directory:partner_list"))) == []


def test_an_edit_keeps_its_own_name_but_not_another_partners(client_as):
    PartnerFactory(name="CIDFF du Val-d'Arnon")
    partner = PartnerFactory(name="CIDFF")
    client = client_as(Role.COUNSELLOR)
    url = reverse("directory:partner_update", args=[partner.pk])
    refused = client.post(url, partner_form(name="CIDFF du Val-d'Arnon"))
    assert "Un partenaire porte déjà ce nom dans l'annuaire." in text(refused)
    assert "Modifier CIDFF<" in text(refused).replace("</title>", "<")
    assert client.post(url, partner_form(name="CIDFF")).status_code == 302


def test_an_absent_partner_is_404(client_as):
    response = client_as(Role.SOCIAL_WORKER).get(reverse("directory:partner_update", args=[999]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", REFUSED)
def test_roles_without_the_directory_get_403_and_change_nothing(client_as, role):
    partner = PartnerFactory(name="CNAS")
    client = client_as(role)
    assert client.get(reverse("directory:partner_list")).status_code == 403
    assert client.get(reverse("directory:partner_create")).status_code == 403
    assert client.post(reverse("directory:partner_create"), partner_form()).status_code == 403
    update = reverse("directory:partner_update", args=[partner.pk])
    assert client.post(update, partner_form(name="Renommé")).status_code == 403
    assert list(Partner.objects.values_list("name", flat=True)) == ["CNAS"]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("directory:partner_list"))
    assert response.status_code == 302


def test_two_people_edit_one_partner_the_second_sees_both_versions(client_as):
    partner = PartnerFactory(name="CPAM du Val-d'Arnon", kind="cpam", phone="02 48 00 00 00")
    url = reverse("directory:partner_update", args=[partner.pk])
    first, second = client_as(Role.SECRETARY), client_as(Role.COUNSELLOR)
    first.get(url)
    seen = second.get(url).context["form"]["version"].value()
    assert first.post(url, partner_form(phone="02 48 11 11 11", version=seen)).status_code == 302

    response = second.post(url, partner_form(phone="02 48 22 22 22", version=seen))

    assert response.status_code == 200
    assert "Cette fiche a été modifiée par une autre personne pendant votre saisie." in text(
        response
    )
    rows = {row.label: (row.theirs, row.yours) for row in response.context["form"].conflict}
    assert rows["Téléphone"] == ("02 48 11 11 11", "02 48 22 22 22")
    partner.refresh_from_db()
    assert (partner.phone, partner.version) == ("02 48 11 11 11", 2)
