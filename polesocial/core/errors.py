from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render

# Django's own refusals of a request body (too big, too many fields or files), in French.
REFUSED_BODY = "Requête refusée : mal formée, ou trop de champs ou de fichiers."


def too_large_message() -> str:
    megabytes = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:.1f}".replace(".", ",")
    return f"Requête trop volumineuse : {megabytes} Mo au plus, hors fichiers joints."


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
    too_large = isinstance(exception, RequestDataTooBig)
    message = too_large_message() if too_large else REFUSED_BODY
    status = 413 if too_large else 400
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "400.html", {"message": message}, status=status)
