import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.api.models import ApiToken, hash_key
from polesocial.api.services import WRONG_OTP_CODE
from polesocial.users.enums import Role
from tests.api.conftest import current_code

pytestmark = pytest.mark.django_db


def code_for(user) -> str:
    return current_code(TOTPDevice.objects.get(user=user, confirmed=True))


def test_the_page_lists_ones_own_tokens_without_secrets(client_as, make_token):
    client = client_as(Role.PHYSICIAN)
    mine, mine_key = make_token(user=client.user)
    other, _ = make_token()
    other.name = "Jeton d'une autre personne"
    other.save()
    page = client.get(reverse("tokens:list")).content.decode()
    assert mine.key_prefix in page
    assert mine_key not in page
    assert other.name not in page
    assert reverse("tokens:revoke", args=[mine.pk]) in page


def test_creating_a_token_shows_it_once(client_as):
    client = client_as(Role.EMPLOYER_CONTACT)
    data = {"name": "Tableur", "days": "10", "otp_code": code_for(client.user)}
    response = client.post(reverse("tokens:list"), data)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=client.user)
    key = response.context["new_key"]
    assert token.key_hash == hash_key(key)
    assert key in response.content.decode()
    assert key not in client.get(reverse("tokens:list")).content.decode()


def test_a_wrong_code_creates_no_token(client_as):
    client = client_as(Role.EMPLOYER_CONTACT)
    wrong = f"{(int(code_for(client.user)) + 1) % 1_000_000:06d}"
    data = {"name": "Tableur", "days": "10", "otp_code": wrong}
    response = client.post(reverse("tokens:list"), data)
    assert response.status_code == 200
    assert WRONG_OTP_CODE in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_ones_own_token(client_as, make_token):
    client = client_as(Role.BILLING)
    token, _ = make_token(user=client.user)
    response = client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response.url == reverse("tokens:list")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked(client_as, make_token):
    client = client_as(Role.ADMIN)
    other, _ = make_token()
    assert client.post(reverse("tokens:revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))
