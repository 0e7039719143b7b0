from django.urls import path

from polesocial.casework import urls_cases, urls_referrals
from polesocial.casework.views import archive, subject_access

app_name = "casework"

# Referrals, queue and dashboards in one module, the case page in another.
urlpatterns = [
    *urls_referrals.urlpatterns,
    *urls_cases.urlpatterns,
    path("droit-d-acces/", subject_access.subject_access, name="subject_access"),
    path("archive/", archive.archive_list, name="archive_list"),
    path("archive/<int:pk>/", archive.archive_open, name="archive_open"),
]
