"""`check --deploy` refuses keys that protect nothing, with French messages."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings

from polesocial.privacy.checks import check_audit_key, check_encryption_keys

GOOD_AUDIT_KEY = "k2V9-qf8R_u3Zx7LmP0aWn4sTb6YcE1hJd5Gi"
GOOD_FERNET_KEY = "3q2V8sXlC-0m9bJ6YwTn4rH1uKfA7eZdQpLgWiNoMvE="


def ids(errors) -> list[str]:
    return [error.id for error in errors]


@pytest.mark.parametrize("key", ["x", "test-audit-hmac-key", "a" * 64, "0123456789" * 2])
def test_a_short_or_repetitive_audit_key_is_refused(settings, key):
    settings.AUDIT_HMAC_KEY = key
    errors = check_audit_key()
    assert ids(errors) == ["privacy.E001"]
    assert errors[0].msg.startswith("AUDIT_HMAC_KEY est trop courte ou trop peu aléatoire")


def test_the_audit_key_must_differ_from_the_other_secrets(settings):
    settings.AUDIT_HMAC_KEY = GOOD_AUDIT_KEY
    assert check_audit_key() == []
    settings.SECRET_KEY = GOOD_AUDIT_KEY
    assert ids(check_audit_key()) == ["privacy.E002"]


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("pas-une-cle", "n'est pas une clé Fernet"),
        ("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=", "est trop peu aléatoire"),
        ("ZGVtby1maWVsZC1rZXktMDAwMDAwMDAwMDAwMDAwMDA=", "est trop peu aléatoire"),
    ],
)
def test_a_made_up_encryption_key_is_refused(settings, key, problem):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), key]
    errors = check_encryption_keys()
    assert ids(errors) == ["privacy.E003"]
    assert errors[0].msg.startswith(f"FIELD_ENCRYPTION_KEYS : la clé n° 2 {problem}")


def test_random_encryption_keys_pass(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), GOOD_FERNET_KEY]
    assert check_encryption_keys() == []


def test_check_deploy_fails_on_a_one_character_audit_key():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "x" * 30 + "-production-like-secret-key-with-entropy-0123456789",
        "FIELD_ENCRYPTION_KEYS": GOOD_FERNET_KEY,
        "AUDIT_HMAC_KEY": "x",
        "ALLOWED_HOSTS": "pole-social.example.fr",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "privacy.E001" in result.stderr
    assert "AUDIT_HMAC_KEY est trop courte" in result.stderr
