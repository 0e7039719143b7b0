import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.api.models import ApiToken, hash_key
from polesocial.api.services import WRONG_OTP_CODE
from polesocial.users.enums import Role
from tests.api.conftest import bearer, current_code
from tests.factories import TotpDeviceFactory

pytestmark = pytest.mark.django_db


def create(client, code, **data):
    body = {"name": "Mon script", "otp_code": code, **data}
    return client.post(reverse("api:token-list"), body, content_type="application/json")


def device_of(user):
    return TOTPDevice.objects.get(user=user, confirmed=True)


def test_a_correct_totp_code_creates_a_personal_token_shown_once(client_as, audit_calls):
    client = client_as(Role.COUNSELLOR)
    response = create(client, current_code(device_of(client.user)), days=7)
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == client.user
    assert token.kind == "personal"
    assert token.key_hash == hash_key(body["token"])
    assert (token.expires_at - token.created_at).days == 7
    assert audit_calls == [{"actor": client.user, "action": "api_token.create", "target": token}]
    listed = client.get(reverse("api:token-list")).json()
    assert "token" not in listed["results"][0]
    assert body["token"] not in str(listed)


def test_the_default_validity_comes_from_the_settings(client_as, settings):
    settings.API_TOKEN_DEFAULT_DAYS = 12
    client = client_as(Role.SECRETARY)
    response = create(client, current_code(device_of(client.user)))
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert (token.expires_at - token.created_at).days == 12


def test_a_wrong_totp_code_creates_nothing(client_as):
    client = client_as(Role.COUNSELLOR)
    good = current_code(device_of(client.user))
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = create(client, wrong)
    assert response.status_code == 400
    assert response.json()["detail"] == WRONG_OTP_CODE
    assert response.json()["errors"] == {"otp_code": [WRONG_OTP_CODE]}
    assert not ApiToken.objects.exists()


def test_a_malformed_request_answers_a_french_detail(client_as):
    client = client_as(Role.COUNSELLOR)
    response = create(client, "12ab", days=0)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"otp_code", "days"}
    assert errors["otp_code"] == ["Saisissez les 6 chiffres du code."]
    assert response.json()["detail"] in [*errors["otp_code"], *errors["days"]]


def test_a_personal_token_cannot_create_another_one(client, make_token):
    token, key = make_token()
    device = TotpDeviceFactory(user=token.user)
    response = client.post(
        reverse("api:token-list"),
        {"name": "x", "otp_code": current_code(device)},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_the_list_shows_only_ones_own_tokens(client_as, make_token):
    client = client_as(Role.SOCIAL_WORKER)
    mine, _ = make_token(user=client.user)
    make_token()
    results = client.get(reverse("api:token-list")).json()["results"]
    assert [row["id"] for row in results] == [mine.pk]
    assert set(results[0]) == {
        "id",
        "name",
        "kind",
        "scopes",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    }


def test_revoking_ones_own_token(client_as, make_token, audit_calls):
    client = client_as(Role.SOCIAL_WORKER)
    token, key = make_token(user=client.user)
    response = client.delete(reverse("api:token-detail", args=[token.pk]))
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert audit_calls[-1]["action"] == "api_token.revoke"
    assert client.get(reverse("api:me"), **bearer(key)).status_code == 401


def test_someone_elses_token_is_not_found_like_an_absent_one(client_as, make_token):
    client = client_as(Role.ADMIN)
    other, _ = make_token()
    for pk in (other.pk, other.pk + 1000):
        response = client.delete(reverse("api:token-detail", args=[pk]))
        assert response.status_code == 404
        assert response.json() == {"detail": "Introuvable."}
    other.refresh_from_db()
    assert other.revoked_at is None
