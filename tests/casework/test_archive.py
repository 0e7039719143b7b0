"""The archive: an archived case opens, read-only, only for a person the DPO authorised,
after a typed motive that the journal keeps; everyone else gets 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from polesocial.casework.models import Case
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import ArchivistGrant, AuditEntry
from polesocial.privacy.services import archivist_grant, archivist_revoke, is_archivist
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.url_rows.privacy import archived_case

pytestmark = pytest.mark.django_db

MOTIVE = "Demande de droit d'accès reçue le 02/12/2026, réponse à préparer"
ASSESSMENT = "Dettes de loyer, deux enfants à charge."


@pytest.fixture
def archivist(client):
    user = UserFactory(role=Role.SOCIAL_WORKER)
    sign_in(client, user)
    return user


def open_archived(client, case, motive=MOTIVE):
    return client.post(reverse("casework:archive_open", args=[case.pk]), {"motive": motive})


def test_an_authorised_archivist_opens_an_archived_case_after_a_motive_journaled(client, archivist):
    case = archived_case(granted_to=archivist)
    response = open_archived(client, case)
    assert response.status_code == 200
    assert ASSESSMENT in response.content.decode()
    entry = AuditEntry.objects.filter(action=AuditAction.ARCHIVE_OPEN).get()
    assert entry.actor == archivist
    assert entry.object_ids == [case.pk]
    assert entry.detail == {"motive": MOTIVE}


def test_the_archive_lists_case_numbers_without_content(client, archivist):
    case = archived_case(granted_to=archivist)
    page = client.get(reverse("casework:archive_list")).content.decode()
    assert case.number in page
    assert ASSESSMENT not in page
    assert "DUPONT" not in page.upper()


def test_opening_without_the_authorisation_is_404_and_shows_nothing(client, archivist):
    case = archived_case()  # nobody authorised
    response = open_archived(client, case)
    assert response.status_code == 404
    assert ASSESSMENT not in response.content.decode()
    assert client.get(reverse("casework:archive_list")).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.ARCHIVE_OPEN).exists()


def test_the_worker_who_held_the_case_no_longer_reads_it_once_archived(client):
    case = archived_case()
    sign_in(client, case.worker.user)
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
    assert open_archived(client, case).status_code == 404


def test_a_short_motive_is_refused_in_french_and_nothing_is_shown(client, archivist):
    case = archived_case(granted_to=archivist)
    response = open_archived(client, case, motive="pour voir")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Précisez le motif : au moins 20 caractères." in page
    assert ASSESSMENT not in page
    assert not AuditEntry.objects.filter(action=AuditAction.ARCHIVE_OPEN).exists()


def test_a_motive_naming_the_employee_is_refused_the_journal_holds_no_name(client, archivist):
    case = archived_case(granted_to=archivist)
    last_name = case.person.last_name
    response = open_archived(client, case, motive=f"Demande de Madame {last_name} du 2 décembre")
    assert "écrivez pas le nom de" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.ARCHIVE_OPEN).exists()


def test_a_revoked_archivist_gets_404_again(client, archivist):
    case = archived_case(granted_to=archivist)
    grant = ArchivistGrant.objects.get(user=archivist)
    archivist_revoke(actor=grant.granted_by, grant=grant)
    assert not is_archivist(archivist)
    assert open_archived(client, case).status_code == 404


def test_an_anonymised_case_is_no_longer_in_the_archive(client, archivist):
    case = archived_case(granted_to=archivist)
    Case.objects.filter(pk=case.pk).update(anonymised_on=case.archived_on)
    assert open_archived(client, case).status_code == 404


def test_the_dpo_grants_and_revokes_the_authorisation_from_her_screen_journaled(client_as):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    dpo = client_as(Role.DPO)
    url = reverse("privacy:archivist_list")
    assert dpo.post(url, {"user": worker.pk}).status_code == 302
    grant = ArchivistGrant.objects.active().get(user=worker)
    assert grant.granted_by == dpo.user
    told = worker.notifications.get()
    assert told.url == reverse("casework:archive_list")
    assert list(dpo.get(url).context["grants"]) == [grant]
    dpo.post(reverse("privacy:archivist_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == dpo.user
    actions = list(
        AuditEntry.objects.filter(object_ids=[worker.pk], object_type="users.User")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.ARCHIVIST_GRANT, AuditAction.ARCHIVIST_REVOKE]


@pytest.mark.parametrize("role", [Role.DPO, Role.ADMIN, Role.SECRETARY, Role.EMPLOYER_CONTACT])
def test_only_workers_and_counsellors_can_be_made_archivists(role):
    with pytest.raises(ValidationError):
        archivist_grant(actor=UserFactory(role=Role.DPO), user=UserFactory(role=role))


def test_a_counsellor_made_archivist_opens_the_archive(client):
    counsellor = UserFactory(role=Role.COUNSELLOR)
    sign_in(client, counsellor)
    case = archived_case(granted_to=counsellor)
    assert open_archived(client, case).status_code == 200
