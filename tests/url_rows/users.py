"""Rows for signing in and the administration of accounts (users/urls).

The sign-in pages are open to everyone and send a signed-in person to the home page; the
accounts are administered by the technical admin only.
"""

from tests.url_rows import R, only, row

ROWS = {
    "users:login": ("GET", None, row(302, anon=200)),
    "users:totp_verify": ("GET", None, row(302, anon=302)),
    "users:totp_enrol": ("GET", None, row(302, anon=302)),
    "users:logout": ("POST", None, row(302, anon=302)),
    # Public: the way to the provider and its return (off by default: back to sign-in).
    "users:proconnect_start": ("GET", None, row(302, anon=302)),
    "users:proconnect_callback": ("GET", None, row(302, anon=302)),
    "users:password_reset": ("GET", None, row(200, anon=200)),
    "users:password_reset_done": ("GET", None, row(200, anon=200)),
    "users:password_reset_confirm": ("GET", "reset_token", row(200, anon=200)),
    "users:password_reset_complete": ("GET", None, row(200, anon=200)),
    # « Mon compte », for every role.
    "users:account": ("GET", None, row(200)),
    "users:account_password": ("GET", None, row(200)),
    "users:account_sessions_end": ("POST", None, row(302)),
    "users:list": ("GET", None, only(R.ADMIN)),
    "users:create": ("GET", None, only(R.ADMIN)),
    "users:detail": ("GET", "account", only(R.ADMIN)),
    "users:update": ("GET", "account", only(R.ADMIN)),
    "users:deactivate": ("POST", "account", only(R.ADMIN, ok=302)),
    "users:reactivate": ("POST", "account", only(R.ADMIN, ok=302)),
    "users:reset_totp": ("POST", "account", only(R.ADMIN, ok=302)),
}


def _account(user):
    """Someone else's account (a social worker's)."""
    from tests.factories import UserFactory

    return {"pk": UserFactory(role=R.SOCIAL_WORKER).pk}


BUILDERS = {
    "account": _account,
    "reset_token": lambda user: {"uidb64": "MQ", "token": "set-password"},
}
