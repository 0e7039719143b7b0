"""Rows for the home page and the health check (core/urls)."""

from tests.url_rows import row

ROWS = {
    "core:home": ("GET", None, row(200)),
    "core:health": ("GET", None, row(200, anon=200)),
}

BUILDERS: dict = {}
