import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polesocial.api.base import ApiMixin
from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.users.enums import Role
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
INTEGRATION = ApiTokenKind.INTEGRATION


@pytest.mark.urls("tests.api.urls_with_pages")
def test_an_integration_token_reaches_the_view_of_its_scope(client, make_token, test_scope):
    _, key = make_token(kind=INTEGRATION, scopes=[test_scope])
    response = client.get(reverse("test-scoped"), **bearer(key))
    assert response.status_code == 200


@pytest.mark.urls("tests.api.urls_with_pages")
def test_an_integration_token_is_refused_a_scope_it_was_not_granted(client, make_token, test_scope):
    _, key = make_token(kind=INTEGRATION, scopes=["headcounts.create"])
    response = client.get(reverse("test-scoped"), **bearer(key))
    assert response.status_code == 403
    assert response.json() == {"detail": "Ce jeton d'intégration n'ouvre pas ce point d'accès."}


@pytest.mark.parametrize("name", ["api:me", "api:token-list", "api:schema"])
def test_an_integration_token_is_refused_views_without_a_scope(client, make_token, name):
    _, key = make_token(kind=INTEGRATION, scopes=["referrals.create"])
    response = client.get(reverse(name), **bearer(key))
    assert response.status_code == 403


@pytest.mark.urls("tests.api.urls_with_pages")
def test_a_personal_token_has_the_users_full_rights(client, make_token, test_scope):
    _, key = make_token()
    assert client.get(reverse("test-scoped"), **bearer(key)).status_code == 200
    assert client.get(reverse("api:me"), **bearer(key)).status_code == 200


def test_an_integration_token_cannot_create_a_token(client, make_token, test_scope):
    _, key = make_token(kind=INTEGRATION, scopes=[test_scope])
    response = client.post(
        reverse("api:token-list"),
        {"name": "x", "otp_code": "123456"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 403


def test_the_feature_of_a_view_is_checked(client_as, monkeypatch):
    from polesocial.api.views import MeView

    monkeypatch.setattr(MeView, "feature", "audit_journal", raising=False)
    assert client_as(Role.SOCIAL_WORKER).get(reverse("api:me")).status_code == 403
    assert client_as(Role.DPO).get(reverse("api:me")).status_code == 200


def api_views(resolver=None, prefix=""):
    """(route, view class) of every URL pattern under /api/."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += api_views(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            found.append((route, pattern.callback.cls))
    return found


def test_every_api_view_inherits_the_base_classes():
    views = api_views()
    assert views
    for route, view in views:
        assert issubclass(view, ApiMixin), f"{route}: inherit polesocial.api.base"


def test_every_integration_scope_of_a_view_is_registered():
    for route, view in api_views():
        scope = view.integration_scope
        assert scope is None or scope in INTEGRATION_SCOPES, f"{route}: register {scope}"
