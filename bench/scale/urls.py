"""The product's URLs, and the floor of the page measures: an authenticated trivial view."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def floor(request):
    """What every page pays before its own work: session, user, second factor, middlewares."""
    return HttpResponse(f"{request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("banc/plancher/", floor),
    path("", include("config.urls")),
]
