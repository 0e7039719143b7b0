"""Authenticated encryption of secret content, with keys from the environment.

Fernet (AES-128-CBC + HMAC-SHA256) through MultiFernet: the newest key of
`settings.FIELD_ENCRYPTION_KEYS` encrypts, every key listed decrypts, so keys rotate by
putting a new key first, running `manage.py rotate_keys --wet-run`, then removing the old one.
Neither the plaintext nor a token ever goes into a message or a log line.
"""

import functools
import logging
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger(__name__)


class DecryptionError(Exception):
    """An encrypted value that no configured key can read (tampered, truncated or old key)."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "Ce contenu chiffré ne peut pas être lu : les données ont été altérées "
            "ou la clé de chiffrement correspondante n'est plus configurée."
        )


@dataclass(frozen=True)
class _Keyring:
    newest: Fernet
    all: MultiFernet


@functools.cache
def _keyring() -> _Keyring:
    keys = list(settings.FIELD_ENCRYPTION_KEYS or [])
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS doit contenir au moins une clé.")
    fernets = [_fernet(key, position) for position, key in enumerate(keys, start=1)]
    return _Keyring(newest=fernets[0], all=MultiFernet(fernets))


def _fernet(key: str, position: int) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        # The key itself must not appear in the message: it would end up in logs.
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS : la clé n° {position} n'est pas une clé Fernet valide "
            "(32 octets encodés en base64 url-safe)."
        ) from None


@receiver(setting_changed)
def _reset_keyring(*, setting: str, **kwargs) -> None:
    # Tests (and only tests) change the keys at run time: drop the cached keyring.
    if setting == "FIELD_ENCRYPTION_KEYS":
        _keyring.cache_clear()


def _as_token_bytes(token: str) -> bytes:
    try:
        return token.encode("ascii")
    except UnicodeEncodeError:
        # A Fernet token is pure ASCII: anything else was never encrypted by us.
        raise _decryption_failed() from None


def _decryption_failed() -> DecryptionError:
    logger.warning("Échec du déchiffrement d'un contenu chiffré (altéré ou clé absente).")
    return DecryptionError()


def encrypt(text: str) -> str:
    """Encrypt `text` with the newest key; the token is ASCII and differs at every call."""
    return _keyring().all.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a token made by `encrypt` with any configured key; raise DecryptionError."""
    try:
        return _keyring().all.decrypt(_as_token_bytes(token)).decode("utf-8")
    except InvalidToken:
        raise _decryption_failed() from None


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key, without handing the plaintext to the caller."""
    try:
        return _keyring().all.rotate(_as_token_bytes(token)).decode("ascii")
    except InvalidToken:
        raise _decryption_failed() from None


def needs_rotation(token: str) -> bool:
    """Whether a token was encrypted with an older key; raise DecryptionError if no key reads it."""
    raw = _as_token_bytes(token)
    keyring = _keyring()
    try:
        keyring.newest.decrypt(raw)
    except InvalidToken:
        try:
            keyring.all.decrypt(raw)
        except InvalidToken:
            raise _decryption_failed() from None
        return True
    return False


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a file's content with the newest key (documents are stored this way)."""
    return _keyring().all.encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """Decrypt what `encrypt_bytes` made, with any configured key; raise DecryptionError."""
    try:
        return _keyring().all.decrypt(token)
    except InvalidToken:
        raise _decryption_failed() from None
