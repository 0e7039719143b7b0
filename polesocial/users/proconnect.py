"""ProConnect (OpenID Connect) sign-in for staff, through mozilla-django-oidc.

Off unless PROCONNECT_DISCOVERY_URL, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET are
set. The library checks state, nonce and the ID token's signature; this module decides
which account signs in (users.services.proconnect_account, never a new one) and whether the
provider's authentication level (`acr`) stands for the second factor.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from polesocial.core.http import client_ip
from polesocial.users import services
from polesocial.users.sign_in_steps import PENDING_USER, complete_sign_in

logger = logging.getLogger(__name__)

ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 (a session key name)
TIMEOUT_SECONDS = 10
UNAVAILABLE = (
    "La connexion par ProConnect est momentanément indisponible. Réessayez plus tard, "
    "ou connectez-vous avec votre mot de passe."
)
REFUSED = (
    "La connexion par ProConnect n'a pas abouti. Réessayez, ou connectez-vous avec "
    "votre mot de passe."
)
_discovery_cache: dict[str, dict] = {}


def is_configured() -> bool:
    return bool(
        settings.PROCONNECT_DISCOVERY_URL
        and settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
    )


def discovery() -> dict:
    """The provider's configuration document, read once per process."""
    url = settings.PROCONNECT_DISCOVERY_URL
    if url not in _discovery_cache:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        _discovery_cache[url] = response.json()
    return _discovery_cache[url]


_FROM_DISCOVERY = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def oidc_setting(attr: str, *args):
    """mozilla-django-oidc's settings, drawn from ours and the discovery document."""
    if attr in _FROM_DISCOVERY:
        return discovery()[_FROM_DISCOVERY[attr]]
    ours = {
        "OIDC_RP_CLIENT_ID": settings.PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.PROCONNECT_CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": settings.PROCONNECT_SCOPES,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "users:proconnect_callback",
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_CREATE_USER": False,
        "OIDC_TIMEOUT": TIMEOUT_SECONDS,
        # Ask for the authentication level in the ID token (OpenID Connect `claims`).
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {
            "claims": json.dumps({"id_token": {"acr": {"essential": True}, "amr": None}})
        },
    }
    if attr in ours:
        return ours[attr]
    return import_from_settings(attr, *args)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Code exchange and ID token checks by the library; the account by our rules.

    Listed in AUTHENTICATION_BACKENDS, it answers only the ProConnect callback (which
    passes a nonce) and reads its settings then, never at a password sign-in."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not is_configured():
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        try:
            return super()._verify_jws(payload, key)
        except jwt.InvalidTokenError as error:  # expired, not yet valid…
            raise SuspiciousOperation("JWS token rejected") from error

    def verify_token(self, token, **kwargs):
        """The library checks the signature, the expiry and the nonce; the ID token must
        also come from our provider and be meant for us (OpenID Connect Core 3.1.3.7)."""
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (userinfo may come as a JWT too)
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token not meant for this client")
            if payload.get("iss") != discovery().get("issuer"):
                raise SuspiciousOperation("ID token from another issuer")
            if "exp" not in payload or not payload.get("sub"):
                raise SuspiciousOperation("ID token without exp or sub")
        return payload

    def retrieve_matching_jwk(self, token):
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        # OpenID Connect Core 10.1: a provider that signs without `kid` publishes one key.
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        keys = response.json().get("keys", [])
        if len(keys) != 1:
            raise SuspiciousOperation("ID token without kid, and not exactly one key")
        return jwt.PyJWK(keys[0])

    def get_or_create_user(self, access_token, id_token, payload):
        request = self.request
        user_info = self.get_userinfo(access_token, id_token, payload)
        sub = payload.get("sub")
        request.proconnect_email = str(user_info.get("email") or "").lower()
        request.proconnect_acr = payload.get("acr")
        if user_info.get("sub") not in (None, sub):
            request.proconnect_refusal = services.PROCONNECT_REFUSAL_UNKNOWN
            return None
        try:
            return services.proconnect_account(sub=sub, email=request.proconnect_email)
        except ValidationError as error:
            request.proconnect_refusal = " ".join(error.messages)
            return None


class ProConnectStartView(OIDCAuthenticationRequestView):
    """« Se connecter avec ProConnect »: off the provider's authorisation page."""

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def __init__(self, *args, **kwargs):
        # The library reads its settings here; ours need the discovery document, fetched
        # in `get` where a failure can be said in French.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not is_configured():
            return redirect("users:login")
        if request.user.is_authenticated:
            return redirect("core:home")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, KeyError):
            logger.warning("proconnect discovery failed", exc_info=True)
            return refusal(request, UNAVAILABLE, status=503)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """The provider's return: the second factor, or the session, or a refusal in French."""

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def get(self, request):
        if not is_configured():
            return redirect("users:login")
        try:
            return super().get(request)
        except requests.RequestException:
            logger.warning("proconnect exchange failed", exc_info=True)
            return refusal(request, UNAVAILABLE, status=503)
        except SuspiciousOperation:
            # An unknown state, a token that does not verify: no detail to the browser.
            logger.warning("proconnect callback refused", exc_info=True)
            return refusal(request, REFUSED)

    def login_failure(self):
        email = getattr(self.request, "proconnect_email", "")
        if email:
            services.sign_in_record(
                username=email, ip_address=client_ip(self.request), succeeded=False
            )
        message = getattr(self.request, "proconnect_refusal", None) or REFUSED
        return refusal(self.request, message)

    def login_success(self):
        request, user = self.request, self.user
        acr = getattr(request, "proconnect_acr", None)
        ip = client_ip(request)
        if services.sign_in_is_locked(username=user.email, ip_address=ip):
            return refusal(request, services.GENERIC_SIGN_IN_ERROR)
        services.sign_in_record(username=user.email, ip_address=ip, succeeded=True)
        request.session.cycle_key()
        if services.proconnect_acr_accepted(acr):
            device = services.proconnect_device_for(user)
            detail = {"method": "proconnect", "acr": acr}
            return complete_sign_in(request, user, device, detail)
        # An authentication level the operator does not accept: the TOTP step as usual.
        request.session[PENDING_USER] = user.pk
        if services.totp_device_for(user) is None:
            return redirect("users:totp_enrol")
        return redirect("users:totp_verify")


def refusal(request, message: str, status: int = 403):
    return render(request, "users/proconnect_refused.html", {"message": message}, status=status)


def end_session_url(request, id_token: str | None) -> str | None:
    """Where to send the browser at sign-out so that the provider's session ends too."""
    if not (id_token and is_configured()):
        return None
    try:
        endpoint = discovery().get("end_session_endpoint")
    except (requests.RequestException, ValueError):
        return None
    if not endpoint:
        return None
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("users:login")),
        "state": get_random_string(32),
    }
    return f"{endpoint}?{urlencode(params)}"
