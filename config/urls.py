from django.urls import include, path

urlpatterns = [
    path("", include("polesocial.core.urls")),
    path("", include("polesocial.users.urls")),
    path("", include("polesocial.privacy.urls")),
    path("", include("polesocial.api.urls_pages")),
    path("", include("polesocial.notifications.urls")),
    path("", include("polesocial.organisations.urls")),
    path("", include("polesocial.casework.urls")),
    path("", include("polesocial.collective.urls")),
    path("", include("polesocial.directory.urls")),
    path("", include("polesocial.billing.urls")),
    path("", include("polesocial.reports.urls")),
    path("", include("polesocial.appointments.urls")),
    path("", include("polesocial.aid.urls")),
    path("api/v1/", include("polesocial.api.urls")),
]

handler400 = "polesocial.core.errors.bad_request"
handler403 = "polesocial.core.errors.forbidden"
handler404 = "polesocial.core.errors.not_found"
handler500 = "polesocial.core.errors.server_error"
