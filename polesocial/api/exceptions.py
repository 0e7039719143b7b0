from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from polesocial.api.parsers import FrenchParseError
from polesocial.core.errors import REFUSED_BODY, too_large_message

# French messages for DRF's own errors, so that the API never answers in another tongue
# whatever the client's Accept-Language. Errors raised with a message of ours keep it.
MESSAGES = {
    exceptions.NotAuthenticated: "Authentification requise : jeton (Bearer) ou session.",
    exceptions.PermissionDenied: "Accès refusé.",
    exceptions.NotFound: "Introuvable.",
    exceptions.MethodNotAllowed: "Méthode non autorisée.",
    exceptions.NotAcceptable: "Format de réponse non disponible.",
    exceptions.UnsupportedMediaType: "Format de requête non pris en charge.",
    exceptions.ParseError: "Requête mal formée.",
    exceptions.Throttled: "Trop de requêtes : réessayez plus tard.",
}
CSRF_FAILED = "Vérification CSRF échouée : rechargez la page et réessayez."


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_by_field(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):  # DATA_UPLOAD_MAX_MEMORY_SIZE
        return RequestTooLarge(too_large_message())
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a broken multipart
        return FrenchParseError(REFUSED_BODY)
    return exc


def _by_field(error: DjangoValidationError) -> dict[str, list[str]]:
    """A domain refusal's French messages by field; those of no field under DRF's key."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
        for name, messages in error.message_dict.items()
    }


def _detail(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return _first_message(exc.detail)
    detail = str(exc.detail)
    if detail.startswith("CSRF Failed"):  # DRF's session check, untranslated
        return CSRF_FAILED
    if isinstance(exc, exceptions.ParseError) and not isinstance(exc, FrenchParseError):
        # DRF's parsers speak English
        return MESSAGES[exceptions.ParseError]
    if detail != str(exc.default_detail):  # a message of ours
        return detail
    return next((MESSAGES[cls] for cls in type(exc).__mro__ if cls in MESSAGES), detail)


def _first_message(detail) -> str:
    """The first message of a (possibly nested) validation error, for `detail`."""
    if isinstance(detail, dict):
        return _first_message(next(iter(detail.values()), ""))
    if isinstance(detail, list):
        return _first_message(detail[0] if detail else "")
    return str(detail) or "Requête invalide."


def json_exception_handler(exc, context):
    """Every API error answers JSON `{"detail": "<French>"}`; validation errors add `errors`.

    A domain refusal (django's ValidationError, raised by a service or a rule with French
    messages) is a 400 like the serializers' own, by field: views call services bare.
    401 carries `WWW-Authenticate: Bearer` (DRF adds it from TokenAuthentication).
    """
    exc = _as_drf(exc)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    data = {"detail": _detail(exc)}
    if isinstance(exc, exceptions.ValidationError):
        data["errors"] = exc.detail
    response.data = data
    return response
