"""An ID token that is not meant for us (`aud`) or not from our provider (`iss`) signs no one
in, and the person reads why in French (OpenID Connect Core 3.1.3.7).

mozilla-django-oidc checks the signature and the nonce only; `ProConnectBackend.verify_token`
adds the audience and the issuer. Two ways in:
- the loopback provider (oidc-provider-mock) signs a genuine token, and our configuration
  names another issuer;
- a token crafted here, signed with a key the library is told to trust
  (`OIDC_RP_IDP_SIGN_KEY`), goes through the library's own verification; the same token
  with the right `aud` and `iss` signs in, so only those claims make the difference.
"""

import datetime as dt
import html
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from polesocial.users import proconnect as proconnect_module
from polesocial.users.enums import Role
from polesocial.users.models import User
from tests.factories import OperatorFactory, UserFactory
from tests.users.test_proconnect import (  # noqa: F401 (fixtures)
    identity,
    proconnect,
    proconnect_sign_in,
    provider,
    signed_in,
)

pytestmark = pytest.mark.django_db

REFUSED = "La connexion par ProConnect n'a pas abouti"
CLIENT_ID = "pole-social"  # the `proconnect` fixture's


@pytest.fixture(scope="module")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def crafted(proconnect, settings, signing_key, monkeypatch):  # noqa: F811
    """The callback receives, from the token endpoint, the ID token the test crafts."""
    settings.OIDC_RP_IDP_SIGN_KEY = (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    issuer = requests.get(f"{proconnect}/.well-known/openid-configuration", timeout=5).json()[
        "issuer"
    ]
    given = {}

    def token_endpoint(self, payload):
        return {"id_token": given["id_token"], "access_token": "jeton-d-acces"}

    def userinfo(self, access_token, id_token, payload):
        return {"sub": payload["sub"], "email": given["email"]}

    monkeypatch.setattr(proconnect_module.ProConnectBackend, "get_token", token_endpoint)
    monkeypatch.setattr(proconnect_module.ProConnectBackend, "get_userinfo", userinfo)

    def sign_in_with(client, user, **claims):
        start = client.get(reverse("users:proconnect_start"))
        query = parse_qs(urlparse(start.url).query)
        now = dt.datetime.now(tz=dt.UTC)
        token_claims = {
            "iss": issuer,
            "aud": CLIENT_ID,
            "sub": f"pc-{user.pk}",
            "nonce": query["nonce"][0],
            "iat": now,
            "exp": now + dt.timedelta(minutes=5),
            "acr": "eidas2",
            **claims,
        }
        given.update(
            id_token=jwt.encode(token_claims, signing_key, algorithm="RS256"), email=user.email
        )
        callback = reverse("users:proconnect_callback")
        return client.get(f"{callback}?code=code-du-fournisseur&state={query['state'][0]}")

    return sign_in_with


def refused_in_french(response) -> bool:
    return response.status_code == 403 and REFUSED in html.unescape(response.text)


def test_a_token_meant_for_us_from_our_provider_signs_in(client, crafted):
    OperatorFactory()
    user = UserFactory(role=Role.SECRETARY, proconnect_enabled=True)
    response = crafted(client, user)
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert signed_in(client)


@pytest.mark.parametrize(
    "audience",
    ["autre-service-public", ["autre-service-public", "encore-un-autre"], None],
    ids=["another-client", "a-list-without-us", "no-audience"],
)
def test_a_token_meant_for_another_client_is_refused(client, crafted, audience):
    user = UserFactory(proconnect_enabled=True)
    response = crafted(client, user, aud=audience)
    assert refused_in_french(response)
    assert not signed_in(client)
    user.refresh_from_db()
    assert user.proconnect_sub is None  # nothing bound by a token not meant for us


def test_a_token_from_another_issuer_is_refused(client, crafted):
    user = UserFactory(proconnect_enabled=True)
    response = crafted(client, user, iss="https://faux-fournisseur.example")
    assert refused_in_french(response)
    assert not signed_in(client)
    user.refresh_from_db()
    assert user.proconnect_sub is None


def test_a_genuine_token_of_a_provider_we_do_not_name_is_refused(
    client,
    proconnect,  # noqa: F811
    monkeypatch,
):
    """The loopback provider signs a real token (its JWKS, its issuer); our configuration
    says the issuer is someone else: the token is not taken."""
    user = UserFactory(proconnect_enabled=True)
    identity(proconnect, "pc-other-issuer", email=user.email, acr="eidas2")
    real = requests.get(f"{proconnect}/.well-known/openid-configuration", timeout=5).json()
    expected = {**real, "issuer": "https://proconnect.gouv.fr/api/v2"}
    monkeypatch.setattr(proconnect_module, "discovery", lambda: expected)

    response = proconnect_sign_in(client, proconnect, "pc-other-issuer")

    assert refused_in_french(response)
    assert not signed_in(client)
    assert not User.objects.filter(proconnect_sub="pc-other-issuer").exists()
