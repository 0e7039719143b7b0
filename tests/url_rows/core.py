"""Rows for the home page and the health check (core/urls)."""

from tests.url_rows import row

ROWS = {
    # No operator is recorded here: the administrator is sent to record it first.
    "core:home": ("GET", None, row(200, admin=302)),
    "core:health": ("GET", None, row(200, anon=200)),
}

BUILDERS: dict = {}
