"""OpenAPI descriptions of our authentication schemes (loaded by ApiConfig.ready)."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "polesocial.api.authentication.TokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Jeton personnel (créé sur /compte/jetons/ avec le second facteur) ou "
                "d'intégration (commande create_api_token), en en-tête "
                "`Authorization: Bearer <jeton>`."
            ),
        }


class SecondFactorSessionScheme(OpenApiAuthenticationExtension):
    target_class = "polesocial.api.authentication.SecondFactorSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "Session de l'interface, ouverte avec le second facteur.",
        }
