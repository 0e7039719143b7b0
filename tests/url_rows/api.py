"""Rows for the API's own URLs and the token pages (api/urls, api/urls_pages).

Every signed-in person reads the schema, her identity and her tokens; signed out, the API
answers 401 in JSON, never a redirect. Someone else's token is absent. The builder
"account" is users.py's.
"""

from tests.url_rows import row

ROWS = {
    "api:schema": ("GET", None, row(200, anon=401)),
    "api:me": ("GET", None, row(200, anon=401)),
    # Any other path under /api/v1/: the API's JSON 404, for everyone (nothing there).
    "api:not-found": ("GET", None, row(404, anon=404)),
    "api:token-list": ("GET", None, row(200, anon=401)),
    # DELETE only: a GET is not allowed for anyone signed in.
    "api:token-detail": ("GET", "account", row(405, anon=401)),
    "tokens:list": ("GET", None, row(200)),
    "tokens:revoke": ("POST", "account", row(404)),
}

BUILDERS: dict = {}
