"""Structured technical logs: one JSON object a line, tied to the request that wrote it.

Each line carries the time (UTC, ISO 8601), the level, the logger, the message, the
request's id and the signed-in user's id — never a name, an e-mail address or case
content. Our own messages never hold any (STYLE.md); what a library may put in an
exception's message is left out too: an error line names the exception's class and the
frames of its traceback (file, line, function), not its text, which may quote a value
(a database error quotes the row it refused).

`RequestIdMiddleware` gives each request its id: the client's or the proxy's
`X-Request-ID` when it is a plain token, a new one otherwise; the response returns it, so
a line in the logs and a user's report (« erreur 500, référence … ») meet.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid

from django.conf import settings

HEADER = "X-Request-ID"
# A proxy's id is reused when it is a plain token (uuid, hex, base64url…): anything else
# (a header a client filled with text) is replaced, so a log line holds no free text.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_request: contextvars.ContextVar = contextvars.ContextVar("polesocial_request", default=None)

request_logger = logging.getLogger("polesocial.request")


def current_request_id() -> str | None:
    request = _request.get()
    return getattr(request, "request_id", None)


def _user_id(request) -> int | None:
    """The signed-in user's id, if authentication already ran for this request.

    Read from what AuthenticationMiddleware cached: a log call never queries the database
    (a line written while the database is down must still be written)."""
    user = getattr(request, "_cached_user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestIdMiddleware:
    """First of the middleware: names the request, returns the name, logs one line for it.

    The line gives the method, the path without its query string (a search may hold a
    name), the status and the duration; the path holds only numeric ids."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if _ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            if request.path.startswith(settings.STATIC_URL):  # no line for a stylesheet
                return response
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                },
            )
            return response
        finally:
            _request.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds the current request's id and user id to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx response once the middleware has returned: its record
        # carries the request itself.
        request = _request.get() or getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None)
        record.user_id = _user_id(request) if request is not None else None
        return True


# Extra keys our own log calls may add, copied to the line when present.
EXTRA_KEYS = ("status", "duration_ms", "status_code")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, user_id."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        for key in EXTRA_KEYS:
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, trace = record.exc_info
            line["exception"] = f"{kind.__module__}.{kind.__qualname__}"
            line["trace"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(trace)
            ]
        return json.dumps(line, ensure_ascii=False, default=str)
