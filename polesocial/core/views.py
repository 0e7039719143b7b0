from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render

from polesocial.casework.views.dashboard import morning_context
from polesocial.privacy.features import feature_required


@feature_required("account")
def home(request):
    """Tableau de bord: each role's morning screen (the worker's dashboard, the counsellor's
    queue figures, the senders' "Adresser un agent")."""
    return render(request, "core/home.html", morning_context(request))


@login_not_required
def health(request):
    return JsonResponse({"status": "ok"})
