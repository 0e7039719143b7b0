"""The project's URLs plus a test-only view open to integration tokens granted `test.scope`."""

from django.urls import path
from rest_framework.response import Response

from config.urls import handler403, handler404  # noqa: F401 - same error pages
from config.urls import urlpatterns as project_urlpatterns
from polesocial.api.base import ApiView


class ScopedView(ApiView):
    integration_scope = "test.scope"

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    # Before the project's: the API answers any other path under /api/v1/ with its 404.
    path("api/v1/test/scoped/", ScopedView.as_view(), name="test-scoped"),
    *project_urlpatterns,
]
