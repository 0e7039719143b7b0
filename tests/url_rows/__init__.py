"""Hand-written rows of the URL x role matrix (tests/test_url_matrix.py), by area.

Each module defines ROWS {url name: (method, builder name or None, expected statuses)} and
BUILDERS {builder name: callable(user) -> URL kwargs}; `user` is the signed-in user of the
column (None when signed out), so a builder can make an object that is, or is not, hers.
"""

from polesocial.users.enums import Role

ANON = "anonymous"
R = Role


def row(default: int, anon: int = 302, **by_role: int) -> dict[str, int]:
    """Expected status per column: `default` for every role not named, `anon` signed out."""
    expected = {ANON: anon}
    for role in Role:
        expected[role] = by_role.get(role.value, default)
    return expected


def only(*roles: Role, ok: int = 200, others: int = 403, anon: int = 302) -> dict[str, int]:
    return row(others, anon=anon, **{role.value: ok for role in roles})
