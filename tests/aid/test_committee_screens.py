"""The counsellor creates a committee and sets or changes its members from the screens;
the sessions to come follow the members, each change is journaled."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.aid import services
from polesocial.aid.models import Committee
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.aid.helpers import member
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_counsellor_creates_a_committee_with_its_members_from_the_screen(client):
    counsellor = UserFactory(role=Role.COUNSELLOR)
    first, second = member(last_name="Aubry"), member(last_name="Bastien")
    sign_in(client, counsellor)
    response = client.post(
        reverse("aid:committee_create"),
        {"name": "Commission du centre", "scope": "operator", "members": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    committee = Committee.objects.get(name="Commission du centre")
    assert set(committee.members.all()) == {first, second}
    entry = AuditEntry.objects.filter(action=AuditAction.AID_COMMITTEE_SAVE).last()
    assert entry.actor == counsellor
    assert entry.detail["members"] == sorted([first.pk, second.pk])
    page = client.get(reverse("aid:committee_list")).content.decode()
    assert "Commission du centre" in page and "Aubry" in page and "Bastien" in page


def test_an_employer_committee_without_its_employer_is_refused_in_french(client):
    sign_in(client, UserFactory(role=Role.COUNSELLOR))
    response = client.post(reverse("aid:committee_create"), {"name": "C", "scope": "employer"})
    assert response.status_code == 200
    assert "indique son employeur." in response.content.decode()
    assert not Committee.objects.exists()


def test_a_social_worker_cannot_sit_in_a_committee():
    counsellor = UserFactory(role=Role.COUNSELLOR)
    worker = SocialWorkerFactory().user
    with pytest.raises(Exception) as refused:
        services.committee_create(actor=counsellor, name="C", scope="operator", members=[worker])
    assert "Seuls des membres de commission" in str(refused.value)
    assert not Committee.objects.exists()


def test_changing_the_members_convenes_the_new_one_and_shuts_out_the_former_one(client):
    counsellor = UserFactory(role=Role.COUNSELLOR)
    leaving, staying, joining = member(), member(), member()
    committee = services.committee_create(
        actor=counsellor, name="Commission", scope="operator", members=[leaving, staying]
    )
    today = timezone.localdate()
    past = services.session_create(
        actor=counsellor, committee=committee, held_on=today - dt.timedelta(days=30)
    )
    coming = services.session_create(
        actor=counsellor, committee=committee, held_on=today + dt.timedelta(days=10)
    )
    sign_in(client, counsellor)
    response = client.post(
        reverse("aid:committee_edit", args=[committee.pk]),
        {"name": "Commission", "scope": "operator", "members": [staying.pk, joining.pk]},
    )
    assert response.status_code == 302
    assert set(committee.members.all()) == {staying, joining}
    assert set(coming.members.all()) == {staying, joining}
    # The past sitting keeps whom it convened: its minutes stay true.
    assert set(past.members.all()) == {leaving, staying}
    entry = AuditEntry.objects.filter(action=AuditAction.AID_COMMITTEE_SAVE).last()
    assert entry.detail == {"added": [joining.pk], "removed": [leaving.pk]}
    # The former member no longer reads the coming agenda; the new one does.
    sign_in(client, leaving)
    assert client.get(reverse("aid:session_detail", args=[coming.pk])).status_code == 404
    sign_in(client, joining)
    assert client.get(reverse("aid:session_detail", args=[coming.pk])).status_code == 200


def test_the_edit_screen_shows_the_committee_as_saved(client):
    counsellor = UserFactory(role=Role.COUNSELLOR)
    employer = EmployerFactory(name="Commune de Revigny")
    sitting = member(last_name="Collin")
    committee = services.committee_create(
        actor=counsellor, name="Commission de Revigny", scope="employer", employer=employer,
        members=[sitting],
    )  # fmt: skip
    sign_in(client, counsellor)
    page = client.get(reverse("aid:committee_edit", args=[committee.pk])).content.decode()
    assert 'value="Commission de Revigny"' in page
    assert f'value="{sitting.pk}"' in page and "checked" in page
