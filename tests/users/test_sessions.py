import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from polesocial.users import services
from polesocial.users.enums import Role
from polesocial.users.middleware import SIGNED_IN_AT
from tests.conftest import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in_through_the_form(client, user):
    from django_otp.oath import TOTP

    client.post(reverse("users:login"), {"email": user.email, "password": PASSWORD})
    device = user.totpdevice_set.get()
    client.post(reverse("users:totp_verify"), {"code": f"{TOTP(device.bin_key).token():06d}"})


def test_deactivation_ends_every_session_of_the_user(client):
    admin = UserFactory(role=Role.ADMIN)
    worker = UserFactory(role=Role.SOCIAL_WORKER, with_totp=True)
    sign_in_through_the_form(client, worker)
    assert client.get(reverse("core:home")).status_code == 200
    assert Session.objects.count() == 1

    services.user_deactivate(actor=admin, user=worker)

    assert Session.objects.count() == 0
    assert client.get(reverse("core:home")).status_code == 302


def test_a_deactivated_user_cannot_sign_in(client):
    worker = UserFactory(with_totp=True, is_active=False)
    response = client.post(reverse("users:login"), {"email": worker.email, "password": PASSWORD})
    assert response.status_code == 200
    assert services.GENERIC_SIGN_IN_ERROR in response.content.decode()


def test_sessions_end_eight_hours_after_sign_in_however_active(client, settings):
    user = UserFactory()
    sign_in(client, user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))


def test_idle_sessions_expire_after_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_without_second_factor_is_refused(client):
    client.force_login(UserFactory())
    response = client.get(reverse("core:home"))
    assert response.status_code == 302


def test_pages_for_signed_in_people_are_not_stored(client):
    sign_in(client, UserFactory())
    response = client.get(reverse("core:home"))
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_a_nonce_content_security_policy(client):
    response = client.get(reverse("users:login"))
    policy = response["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "'unsafe-inline'" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_password_reset_sends_a_french_email(client, mailoutbox):
    user = UserFactory()
    client.post(reverse("users:password_reset"), {"email": user.email})
    assert len(mailoutbox) == 1
    assert "mot de passe" in mailoutbox[0].body
    assert "/mot-de-passe/nouveau/" in mailoutbox[0].body
