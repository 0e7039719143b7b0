"""« Mon compte »: every role changes her password, sees her second factor and sessions,
and signs out her other sessions."""

import html

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from polesocial.users.models import UserSession
from tests.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from tests.users.test_sessions import sign_in_through_the_form

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une longue phrase de passe bien à moi"


def text(response) -> str:
    return html.unescape(response.content.decode())


def two_sessions(role=Role.SECRETARY):
    """The same person signed in on two browsers (the first through the form)."""
    user = UserFactory(role=role, with_totp=True)
    here, elsewhere = Client(), Client()
    sign_in_through_the_form(here, user)
    sign_in(elsewhere, user)
    UserSession.objects.create(user=user, session_key=elsewhere.session.session_key)
    return user, here, elsewhere


@pytest.mark.parametrize("role", list(Role))
def test_a_click_on_ones_name_opens_mon_compte_for_every_role(client, role):
    user = UserFactory(role=role)
    sign_in(client, user)
    home = text(client.get(reverse("core:home"), follow=True))
    assert f'href="{reverse("users:account")}"' in home
    page = text(client.get(reverse("users:account")))
    assert "Mon compte" in page and user.email in page
    assert reverse("tokens:list") in page


def test_mon_compte_shows_the_second_factor_and_the_open_sessions():
    user, here, _elsewhere = two_sessions()
    page = text(here.get(reverse("users:account")))
    assert "Application d'authentification enregistrée" in page
    assert "Cette session" in page and "Autre navigateur ou appareil" in page


def test_signing_out_the_other_sessions_keeps_this_one():
    user, here, elsewhere = two_sessions()
    response = here.post(reverse("users:account_sessions_end"))
    assert response.status_code == 302
    assert here.get(reverse("users:account")).status_code == 200
    assert elsewhere.get(reverse("users:account")).status_code == 302
    assert Session.objects.count() == 1
    assert AuditEntry.objects.filter(actor=user, action="user.sessions_end").exists()


def test_a_password_change_checks_the_current_one_and_the_rules_in_french():
    user, here, elsewhere = two_sessions()
    url = reverse("users:account_password")
    wrong = {"old_password": "pas le bon", "new_password1": NEW_PASSWORD}
    page = text(here.post(url, {**wrong, "new_password2": NEW_PASSWORD}))
    assert "Votre ancien mot de passe est incorrect" in page
    short = {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"}
    assert "trop court" in text(here.post(url, short))
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD}
    assert here.post(url, {**data, "new_password2": NEW_PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # This session stays open; the other one is closed.
    assert here.get(reverse("users:account")).status_code == 200
    assert elsewhere.get(reverse("users:account")).status_code == 302
    assert AuditEntry.objects.filter(actor=user, action="user.password_change").exists()


def test_a_worker_with_open_cases_is_deactivated_only_once_they_are_handed_over(client):
    from polesocial.casework.services.cases import caseload_transfer
    from tests.factories import SocialWorkerFactory, open_case_for

    admin = UserFactory(role=Role.ADMIN)
    sign_in(client, admin)
    worker = SocialWorkerFactory()
    colleague = SocialWorkerFactory(team=worker.team)
    open_case_for(worker)
    detail = reverse("users:detail", args=[worker.user.pk])
    assert "1 dossier(s) en cours" in text(client.get(detail))
    response = client.post(reverse("users:deactivate", args=[worker.user.pk]), follow=True)
    assert "transférez-les à une collègue" in text(response)
    worker.user.refresh_from_db()
    assert worker.user.is_active
    caseload_transfer(actor=worker.team.counsellor, from_worker=worker, to_worker=colleague)
    client.post(reverse("users:deactivate", args=[worker.user.pk]))
    worker.user.refresh_from_db()
    assert not worker.user.is_active


def test_a_counsellor_leading_a_team_is_not_deactivated():
    from django.core.exceptions import ValidationError

    from polesocial.users import services
    from tests.factories import TeamFactory

    team = TeamFactory()
    with pytest.raises(ValidationError, match="Ce compte encadre une équipe"):
        services.user_deactivate(actor=UserFactory(role=Role.ADMIN), user=team.counsellor)
