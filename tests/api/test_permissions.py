import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from polesocial.api.base import DEFAULT_PERMISSIONS, ApiMixin, ApiViewSet
from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.api.permissions import ActionFeaturePermission
from polesocial.privacy.features import FEATURES
from polesocial.users.enums import Role
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
INTEGRATION = ApiTokenKind.INTEGRATION


@pytest.mark.urls("tests.api.urls_scoped")
def test_an_integration_token_reaches_the_view_of_its_scope(client, make_token, test_scope):
    _, key = make_token(kind=INTEGRATION, scopes=[test_scope])
    response = client.get(reverse("test-scoped"), **bearer(key))
    assert response.status_code == 200


@pytest.mark.urls("tests.api.urls_scoped")
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


@pytest.mark.urls("tests.api.urls_scoped")
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


# --- Features per action, absent objects (ActionFeaturePermission) ------------------------


class ThingViewSet(ApiViewSet):
    """Read by `test_read`, except `create`, for `test_send`; `archive` names no feature."""

    permission_classes = [*DEFAULT_PERMISSIONS, ActionFeaturePermission]
    features = ("test_read",)
    action_features = {"create": ("test_send",), "archive": ()}

    def list(self, request):
        return Response([])

    def retrieve(self, request, pk=None):
        return Response({"id": pk})

    def create(self, request):
        return Response({}, status=201)

    def archive(self, request, pk=None):
        return Response({})


@pytest.fixture
def thing_features(monkeypatch):
    monkeypatch.setitem(FEATURES, "test_read", frozenset({Role.SOCIAL_WORKER}))
    monkeypatch.setitem(FEATURES, "test_send", frozenset({Role.PHYSICIAN, Role.SOCIAL_WORKER}))


def thing_status(user, method, actions, kwargs=None):
    request = getattr(APIRequestFactory(), method)("/things/")
    force_authenticate(request, user=user)
    return ThingViewSet.as_view(actions)(request, **(kwargs or {})).status_code


LIST = ("get", {"get": "list", "post": "create"})
CREATE = ("post", {"get": "list", "post": "create"})
DETAIL = ("get", {"get": "retrieve"}, {"pk": 7})
ARCHIVE = ("post", {"post": "archive"}, {"pk": 7})


@pytest.mark.parametrize(
    ("role", "listed", "detail", "created"),
    [
        (Role.SOCIAL_WORKER, 200, 200, 201),
        # Denied: 403 on the collection, but the object is absent (404), as on pages.
        (Role.PHYSICIAN, 403, 404, 201),
        (Role.COUNSELLOR, 403, 404, 403),
        (Role.DPO, 403, 404, 403),
    ],
)
def test_the_features_of_each_action_are_checked(
    thing_features, user_of_role, role, listed, detail, created
):
    user = user_of_role(role)
    assert thing_status(user, *LIST) == listed
    assert thing_status(user, *DETAIL) == detail
    assert thing_status(user, *CREATE) == created


def test_objects_named_by_another_url_kwarg_are_absent_too(thing_features, user_of_role):
    user = user_of_role(Role.COUNSELLOR)
    view = ThingViewSet.as_view({"get": "list"}, lookup_url_kwarg="reference")
    detail = ThingViewSet.as_view({"get": "retrieve"}, lookup_url_kwarg="reference")
    request = APIRequestFactory().get("/things/")
    force_authenticate(request, user=user)
    assert view(request).status_code == 403
    assert detail(request, reference="abc").status_code == 404


def test_an_action_naming_no_feature_is_open_to_no_one(thing_features, user_of_role):
    assert thing_status(user_of_role(Role.SOCIAL_WORKER), *ARCHIVE) == 404


def test_a_method_the_view_does_not_route_is_405_for_every_role(thing_features, user_of_role):
    for role in (Role.SOCIAL_WORKER, Role.DPO):
        assert thing_status(user_of_role(role), "delete", {"get": "list"}) == 405


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
