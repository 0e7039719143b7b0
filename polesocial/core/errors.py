"""Error answers in French: DSFR pages on the screens, `{"detail": …}` on the API.

Django's own pages are English (and its debug page shows everything): every refusal that
reaches Django's handlers comes here (config/urls.py). The 500 page is rendered without
the database — no context processor, no session, no user — since the database may be
what failed.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from polesocial.core.logs import current_request_id

# Django's own refusals of a request body (too big, too many fields or files), in French.
REFUSED_BODY = "Requête refusée : mal formée, ou trop de champs ou de fichiers."
SERVER_ERROR = (
    "Erreur interne du serveur : l'opération n'a pas abouti. Réessayez dans un instant ; "
    "si l'erreur persiste, signalez-la à l'administrateur avec sa référence."
)


def too_large_message() -> str:
    megabytes = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:.1f}".replace(".", ",")
    return f"Requête trop volumineuse : {megabytes} Mo au plus, hors fichiers joints."


def upload_too_large_message() -> str:
    megabytes = settings.REQUEST_MAX_BYTES // 2**20
    return (
        f"Envoi trop volumineux : {megabytes} Mo au plus, fichiers joints compris "
        "(un document fait 10 Mo au plus)."
    )


def _too_large(request, message: str):
    if _is_api(request):
        return JsonResponse({"detail": message}, status=413)
    context = {"title": "Requête trop volumineuse", "message": message}
    return render(request, "400.html", context, status=413)


class RequestSizeLimitMiddleware:
    """A request whose announced body exceeds REQUEST_MAX_BYTES (files included) is refused
    with a French 413 before anything reads it: Django would otherwise write a huge upload
    to disk before a form could say it is too big. Within the limit, the forms refuse a
    document over 10 Mo beside its field, and DATA_UPLOAD_MAX_MEMORY_SIZE the fields over
    2,5 Mo (bad_request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return _too_large(request, upload_too_large_message())
        return self.get_response(request)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def forbidden(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Accès refusé."}, status=403)
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Introuvable."}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    """Django's refusals of a request (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many
    fields), in French: its own page is English. The API's views answer these themselves
    (api.exceptions); this covers the screens and what fails before a view."""
    if isinstance(exception, RequestDataTooBig):
        return _too_large(request, too_large_message())
    if _is_api(request):
        return JsonResponse({"detail": REFUSED_BODY}, status=400)
    context = {"title": "Requête refusée", "message": REFUSED_BODY}
    return render(request, "400.html", context, status=400)


def server_error(request):
    """An unexpected error: a French page (or JSON) giving the request's reference, the
    id of the log line that holds the error's trace (core/logs.py)."""
    reference = current_request_id() or getattr(request, "request_id", "") or ""
    if _is_api(request):
        return JsonResponse({"detail": SERVER_ERROR, "reference": reference}, status=500)
    # A plain dict, no RequestContext: the context processors would query the database.
    context = {
        "message": SERVER_ERROR,
        "reference": reference,
        "request": request,  # for the CSP nonce of DSFR's scripts, set by its middleware
        "user": None,
        "menu": [],
        "messages": [],
    }
    return HttpResponseServerError(loader.get_template("500.html").render(context))
