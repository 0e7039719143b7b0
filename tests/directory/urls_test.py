"""The project's URLs plus the directory's, until the integrator includes them.

Used with `@pytest.mark.urls("tests.directory.urls_test")`; once config/urls.py includes
polesocial.directory.urls, the include below is skipped.
"""

from django.urls import include, path

from config import urls as project_urls

_included = any(getattr(p, "namespace", None) == "directory" for p in project_urls.urlpatterns)

urlpatterns = [
    *project_urls.urlpatterns,
    *([] if _included else [path("", include("polesocial.directory.urls"))]),
]

handler403 = project_urls.handler403
handler404 = project_urls.handler404
