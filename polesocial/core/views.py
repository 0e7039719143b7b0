from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from polesocial.casework.views.dashboard import morning_context
from polesocial.privacy.features import can_use, feature_required


@feature_required("account")
def home(request):
    """Tableau de bord: each role's morning screen (the worker's dashboard, the counsellor's
    queue figures, the senders' "Adresser un agent"). On an installation with no operator
    yet, the administrator is sent to record it first."""
    if can_use(request.user, "organisation_admin"):
        from polesocial.organisations.services import operator_current

        if operator_current() is None:
            return redirect("organisations:operator_edit")
    return render(request, "core/home.html", morning_context(request))


@login_not_required
def health(request):
    return JsonResponse({"status": "ok"})
