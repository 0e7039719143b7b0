from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polesocial.api.models import ApiToken, hash_key
from polesocial.api.services import api_token_revoke
from polesocial.users.enums import Role
from polesocial.users.services import user_deactivate
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

INVALID = "Jeton invalide ou expiré."


def assert_refused(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": INVALID}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_personal_token_authenticates_its_owner(client, make_token):
    token, key = make_token()
    response = client.get(reverse("api:me"), **bearer(key))
    assert response.status_code == 200
    assert response.json()["email"] == token.user.email


def test_only_the_hash_of_the_secret_is_stored(make_token):
    token, key = make_token()
    assert token.key_hash == hash_key(key)
    assert token.key_prefix == key[:8]
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert key not in [str(value) for value in stored.values()]


def test_an_unknown_token_is_refused(client, make_token):
    make_token()
    assert_refused(client.get(reverse("api:me"), **bearer("not-a-token")))


def test_an_expired_token_is_refused(client, make_token):
    token, key = make_token(days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=3),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert_refused(client.get(reverse("api:me"), **bearer(key)))


def test_a_revoked_token_is_refused(client, make_token):
    token, key = make_token()
    api_token_revoke(actor=token.user, token=token)
    assert_refused(client.get(reverse("api:me"), **bearer(key)))


def test_the_token_of_a_deactivated_account_is_refused(client, make_token, user_of_role):
    token, key = make_token()
    user_deactivate(actor=user_of_role(Role.ADMIN), user=token.user)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_refused(client.get(reverse("api:me"), **bearer(key)))


def test_an_inactive_owner_is_refused_even_if_the_token_was_not_revoked(client, make_token):
    token, key = make_token()
    type(token.user).objects.filter(pk=token.user.pk).update(is_active=False)
    assert_refused(client.get(reverse("api:me"), **bearer(key)))


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "bearer  "])
def test_a_malformed_bearer_header_is_refused(client, header):
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_without_credentials_the_api_answers_401_in_json_not_a_redirect(client, db):
    response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": "Authentification requise : jeton (Bearer) ou session."}


def test_a_signed_in_session_still_works(client_as):
    client = client_as(Role.DPO)
    response = client.get(reverse("api:me"))
    assert response.status_code == 200
    assert response.json()["role"] == Role.DPO


def test_last_used_at_is_written_at_most_once_a_minute(client, make_token):
    token, key = make_token()
    assert token.last_used_at is None
    client.get(reverse("api:me"), **bearer(key))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(reverse("api:me"), **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(reverse("api:me"), **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_token_needs_no_csrf_token(make_token):
    token, key = make_token()
    client = Client(enforce_csrf_checks=True)
    response = client.delete(reverse("api:token-detail", args=[token.pk]), **bearer(key))
    assert response.status_code == 204
