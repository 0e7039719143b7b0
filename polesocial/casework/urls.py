from django.urls import path

from polesocial.casework import urls_cases, urls_referrals
from polesocial.casework.views import archive, data_requests, subject_access

app_name = "casework"

# Referrals, queue and dashboards in one module, the case page in another.
urlpatterns = [
    *urls_referrals.urlpatterns,
    *urls_cases.urlpatterns,
    path("droit-d-acces/", subject_access.subject_access, name="subject_access"),
    # An employee's requests about his data (GDPR art. 15 and 17), handled by the DPO.
    path(
        "droit-d-acces/demandes/",
        data_requests.subject_request_create,
        name="subject_request_create",
    ),
    path(
        "droit-d-acces/demandes/<int:pk>/",
        data_requests.subject_request_detail,
        name="subject_request_detail",
    ),
    path(
        "droit-d-acces/demandes/<int:pk>/preparer/",
        data_requests.subject_request_prepare,
        name="subject_request_prepare",
    ),
    path(
        "droit-d-acces/demandes/<int:pk>/balance/",
        data_requests.subject_request_balance,
        name="subject_request_balance",
    ),
    path(
        "droit-d-acces/demandes/<int:pk>/relecture/",
        data_requests.subject_request_review,
        name="subject_request_review",
    ),
    path(
        "droit-d-acces/demandes/<int:pk>/remise/",
        data_requests.subject_request_release,
        name="subject_request_release",
    ),
    path(
        "droit-d-acces/demandes/<int:pk>/export/",
        data_requests.subject_request_download,
        name="subject_request_download",
    ),
    path(
        "droit-d-acces/effacement/",
        data_requests.erasure_request_create,
        name="erasure_request_create",
    ),
    path(
        "droit-d-acces/effacement/<int:pk>/",
        data_requests.erasure_request_detail,
        name="erasure_request_detail",
    ),
    path("archive/", archive.archive_list, name="archive_list"),
    path("archive/<int:pk>/", archive.archive_open, name="archive_open"),
]
