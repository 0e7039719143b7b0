"""`manage.py check --deploy` refuses keys that protect nothing.

The journal's HMAC key must be long and random, and apart from Django's secret and the
encryption keys (one leaked key must never forge the journal); the encryption keys must be
Fernet keys of random bytes. Checked at deploy time, since a bad key otherwise shows only
at the first encryption, or never (a one-character HMAC key works, and protects nothing).
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, register

from polesocial.privacy.blind_index import MIN_KEY_LENGTH

MIN_AUDIT_KEY_LENGTH = 32
MIN_AUDIT_KEY_SYMBOLS = 10
# 32 random bytes hold about 30 distinct values; a made-up key far fewer.
MIN_FERNET_KEY_SYMBOLS = 16
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
GENERATE_FERNET = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


@register(Tags.security, deploy=True)
def check_audit_key(app_configs=None, **kwargs) -> list[Error]:
    key = settings.AUDIT_HMAC_KEY or ""
    if len(key) < MIN_AUDIT_KEY_LENGTH or len(set(key)) < MIN_AUDIT_KEY_SYMBOLS:
        return [
            Error(
                f"AUDIT_HMAC_KEY est trop courte ou trop peu aléatoire ({len(key)} caractères) : "
                f"il faut au moins {MIN_AUDIT_KEY_LENGTH} caractères aléatoires.",
                hint=f"Générez-la par exemple avec : {GENERATE}",
                id="privacy.E001",
            )
        ]
    if key == settings.SECRET_KEY or key in settings.FIELD_ENCRYPTION_KEYS:
        return [
            Error(
                "AUDIT_HMAC_KEY doit être distincte de DJANGO_SECRET_KEY et des clés de "
                "FIELD_ENCRYPTION_KEYS : une clé divulguée ne doit pas permettre de "
                "falsifier le journal d'audit.",
                id="privacy.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_encryption_keys(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for position, key in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
        raw = _fernet_bytes(key)
        if raw is None or len(set(raw)) < MIN_FERNET_KEY_SYMBOLS:
            problem = "n'est pas une clé Fernet" if raw is None else "est trop peu aléatoire"
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS : la clé n° {position} {problem} (32 octets "
                    "aléatoires encodés en base64).",
                    hint=f"Générez-en une avec : {GENERATE_FERNET}",
                    id="privacy.E003",
                )
            )
    return errors


def _fernet_bytes(key: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


@checks.register(checks.Tags.security, deploy=True)
def check_blind_index_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A short blind-index key could be guessed, and with it every common name and birth
    date tried against the stored indexes: refuse it (the previous one too, when set)."""
    errors: list[checks.CheckMessage] = []
    for name in ("BLIND_INDEX_KEY", "BLIND_INDEX_PREVIOUS_KEY"):
        key = getattr(settings, name, "") or ""
        if (key or name == "BLIND_INDEX_KEY") and len(key) < MIN_KEY_LENGTH:
            errors.append(
                checks.Error(
                    f"{name} doit compter au moins {MIN_KEY_LENGTH} caractères aléatoires.",
                    hint='Par exemple : python -c "import secrets; '
                    'print(secrets.token_urlsafe(48))"',
                    id="privacy.E004",
                )
            )
    return errors
