from rest_framework.permissions import BasePermission

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


class FeaturePermission(BasePermission):
    """A view that names a `feature` is open only to the roles of privacy.features (403)."""

    message = "Votre rôle ne donne pas accès à cette fonctionnalité."

    def has_permission(self, request, view) -> bool:
        feature = getattr(view, "feature", None)
        return feature is None or can_use(request.user, feature)


class SessionOnlyPermission(BasePermission):
    """For actions that need the second factor just checked, a token never suffices."""

    message = "Cette action demande une session ouverte avec le second facteur, pas un jeton."

    def has_permission(self, request, view) -> bool:
        return _token(request) is None
