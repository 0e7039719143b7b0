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


# Errors any operation may answer, declared on every one so that the schema tells every
# answer a client may get (schemathesis checks it: tests/api/test_schemathesis.py).
ERROR_BODY = {
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
}
ERROR_DESCRIPTIONS = {
    "400": "Requête invalide : messages en français, par champ dans `errors`.",
    "401": "Authentification requise.",
    "403": "Accès refusé à ce rôle ou à ce jeton.",
    "404": "Introuvable, ou hors de votre périmètre.",
    "413": "Requête trop volumineuse.",
    "415": "Format de requête non pris en charge.",
}


def _errors_of(path: str, operation: dict) -> list[str]:
    codes = ["401", "403"]
    if operation.get("parameters") or "requestBody" in operation:
        codes.append("400")  # a parameter or a body out of bounds
    if "{" in path:
        codes.append("404")
    if "requestBody" in operation:
        codes += ["413", "415"]
    return codes


def declare_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers of every operation."""
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for code in _errors_of(path, operation):
                responses.setdefault(code, {**ERROR_BODY, "description": ERROR_DESCRIPTIONS[code]})
    return result
