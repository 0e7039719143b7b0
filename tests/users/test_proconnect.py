"""ProConnect sign-in against a real OpenID Connect provider (oidc-provider-mock) on loopback.

The provider runs in its own process: it signs real ID tokens (RS256, its JWKS), serves
userinfo and an end-session endpoint; the claims of each identity (e-mail, `acr`) are set
through its API, as ProConnect would assert them.
"""

import html
import os
import socket
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.urls import reverse

from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users import services
from polesocial.users.enums import Role
from polesocial.users.models import LoginAttempt
from tests.factories import OperatorFactory, UserFactory
from tests.users.test_sign_in import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def provider():
    """An OpenID Connect provider listening on a free loopback port, for the session."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "AUTHLIB_INSECURE_TRANSPORT": "1", "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--require-nonce"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it answers (a readiness wait, not a timed assertion)
            try:
                requests.get(f"{base}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait()


@pytest.fixture
def proconnect(provider, settings):
    settings.PROCONNECT_DISCOVERY_URL = f"{provider}/.well-known/openid-configuration"
    settings.PROCONNECT_CLIENT_ID = "pole-social"
    settings.PROCONNECT_CLIENT_SECRET = "secret-de-test"  # noqa: S105
    settings.PROCONNECT_ACCEPTED_ACR = ["eidas2", "eidas3"]
    return provider


def identity(provider, sub: str, **claims):
    """What the provider asserts for `sub` (e-mail, authentication level…)."""
    response = requests.put(f"{provider}/users/{sub}", json=claims, timeout=5)
    assert response.status_code == 204


def proconnect_sign_in(client, provider, sub: str):
    """The browser's journey: our button, the provider's page, back to our callback."""
    start = client.get(reverse("users:proconnect_start"))
    assert start.status_code == 302
    assert start.url.startswith(provider)
    authorised = requests.post(start.url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert authorised.status_code == 302
    back = urlparse(authorised.headers["Location"])
    assert back.path == reverse("users:proconnect_callback")
    return client.get(f"{back.path}?{back.query}")


def signed_in(client) -> bool:
    return client.get(reverse("core:home")).status_code == 200


def test_the_button_shows_only_when_proconnect_is_configured(client, settings):
    settings.PROCONNECT_DISCOVERY_URL = ""
    assert "Se connecter avec ProConnect" not in client.get(reverse("users:login")).text
    settings.PROCONNECT_DISCOVERY_URL = "https://proconnect.example/.well-known/openid"
    settings.PROCONNECT_CLIENT_ID = "id"
    settings.PROCONNECT_CLIENT_SECRET = "secret"  # noqa: S105
    assert "Se connecter avec ProConnect" in client.get(reverse("users:login")).text


def test_proconnect_is_off_by_default(client, settings):
    settings.PROCONNECT_DISCOVERY_URL = ""
    response = client.get(reverse("users:proconnect_start"))
    assert response.status_code == 302
    assert response.url == reverse("users:login")


def test_an_enabled_account_signs_in_and_the_second_factor_is_still_asked(client, proconnect):
    OperatorFactory()
    user = UserFactory(role=Role.SECRETARY, with_totp=True, proconnect_enabled=True)
    identity(proconnect, "pc-enabled-1", email=user.email.upper(), acr="eidas1")

    response = proconnect_sign_in(client, proconnect, "pc-enabled-1")

    # A level the operator does not accept: the TOTP step as after a password.
    assert response.status_code == 302
    assert response.url == reverse("users:totp_verify")
    assert not signed_in(client)
    device = user.totpdevice_set.get()
    client.post(reverse("users:totp_verify"), {"code": current_code(device)})
    assert signed_in(client)
    user.refresh_from_db()
    assert user.proconnect_sub == "pc-enabled-1"
    assert AuditEntry.objects.filter(action=AuditAction.USER_PROCONNECT_BIND, actor=user).exists()
    assert LoginAttempt.objects.filter(username=user.email, succeeded=True).exists()


def test_without_any_acr_the_second_factor_is_still_asked(client, proconnect):
    user = UserFactory(with_totp=True, proconnect_enabled=True)
    identity(proconnect, "pc-no-acr", email=user.email)
    response = proconnect_sign_in(client, proconnect, "pc-no-acr")
    assert response.url == reverse("users:totp_verify")
    assert not signed_in(client)


def test_an_accepted_acr_stands_for_the_second_factor(client, proconnect):
    OperatorFactory()
    # Not even a TOTP device enrolled: the provider's multi-factor level is the second factor.
    user = UserFactory(role=Role.SECRETARY, proconnect_enabled=True)
    identity(proconnect, "pc-eidas2", email=user.email, acr="eidas2")

    response = proconnect_sign_in(client, proconnect, "pc-eidas2")

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    # The session is verified for SecondFactorRequiredMiddleware, by a device that says
    # where the second factor came from.
    assert signed_in(client)
    assert user.totpdevice_set.count() == 0
    entry = AuditEntry.objects.filter(action=AuditAction.USER_SIGN_IN).latest("sequence")
    assert entry.detail == {"method": "proconnect", "acr": "eidas2"}


def test_the_provider_device_cannot_verify_a_code(client, proconnect):
    user = UserFactory(proconnect_enabled=True)
    device = services.proconnect_device_for(user)
    assert device.verify_token("123456") is False


def test_an_unknown_address_is_refused_and_no_account_is_created(client, proconnect):
    from polesocial.users.models import User

    before = User.objects.count()
    identity(proconnect, "pc-stranger", email="inconnu@administration.gouv.fr", acr="eidas2")

    response = proconnect_sign_in(client, proconnect, "pc-stranger")

    assert response.status_code == 403
    assert services.PROCONNECT_REFUSAL_UNKNOWN in html.unescape(response.text)
    assert User.objects.count() == before
    assert not signed_in(client)
    assert LoginAttempt.objects.filter(
        username="inconnu@administration.gouv.fr", succeeded=False
    ).exists()


def test_an_account_the_administrator_has_not_enabled_is_refused(client, proconnect):
    user = UserFactory(with_totp=True)
    identity(proconnect, "pc-not-enabled", email=user.email, acr="eidas2")

    response = proconnect_sign_in(client, proconnect, "pc-not-enabled")

    assert response.status_code == 403
    assert services.PROCONNECT_REFUSAL_NOT_ENABLED in html.unescape(response.text)
    assert not signed_in(client)
    user.refresh_from_db()
    assert user.proconnect_sub is None


def test_once_bound_the_sub_signs_in_even_after_an_address_change(client, proconnect):
    user = UserFactory(proconnect_enabled=True)
    other = UserFactory(proconnect_enabled=True)
    identity(proconnect, "pc-bound", email=user.email, acr="eidas3")
    proconnect_sign_in(client, proconnect, "pc-bound")
    client.post(reverse("users:logout"))
    client.cookies.clear()

    # The provider now asserts another address (even one of another account): the bound
    # `sub` still signs in the same account.
    identity(proconnect, "pc-bound", email=other.email, acr="eidas3")
    response = proconnect_sign_in(client, proconnect, "pc-bound")

    assert response.url == reverse("core:home")
    session_user = client.get(reverse("core:home")).context["user"]
    assert session_user.pk == user.pk
    other.refresh_from_db()
    assert other.proconnect_sub is None
    assert AuditEntry.objects.filter(action=AuditAction.USER_PROCONNECT_BIND).count() == 1


def test_an_address_already_bound_to_another_identity_is_refused(client, proconnect):
    user = UserFactory(proconnect_enabled=True, proconnect_sub="pc-original")
    identity(proconnect, "pc-impostor", email=user.email, acr="eidas2")
    response = proconnect_sign_in(client, proconnect, "pc-impostor")
    assert response.status_code == 403
    assert not signed_in(client)


def test_sign_out_ends_the_provider_session_too(client, proconnect):
    user = UserFactory(proconnect_enabled=True)
    identity(proconnect, "pc-sign-out", email=user.email, acr="eidas2")
    proconnect_sign_in(client, proconnect, "pc-sign-out")
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("users:logout"))

    assert response.status_code == 302
    target = urlparse(response.url)
    discovery = requests.get(f"{proconnect}/.well-known/openid-configuration", timeout=5).json()
    assert f"{target.scheme}://{target.netloc}{target.path}" == discovery["end_session_endpoint"]
    params = parse_qs(target.query)
    assert params["id_token_hint"] == [id_token]
    assert params["post_logout_redirect_uri"] == ["http://testserver" + reverse("users:login")]
    assert not signed_in(client)
    # The provider takes the request and sends the browser back to our sign-in page.
    ended = requests.get(response.url, timeout=5)
    assert ended.status_code == 200
    confirmed = requests.post(
        f"{proconnect}/oauth2/end_session/confirm",
        data={"redirect_uri": params["post_logout_redirect_uri"][0]},
        allow_redirects=False,
        timeout=5,
    )
    assert confirmed.headers["Location"].startswith("http://testserver" + reverse("users:login"))


def test_a_password_sign_out_does_not_visit_the_provider(client, proconnect):
    from tests.conftest import sign_in

    sign_in(client, UserFactory())
    response = client.post(reverse("users:logout"))
    assert response.url == reverse("users:login")


def test_the_administrator_enables_proconnect_on_the_edit_screen(client_as):
    client = client_as(Role.ADMIN)
    account = UserFactory(role=Role.SECRETARY)
    data = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
        "proconnect_enabled": "on",
    }
    response = client.post(reverse("users:update", args=[account.pk]), data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.proconnect_enabled
    entry = AuditEntry.objects.filter(action=AuditAction.USER_UPDATE).latest("sequence")
    assert entry.detail == {"fields": ["proconnect_enabled"]}


def test_a_callback_not_started_here_is_refused_in_french(client, proconnect):
    url = reverse("users:proconnect_callback") + "?code=forged&state=forged"
    response = client.get(url)
    assert response.status_code == 403
    assert "La connexion par ProConnect n'a pas abouti" in html.unescape(response.text)
    # Started here, but the state does not match: refused alike.
    client.get(reverse("users:proconnect_start"))
    response = client.get(url)
    assert response.status_code == 403
    assert not signed_in(client)


def test_an_unreachable_provider_is_said_in_french(client, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.PROCONNECT_DISCOVERY_URL = f"http://127.0.0.1:{closed_port}/.well-known/openid"
    settings.PROCONNECT_CLIENT_ID = "id"
    settings.PROCONNECT_CLIENT_SECRET = "secret"  # noqa: S105
    response = client.get(reverse("users:proconnect_start"))
    assert response.status_code == 503
    assert "momentanément indisponible" in html.unescape(response.text)


def test_a_deactivated_or_no_longer_enabled_account_is_refused(client, proconnect):
    user = UserFactory(proconnect_enabled=True, proconnect_sub="pc-later")
    identity(proconnect, "pc-later", email=user.email, acr="eidas2")
    user.proconnect_enabled = False
    user.save()
    response = proconnect_sign_in(client, proconnect, "pc-later")
    assert services.PROCONNECT_REFUSAL_NOT_ENABLED in html.unescape(response.text)
    user.proconnect_enabled, user.is_active = True, False
    user.save()
    response = proconnect_sign_in(client, proconnect, "pc-later")
    assert response.status_code == 403
    assert not signed_in(client)


def test_withdrawing_proconnect_forgets_the_bound_identity(client_as):
    client = client_as(Role.ADMIN)
    account = UserFactory(proconnect_enabled=True, proconnect_sub="pc-old-ministry")
    data = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
    }
    client.post(reverse("users:update", args=[account.pk]), data)
    account.refresh_from_db()
    assert not account.proconnect_enabled
    assert account.proconnect_sub is None
