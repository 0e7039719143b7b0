"""The administrator edits an account: names, address, role (its consequences said first)."""

import html

import pytest
from django.urls import reverse

from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as read, entities decoded (« n'est » is written « n&#x27;est »)."""
    return html.unescape(response.content.decode())


@pytest.fixture
def admin(client):
    user = UserFactory(role=Role.ADMIN)
    sign_in(client, user)
    return user


def edit(client, account, **changes):
    data = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
        **changes,
    }
    return client.post(reverse("users:update", args=[account.pk]), data)


def test_a_role_change_lists_its_consequences_and_waits_for_confirmation(client, admin):
    account = UserFactory(role=Role.EMPLOYER_CONTACT)
    EmployerFactory().accounts.add(account)
    page = text(edit(client, account, role=Role.SECRETARY))
    assert "Confirmez le changement de rôle" in page
    assert "n'envoie plus de saisine" in page
    assert "Ses rattachements à 1 employeur(s) sont à décocher" in page
    assert 'name="confirmed_role" value="secretary"' in page
    account.refresh_from_db()
    assert account.role == Role.EMPLOYER_CONTACT
    assert not AuditEntry.objects.filter(action="user.update").exists()
    # Confirmed for another role than the one now chosen: asked again.
    page = text(edit(client, account, role=Role.BILLING, confirmed_role=Role.SECRETARY))
    assert "perd" in page and "Gestion et facturation" in page


def test_the_admin_corrects_a_name_and_the_journal_keeps_only_the_field_name(client, admin):
    account = UserFactory(role=Role.SECRETARY, last_name="Duponh")
    response = edit(
        client, account, last_name="Dupont", role=Role.BILLING, confirmed_role=Role.BILLING
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.last_name, account.role) == ("Dupont", Role.BILLING)
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.detail == {"fields": ["last_name", "role"]}
    assert "Dupont" not in str(entry.detail)


def test_the_role_change_page_explains_its_consequences_before_saving(client, admin):
    worker = SocialWorkerFactory()
    page = text(client.get(reverse("users:update", args=[worker.user.pk])))
    assert "Changer de rôle" in page
    assert "son rôle ne peut pas changer" in page


def test_an_attached_worker_or_a_team_lead_keeps_her_role(client, admin):
    worker = SocialWorkerFactory()
    response = edit(client, worker.user, role=Role.SECRETARY)
    assert "Changez d'abord son rattachement" in text(response)
    lead = TeamFactory().counsellor
    response = edit(client, lead, role=Role.SECRETARY)
    assert "encadre une équipe" in text(response)
    worker.user.refresh_from_db()
    lead.refresh_from_db()
    assert (worker.user.role, lead.role) == (Role.SOCIAL_WORKER, Role.COUNSELLOR)


def test_an_address_already_taken_and_ones_own_role_are_refused(client, admin):
    other = UserFactory(email="deja@exemple.fr")
    account = UserFactory(role=Role.SECRETARY)
    assert "Un compte existe déjà" in text(edit(client, account, email="DEJA@exemple.fr"))
    assert "votre propre rôle" in text(edit(client, admin, role=Role.DPO))
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert other.email == "deja@exemple.fr"


def test_an_hr_contact_is_linked_to_the_employers_he_answers_for(client, admin):
    from tests.factories import EmployerFactory

    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    first, second = EmployerFactory(), EmployerFactory()
    assert edit(client, contact, employers=[first.pk, second.pk]).status_code == 302
    assert set(contact.employers.all()) == {first, second}
    assert AuditEntry.objects.get(action="user.update").detail == {"fields": ["employers"]}
    # Another role keeps no employer: the page says so rather than keeping them silently.
    refused = text(
        edit(
            client,
            contact,
            role=Role.SECRETARY,
            employers=[first.pk],
            confirmed_role=Role.SECRETARY,
        )
    )
    assert "Seuls un·e correspondant·e RH ou un·e médecin de prévention" in refused
    confirmed = edit(client, contact, role=Role.SECRETARY, confirmed_role=Role.SECRETARY)
    assert confirmed.status_code == 302
    contact.refresh_from_db()
    assert (contact.role, list(contact.employers.all())) == (Role.SECRETARY, [])


def test_a_counsellor_whose_team_closed_may_change_role_and_hears_of_her_interims(client, admin):
    from django.utils import timezone

    from polesocial.organisations import services as organisations

    team = TeamFactory()
    counsellor = team.counsellor
    other = TeamFactory()
    today = timezone.localdate()
    organisations.counsellor_interim_create(
        actor=other.counsellor, team=other, interim=counsellor, starts_on=today, ends_on=today
    )
    assert "son rôle ne peut pas changer" in text(
        client.get(reverse("users:update", args=[counsellor.pk]))
    )
    organisations.team_close(actor=admin, team=team, on=today)
    page = text(edit(client, counsellor, role=Role.SECRETARY))
    assert "Confirmez le changement de rôle" in page
    assert "Les 1 intérim(s) de conseiller·ère" in page
