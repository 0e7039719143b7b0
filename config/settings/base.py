"""Production settings: everything comes from the environment.

dev.py and test.py relax a few of these; nothing exists only here.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "dsfr",
    "widget_tweaks",  # used by django-dsfr's field templates
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "polesocial.core",
    "polesocial.users",
    "polesocial.privacy",
    "polesocial.api",
    "polesocial.notifications",
    "polesocial.organisations",
    "polesocial.directory",
    "polesocial.casework",
    "polesocial.collective",
    "polesocial.billing",
    "polesocial.reports",
    "polesocial.appointments",
    "polesocial.aid",
]

MIDDLEWARE = [
    "polesocial.core.logs.RequestIdMiddleware",
    "polesocial.core.errors.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "polesocial.users.middleware.SessionLifetimeMiddleware",
    "polesocial.users.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "polesocial.privacy.middleware.NoStoreMiddleware",
    "polesocial.privacy.middleware.DecryptionErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "polesocial" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
                "polesocial.core.context_processors.navigation",
                "polesocial.core.context_processors.csp_nonce",
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A connection dropped by the server (restart, failover) is replaced before it is used,
# rather than failing the first request that meets it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The database the health endpoint (core:health) checks, with the task queue it holds.
HEALTH_CHECK_DATABASE = "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Answers only the ProConnect callback, and only when ProConnect is configured.
    "polesocial.users.proconnect.ProConnectBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
# CNIL 2022-100: 12 characters at least, with the kinds of characters (or the length) of
# about 80 bits, long passphrases welcome, no forced rotation; no common password even
# decorated, nothing from the user's, the product's or the operator's names (offline lists,
# see polesocial/users/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "polesocial.users.passwords.VarietyValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "polesocial.users.passwords.CommonPatternValidator"},
    {"NAME": "polesocial.users.passwords.ContextValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "users:login"

# Sessions: 30 minutes idle (the cookie is renewed at every request), 8 hours at most.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Sign-in throttling: after this many failures for one account or one address within the
# window, every attempt is refused for the window, with the same generic message.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
# The public page « Contacter le service social »: requests accepted per network address and
# per employer within the window (the address is kept no longer than the window).
SELF_REFERRAL_WINDOW_SECONDS = env_int("SELF_REFERRAL_WINDOW_SECONDS", default=60 * 60)
SELF_REFERRAL_IP_LIMIT = env_int("SELF_REFERRAL_IP_LIMIT", default=3)
SELF_REFERRAL_EMPLOYER_LIMIT = env_int("SELF_REFERRAL_EMPLOYER_LIMIT", default=20)
# The data protection officer's contact, printed on the public page (GDPR art. 13).
DPO_CONTACT = env("DPO_CONTACT", default="")
# Reverse proxies in front of the application that append to X-Forwarded-For. 0: the header
# is ignored (any client can write it) and the address is the connection's; N: the client
# is the N-th address from the right, the one the outermost trusted proxy saw.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Pôle social")

# ProConnect (OpenID Connect) sign-in for staff: off unless the client is configured.
# PROCONNECT_DISCOVERY_URL is the provider's /.well-known/openid-configuration.
PROCONNECT_DISCOVERY_URL = env("PROCONNECT_DISCOVERY_URL", default="")
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", default="")
PROCONNECT_SCOPES = env("PROCONNECT_SCOPES", default="openid email given_name usual_name")
# The `acr` values (authentication levels) the operator accepts as a second factor; with
# another level, or none, the TOTP step is still asked.
PROCONNECT_ACCEPTED_ACR = env_list("PROCONNECT_ACCEPTED_ACR")

# HTTPS hardening (check --deploy). dev.py turns these off for http://127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "polesocial" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="pole-social@localhost")

# Appointments: the public holidays of the operator's place when an employer's postcode
# does not tell (a `holidays` FR subdivision such as "972" for Martinique; empty:
# metropolitan France); the domain of iCalendar event identifiers; the SMS hook of
# reminders (a dotted path to a function `send(phone, text)`; empty: e-mail only).
HOLIDAYS_SUBDIVISION = env("HOLIDAYS_SUBDIVISION", default="")
ICAL_UID_DOMAIN = env("ICAL_UID_DOMAIN", default="pole-social.local")
APPOINTMENT_SMS_BACKEND = env("APPOINTMENT_SMS_BACKEND", default="")

# Field encryption keys (Fernet, url-safe base64 of 32 bytes), newest first. The audit
# journal's HMAC key is a separate secret: compromising one never forges the other.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY")
# The blind indexes' HMAC key (silent matching, name search), a third separate secret; the
# previous one only while `rotate_blind_index` recomputes them (privacy/blind_index.py).
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY")
BLIND_INDEX_PREVIOUS_KEY = env("BLIND_INDEX_PREVIOUS_KEY", default="")
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS doit contenir au moins une clé.")

# Django's default, said here: a request body (files apart) over 2.5 MB is refused, with
# a French 413 (api.exceptions on the API, core.errors.bad_request on the screens).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A whole request, files included, is refused over this size with a French 413 before its
# body is read (core.errors.RequestSizeLimitMiddleware): a document is 10 MB at most.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", default=12 * 2**20)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running background job silent this long (no heartbeat) lost its worker (core.jobs).
BACKGROUND_JOB_STALE_SECONDS = env_int("BACKGROUND_JOB_STALE_SECONDS", default=10 * 60)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "polesocial.api.authentication.TokenAuthentication",
        "polesocial.api.authentication.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies nest a few levels at most (deeper: a French 400, not a RecursionError).
    "DEFAULT_PARSER_CLASSES": [
        "polesocial.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # limit (1 to 200) and offset checked: a French 400 out of bounds.
    "DEFAULT_PAGINATION_CLASS": "polesocial.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "polesocial.api.exceptions.json_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pôle social — API",
    "DESCRIPTION": "API du service social du travail. Mêmes droits que l'interface.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "polesocial.api.idempotency.document_idempotency_key",
        "polesocial.api.schema.declare_error_responses",
    ],
    # Choice sets of fields named "kind": each its own name in the schema (the API token's
    # keeps the name it had before aid schemes came).
    "ENUM_NAME_OVERRIDES": {
        "AidSchemeKindEnum": "polesocial.aid.enums.SchemeKind",
        "HandoffKindEnum": "polesocial.casework.enums.HandoffKind",
        "MobilityFollowUpKindEnum": "polesocial.casework.enums.MobilityFollowUpKind",
        "KindEnum": "polesocial.api.enums.ApiTokenKind",
    },
}
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", default=30)

# Technical logs on the standard error, one JSON object a line (core/logs.py): time, level,
# logger, message, request id, user id — never a name or case content. LOG_FORMAT=text
# gives Django's plain lines (dev.py's default, for a human reading a terminal).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "polesocial.core.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "polesocial.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
REPORT_DISCLOSURE_THRESHOLD = env_int("REPORT_DISCLOSURE_THRESHOLD", default=11)  # reports
# Days a PDF/ODS report export is kept before `purge_report_exports` deletes it.
REPORT_EXPORT_RETENTION_DAYS = env_int("REPORT_EXPORT_RETENTION_DAYS", default=7)
# Data-protection lifecycle (CNIL référentiel 2023-095, journalisation 2021): years an
# employee stays in the active base after the last contact, years a closed case then stays
# in the archive before it is anonymised, and days the audit journal is kept.
RETENTION_ACTIVE_YEARS = env_int("RETENTION_ACTIVE_YEARS", default=2)
RETENTION_ARCHIVE_YEARS = env_int("RETENTION_ARCHIVE_YEARS", default=3)
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", default=365)
