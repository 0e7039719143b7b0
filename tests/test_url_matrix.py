"""Every URL x every role against a hand-written matrix of expected statuses.

The matrix is written by hand from ARCHITECTURE.md's access table, never derived from the
views' own rules; its rows live in tests/url_rows/, one module per area. A URL pattern with
no row fails `test_every_url_is_in_the_matrix`, so a new view cannot land without a rule.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.url_rows import ANON

COLUMNS = [ANON, *Role]


def _area_modules():
    import importlib
    import pkgutil

    import tests.url_rows as package

    for info in pkgutil.iter_modules(package.__path__):
        yield importlib.import_module(f"tests.url_rows.{info.name}")


# name -> (method, kwargs builder name or None, expected statuses), merged from the rows of
# every area (tests/url_rows/<area>.py, ROWS and BUILDERS); an area owns its URL names, and
# a builder name means the same thing in every area.
MATRIX: dict[str, tuple[str, str | None, dict[str, int]]] = {}
BUILDERS: dict = {}
for _module in _area_modules():
    assert not set(_module.ROWS) & set(MATRIX), f"rows given twice in {_module.__name__}"
    assert not set(_module.BUILDERS) & set(BUILDERS), f"builders twice in {_module.__name__}"
    MATRIX.update(_module.ROWS)
    BUILDERS.update(_module.BUILDERS)


def kwargs_for(builder: str | None, user=None) -> dict:
    if builder is None:
        return {}
    assert builder in BUILDERS, f"unknown kwargs builder {builder}"
    return BUILDERS[builder](user)


def url_names(resolver=None, namespace: str = "") -> list[str]:
    """Every named URL pattern, with its namespace; an unnamed pattern is an error."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            names += url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
            names.append(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    names = set(url_names())
    assert names - set(MATRIX) == set(), "URLs without a rule in the matrix"
    assert set(MATRIX) - names == set(), "matrix rows for URLs that no longer exist"


CASES = [(name, column) for name in MATRIX for column in COLUMNS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "column"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_status_by_role(client, name, column):
    method, builder, expected = MATRIX[name]
    user = None
    if column != ANON:
        user = UserFactory(role=column)
        sign_in(client, user)
    url = reverse(name, kwargs=kwargs_for(builder, user))
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == expected[column], (
        f"{method} {url} as {column}: {response.status_code}, expected {expected[column]}"
    )
