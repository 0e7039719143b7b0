"""Every URL x every role against a hand-written matrix of expected statuses.

The matrix is written by hand from ARCHITECTURE.md's access table, never derived from the
views' own rules. A URL pattern missing here fails `test_every_url_is_in_the_matrix`, so a
new view cannot land without a rule.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polesocial.notifications.models import Notification
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import ConventionFactory, EmployerFactory, UserFactory
from tests.url_rows import ANON, R, only, row

# The rows of domains added later live in tests/url_rows/<module>.py (ROWS, BUILDERS),
# one module per area so that parallel work does not collide; they are merged here.
COLUMNS = [ANON, *Role]

# name -> (method, kwargs builder name or None, expected statuses)
MATRIX: dict[str, tuple[str, str | None, dict[str, int]]] = {
    "core:home": ("GET", None, row(200)),
    "core:health": ("GET", None, row(200, anon=200)),
    # Sign-in pages: open to everyone; a signed-in person is sent to the home page.
    "users:login": ("GET", None, row(302, anon=200)),
    "users:totp_verify": ("GET", None, row(302, anon=302)),
    "users:totp_enrol": ("GET", None, row(302, anon=302)),
    "users:logout": ("POST", None, row(302, anon=302)),
    "users:password_reset": ("GET", None, row(200, anon=200)),
    "users:password_reset_done": ("GET", None, row(200, anon=200)),
    "users:password_reset_confirm": ("GET", "reset_token", row(200, anon=200)),
    "users:password_reset_complete": ("GET", None, row(200, anon=200)),
    # Account administration: the technical admin only.
    "users:list": ("GET", None, only(R.ADMIN)),
    "users:create": ("GET", None, only(R.ADMIN)),
    "users:detail": ("GET", "account", only(R.ADMIN)),
    "users:deactivate": ("POST", "account", only(R.ADMIN, ok=302)),
    "users:reactivate": ("POST", "account", only(R.ADMIN, ok=302)),
    "users:reset_totp": ("POST", "account", only(R.ADMIN, ok=302)),
    # Audit journal: the DPO only.
    "privacy:audit_list": ("GET", None, only(R.DPO)),
    # Notifications: one's own only; someone else's is absent (404).
    "notifications:list": ("GET", None, row(200)),
    "notifications:read": ("POST", "notification", row(404)),
    # Organisations register: the operator's staff read it; counsellor and billing manage.
    "organisations:employer_list": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING),
    ),
    "organisations:employer_create": ("GET", None, only(R.COUNSELLOR, R.BILLING)),
    # A social worker sees her team's employers only: this one is another team's.
    "organisations:employer_detail": (
        "GET",
        "employer",
        only(R.COUNSELLOR, R.SECRETARY, R.BILLING) | {R.SOCIAL_WORKER: 404},
    ),
    "organisations:employer_update": ("GET", "employer", only(R.COUNSELLOR, R.BILLING)),
    "organisations:headcount_set": ("POST", "employer", only(R.COUNSELLOR, R.BILLING, ok=302)),
    "organisations:employer_import": ("GET", None, only(R.COUNSELLOR, R.BILLING)),
    "organisations:headcount_import": ("GET", None, only(R.COUNSELLOR, R.BILLING)),
    "organisations:convention_create": ("GET", "employer_pk", only(R.COUNSELLOR, R.BILLING)),
    "organisations:convention_detail": (
        "GET",
        "convention",
        only(R.COUNSELLOR, R.BILLING) | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404},
    ),
    "organisations:convention_update": ("GET", "convention", only(R.COUNSELLOR, R.BILLING)),
    "organisations:convention_sign": ("POST", "convention", only(R.COUNSELLOR, R.BILLING, ok=302)),
    "organisations:convention_activate": (
        "POST",
        "convention",
        only(R.COUNSELLOR, R.BILLING, ok=302),
    ),
    "organisations:convention_terminate": (
        "POST",
        "convention",
        only(R.COUNSELLOR, R.BILLING, ok=302),
    ),
    # No signed document uploaded: absent.
    "organisations:convention_document": (
        "GET",
        "convention",
        only(R.COUNSELLOR, R.BILLING, ok=404),
    ),
    "organisations:team_list": ("GET", None, only(R.COUNSELLOR)),
    "organisations:fte_plan": ("GET", None, only(R.COUNSELLOR)),
    # No worker given: absent.
    "organisations:fte_share_set": ("POST", None, only(R.COUNSELLOR, ok=404)),
    "organisations:replacement_list": ("GET", None, only(R.COUNSELLOR)),
    "organisations:my_employer": ("GET", None, only(R.EMPLOYER_CONTACT)),
    # API: 401 in JSON when signed out, never a redirect.
    "api:schema": ("GET", None, row(200, anon=401)),
    "api:me": ("GET", None, row(200, anon=401)),
    "api:token-list": ("GET", None, row(200, anon=401)),
    # Any other path under /api/v1/: the API's JSON 404, for everyone (nothing there).
    "api:not-found": ("GET", None, row(404, anon=404)),
    # DELETE only: a GET is not allowed for anyone signed in.
    "api:token-detail": ("GET", "account", row(405, anon=401)),
    # Organisations API: as the screens, plus employer contacts, who read their own
    # employer and its conventions and headcounts (visible_by); the objects built below
    # belong to no one, so a contact, or a worker of another team, finds them absent.
    "api:employer-list": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING, R.EMPLOYER_CONTACT, anon=401),
    ),
    "api:employer-detail": (
        "GET",
        "employer",
        only(R.COUNSELLOR, R.SECRETARY, R.BILLING, anon=401)
        | {R.SOCIAL_WORKER: 404, R.EMPLOYER_CONTACT: 404},
    ),
    # The secretariat lists headcounts and conventions but sees none (scope table).
    "api:headcount-list": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING, R.EMPLOYER_CONTACT, anon=401),
    ),
    "api:headcount-detail": (
        "GET",
        "headcount",
        only(R.COUNSELLOR, R.BILLING, anon=401)
        | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404, R.EMPLOYER_CONTACT: 404},
    ),
    "api:convention-list": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING, R.EMPLOYER_CONTACT, anon=401),
    ),
    "api:convention-detail": (
        "GET",
        "convention",
        only(R.COUNSELLOR, R.BILLING, anon=401)
        | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404, R.EMPLOYER_CONTACT: 404},
    ),
    # Transitions: managers only. With no body, signing and terminating lack their date,
    # and a draft cannot be activated: 400.
    "api:convention-sign": ("POST", "convention", only(R.COUNSELLOR, R.BILLING, ok=400, anon=401)),
    "api:convention-activate": (
        "POST",
        "convention",
        only(R.COUNSELLOR, R.BILLING, ok=400, anon=401),
    ),
    "api:convention-terminate": (
        "POST",
        "convention",
        only(R.COUNSELLOR, R.BILLING, ok=400, anon=401),
    ),
    # Teams and FTE shares: the operator's staff, not employer contacts.
    "api:team-list": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING, anon=401),
    ),
    "api:team-detail": (
        "GET",
        "team",
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING, anon=401),
    ),
    "api:fte-share-list": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING, anon=401),
    ),
    # A worker reads her own shares only; the secretariat none.
    "api:fte-share-detail": (
        "GET",
        "fte_share",
        only(R.COUNSELLOR, R.BILLING, anon=401) | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404},
    ),
    "tokens:list": ("GET", None, row(200)),
    # Someone else's token: absent.
    "tokens:revoke": ("POST", "account", row(404)),
}


def _area_modules():
    import importlib
    import pkgutil

    import tests.url_rows as package

    for info in pkgutil.iter_modules(package.__path__):
        yield importlib.import_module(f"tests.url_rows.{info.name}")


AREA_BUILDERS: dict = {}
for _module in _area_modules():
    MATRIX.update(_module.ROWS)
    AREA_BUILDERS.update(_module.BUILDERS)


def kwargs_for(builder: str | None, user=None) -> dict:
    if builder is None:
        return {}
    if builder in AREA_BUILDERS:
        return AREA_BUILDERS[builder](user)
    if builder == "account":
        return {"pk": UserFactory(role=Role.SOCIAL_WORKER).pk}
    if builder == "employer":
        return {"pk": EmployerFactory().pk}
    if builder == "employer_pk":
        return {"employer_pk": EmployerFactory().pk}
    if builder == "convention":
        return {"pk": ConventionFactory().pk}
    if builder == "headcount":
        from polesocial.organisations.models import Headcount

        return {"pk": Headcount.objects.create(employer=EmployerFactory(), year=2025, total=9).pk}
    if builder == "team":
        from tests.factories import TeamFactory

        return {"pk": TeamFactory().pk}
    if builder == "fte_share":
        from polesocial.organisations.models import FteShare
        from tests.factories import SocialWorkerFactory

        share = FteShare.objects.create(
            worker=SocialWorkerFactory(), employer=EmployerFactory(), year=2026, share="0.5"
        )
        return {"pk": share.pk}
    if builder == "notification":
        other = UserFactory()
        return {"pk": Notification.objects.create(recipient=other, title="x").pk}
    if builder == "reset_token":
        return {"uidb64": "MQ", "token": "set-password"}
    raise AssertionError(f"unknown kwargs builder {builder}")


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
