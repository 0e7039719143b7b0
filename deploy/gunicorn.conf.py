"""gunicorn for Pôle social: `gunicorn -c deploy/gunicorn.conf.py` (systemd unit, make serve).

Behind an HTTPS reverse proxy on the same machine (nginx, Apache, HAProxy) that sets
X-Forwarded-Proto and appends to X-Forwarded-For (TRUSTED_PROXY_COUNT=1).
"""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes a core is plenty for a service of a few dozen users; threads let a slow
# PDF not hold a whole process.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests (memory held by a big PDF or export).
max_requests = 2000
max_requests_jitter = 200
# No access log of gunicorn's: the application writes one JSON line a request (with its
# request id and user id, never the query string, which may hold a searched name).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy is the only client: only its forwarded headers are believed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket (gunicorn ≥ 24 makes one in the home folder, read-only under systemd's
# ProtectSystem=strict): systemctl reload sends HUP instead.
control_socket_disable = True
# gunicorn's own lines (start, stop, a worker that fails to boot) in the application's JSON
# format too, so that one parser reads the whole journal.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "polesocial.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {"gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"]}},
}
