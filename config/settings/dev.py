"""Development and demo settings: the embedded SQLite database, http on 127.0.0.1.

The keys below are public demo values: never use this module in production.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "demo-insecure-secret-key-do-not-use-in-production")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "ZGVtby1maWVsZC1rZXktMDAwMDAwMDAwMDAwMDAwMDA=")
os.environ.setdefault("AUDIT_HMAC_KEY", "demo-audit-hmac-key-do-not-use-in-production")
os.environ.setdefault("BLIND_INDEX_KEY", "demo-blind-index-key-do-not-use-in-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("LOG_FORMAT", "text")

from config.env import env_bool  # noqa: E402
from config.settings.base import *  # noqa: E402,F403

# The demo shows what production shows: French error pages, and an out-of-scope URL
# exactly like an absent one (Django's debug page would list the URLs and the settings).
# DJANGO_DEBUG=true brings the debug page back for a developer.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Static files straight from the apps, found on request, with or without DEBUG (no
# collectstatic for the demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Demo accounts get TOTP secrets derived from this seed and their username, so that
# `python manage.py demo_totp USERNAME` can print their current code. Demo only.
DEMO_TOTP_SEED = "polesocial-demo-totp-seed"
# The demo's « today »: empty, the day of its first load (core/management/commands/demo.py).
DEMO_REFERENCE_DATE = os.environ.get("DEMO_REFERENCE_DATE", "")
