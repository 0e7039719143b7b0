"""Writes on API tokens: creation (the secret is shown once), revocation, use."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.api.models import KEY_PREFIX_LENGTH, ApiToken, hash_key
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User
from polesocial.users.services import totp_device_for

MAX_DAYS = 365
# last_used_at is bookkeeping: one write a minute per token is plenty, not one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
WRONG_OTP_CODE = "Code à usage unique incorrect : saisissez le code actuel de votre application."


def _check_days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"La durée de validité va de 1 à {MAX_DAYS} jours.")


def _check_scopes(kind: ApiTokenKind, scopes: list[str]) -> None:
    if kind == ApiTokenKind.PERSONAL and scopes:
        raise ValidationError("Un jeton personnel n'a pas de périmètre : il a vos droits.")
    if kind == ApiTokenKind.INTEGRATION and not scopes:
        raise ValidationError("Un jeton d'intégration doit recevoir au moins un périmètre.")
    unknown = sorted(set(scopes) - set(INTEGRATION_SCOPES))
    if unknown:
        raise ValidationError(f"Périmètre inconnu : {', '.join(unknown)}.")


@transaction.atomic
def api_token_create(
    *,
    actor: User | None,
    user: User,
    name: str,
    kind: ApiTokenKind,
    days: int | None,
    scopes: Iterable[str] = (),
) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns it with its secret, which is never stored nor shown again.

    `actor` is None when the token comes from the command line. `days` defaults to
    settings.API_TOKEN_DEFAULT_DAYS.
    """
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    scopes = sorted(set(scopes))
    _check_days(days)
    _check_scopes(kind, scopes)
    if not user.is_active:
        raise ValidationError("Ce compte est désactivé.")
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        kind=kind,
        scopes=scopes,
        key_prefix=key[:KEY_PREFIX_LENGTH],
        key_hash=hash_key(key),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit_log(actor=actor, action=AuditAction.API_TOKEN_CREATE, target=token)
    return token, key


def otp_code_is_valid(*, user: User, code: str) -> bool:
    """True when `code` is the current code of the user's confirmed TOTP device.

    Called outside any transaction: django-otp records failures for its throttling and
    the last accepted step against replay, and a rollback must not undo that.
    """
    device = totp_device_for(user)
    return device is not None and device.verify_token(code.strip())


def api_token_create_personal(
    *, user: User, name: str, days: int | None, otp_code: str
) -> tuple[ApiToken, str]:
    """A signed-in person issues a token for themselves, confirming with a fresh TOTP code."""
    if not otp_code_is_valid(user=user, code=otp_code):
        raise ValidationError({"otp_code": WRONG_OTP_CODE})
    return api_token_create(actor=user, user=user, name=name, kind=ApiTokenKind.PERSONAL, days=days)


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token for good (revoking a revoked token changes nothing)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=actor, action=AuditAction.API_TOKEN_REVOKE, target=token)
    return token


def api_token_record_use(*, token: ApiToken) -> None:
    """Note that `token` was just used, at most once a minute (not audited: bookkeeping)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
