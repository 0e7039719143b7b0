"""The application's URLs plus a view that fails, to see the 500 page (tests only)."""

from django.db import OperationalError
from django.urls import path

from config import urls


def broken(request):
    raise OperationalError("la base ne répond plus (Dupont-Lefèvre)")


urlpatterns = [path("test-panne/", broken), path("api/v1/test-panne/", broken), *urls.urlpatterns]
handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
