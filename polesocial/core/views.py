from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render

from polesocial.privacy.features import feature_required


@feature_required("account")
def home(request):
    """Tableau de bord: each role's morning screen (filled in by the domain issues)."""
    return render(request, "core/home.html")


@login_not_required
def health(request):
    return JsonResponse({"status": "ok"})
