"""The project's URLs plus the import screens under a test-only namespace.

Used with `@pytest.mark.urls("tests.organisations.urls_imports")` so that the import
tests do not depend on the routes the integrator adds to `organisations.urls`.
"""

from django.urls import include, path

from config import urls as project_urls
from polesocial.organisations.views import imports

import_patterns = (
    [
        path("employeurs/import/", imports.employer_import, name="employer_import"),
        path("effectifs/import/", imports.headcount_import, name="headcount_import"),
    ],
    "imports_test",
)

urlpatterns = [
    path("test-imports/", include(import_patterns)),
    *project_urls.urlpatterns,
]

handler403 = project_urls.handler403
handler404 = project_urls.handler404
