"""Test settings: fast hashing, in-memory mail, every warning of our own is an error."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key")
# Two keys, newest first, so that decryption with an older key is exercised everywhere.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    "dGVzdC1maWVsZC1rZXktbmV3LTAwMDAwMDAwMDAwMDA=,dGVzdC1maWVsZC1rZXktb2xkLTAwMDAwMDAwMDAwMDA=",
)
os.environ.setdefault("AUDIT_HMAC_KEY", "test-audit-hmac-key")
os.environ.setdefault("BLIND_INDEX_KEY", "test-blind-index-key-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from config.settings.base import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEMO_TOTP_SEED = "polesocial-test-totp-seed"
DEMO_REFERENCE_DATE = "2026-11-16"
# The browser tests' live server serves static files straight from the apps.
WHITENOISE_USE_FINDERS = True
# Autorefresh finds files on request instead of scanning every static file (thousands in
# the DSFR) each time a test client builds its handler.
WHITENOISE_AUTOREFRESH = True
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405 - test-only models
# Uploaded files (encrypted documents, signed conventions) go to a throwaway folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="polesocial-test-media-"))
# An unknown variable in one of our templates fails the test (tests/strict_templates.py).
from tests.strict_templates import RaiseOnUnknownVariable  # noqa: E402

TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = RaiseOnUnknownVariable()  # type: ignore[index]  # noqa: F405
