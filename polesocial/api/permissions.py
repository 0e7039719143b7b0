from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from polesocial.api.enums import ApiTokenKind
from polesocial.api.models import ApiToken
from polesocial.privacy.features import can_use


def _token(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def integration_token_may_reach(token: ApiToken, scope: str | None) -> bool:
    """An integration token reaches a view only if the view declares a scope it was granted."""
    return scope is not None and scope in token.scopes


class IntegrationScopePermission(BasePermission):
    """Integration tokens reach only views whose `integration_scope` they were granted.

    Sessions and personal tokens are not limited here: they carry the user's full rights
    (which the feature and row checks then apply).
    """

    message = "Ce jeton d'intégration n'ouvre pas ce point d'accès."

    def has_permission(self, request, view) -> bool:
        token = _token(request)
        if token is None or token.kind != ApiTokenKind.INTEGRATION:
            return True
        return integration_token_may_reach(token, getattr(view, "integration_scope", None))


class IntegrationActionPermission(BasePermission):
    """An integration token granted the viewset's scope reaches only its `integration_actions`.

    The scope names one operation ("headcounts.create"), the viewset holds several.
    """

    message = IntegrationScopePermission.message

    def has_permission(self, request, view) -> bool:
        token = _token(request)
        if token is None or token.kind != ApiTokenKind.INTEGRATION:
            return True
        return view.action in view.integration_actions


class FeaturePermission(BasePermission):
    """A view that names a `feature` is open only to the roles of privacy.features (403)."""

    message = "Votre rôle ne donne pas accès à cette fonctionnalité."

    def has_permission(self, request, view) -> bool:
        feature = getattr(view, "feature", None)
        return feature is None or can_use(request.user, feature)


class ReadWriteFeaturePermission(BasePermission):
    """Reads need one of the viewset's `read_features`, writes one of its `write_features`."""

    message = FeaturePermission.message

    def has_permission(self, request, view) -> bool:
        if view.action is None:  # a method this view does not route: let it answer 405
            return True
        features = view.read_features if request.method in SAFE_METHODS else view.write_features
        return any(can_use(request.user, feature) for feature in features)


class ActionFeaturePermission(BasePermission):
    """The role needs one of the features the viewset names for the action.

    For viewsets: `features` (privacy.features names) for every action, `action_features`
    ({"create": ("referral_send",)}) where an action differs; an action naming no feature
    is open to no one. Refused: 403 on a collection, but 404 on a URL naming one object,
    as `feature_required(..., absent_when_denied=True)` does for pages: a case, an
    interview or an employee out of reach answers exactly like an absent one, whatever the
    role (issue 5: "404 for each" role trying a case by screen and by API).
    """

    message = FeaturePermission.message

    def has_permission(self, request, view) -> bool:
        if view.action is None:  # a method this view does not route: let it answer 405
            return True
        features = getattr(view, "action_features", {}).get(
            view.action, getattr(view, "features", ())
        )
        if any(can_use(request.user, feature) for feature in features):
            return True
        if (view.lookup_url_kwarg or view.lookup_field) in view.kwargs:
            raise Http404
        return False


class SessionOnlyPermission(BasePermission):
    """For actions that need the second factor just checked, a token never suffices."""

    message = "Cette action demande une session ouverte avec le second facteur, pas un jeton."

    def has_permission(self, request, view) -> bool:
        return _token(request) is None
