"""Settings of the server under stress: the demo's (its accounts and TOTP seed), but served as
in production — DEBUG off (no query log growing for ever), PostgreSQL from DATABASE_URL.

Public demo keys only (config.settings.dev): never for real data.
"""

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# One line per request would drown the drill's own output; errors still reach the log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# No collectstatic here: WhiteNoise serves the app's static files from their folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
