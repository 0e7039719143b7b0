from django.http import JsonResponse
from django.shortcuts import render


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
