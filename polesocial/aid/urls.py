from django.urls import path

from polesocial.aid import views, views_case

app_name = "aid"

urlpatterns = [
    # The « Aides » tab of the case page (404 to whoever may not read the case).
    path("dossiers/<int:pk>/aides/", views_case.case_aid, name="case_aid"),
    path("dossiers/<int:pk>/aides/saisir/", views_case.aid_request_create, name="request_create"),
    path(
        "dossiers/<int:pk>/aides/<int:aid_pk>/depot/",
        views_case.aid_request_submit,
        name="request_submit",
    ),
    path(
        "dossiers/<int:pk>/aides/<int:aid_pk>/cloture/",
        views_case.aid_request_close,
        name="request_close",
    ),
    path(
        "dossiers/<int:pk>/aides/<int:aid_pk>/versement/",
        views_case.aid_payment_add,
        name="payment_add",
    ),
    path(
        "dossiers/<int:pk>/aides/<int:aid_pk>/echeancier/",
        views_case.loan_schedule,
        name="loan_schedule",
    ),
    path("dossiers/<int:pk>/aides/<int:aid_pk>/lettre/", views_case.aid_letter, name="letter"),
    # Catalogue, budgets, committee.
    path("aides/catalogue/", views.catalogue, name="catalogue"),
    path("aides/catalogue/ajouter/", views.scheme_create, name="scheme_create"),
    path("aides/catalogue/adhesions/ajouter/", views.membership_create, name="membership_create"),
    path("aides/catalogue/prestataires/ajouter/", views.provider_create, name="provider_create"),
    path("aides/catalogue/<int:pk>/modifier/", views.scheme_edit, name="scheme_edit"),
    path("aides/catalogue/<int:pk>/clore/", views.scheme_close, name="scheme_close"),
    path(
        "aides/catalogue/adhesions/<int:pk>/modifier/",
        views.membership_edit,
        name="membership_edit",
    ),
    path(
        "aides/catalogue/adhesions/<int:pk>/clore/",
        views.membership_close,
        name="membership_close",
    ),
    path(
        "aides/catalogue/prestataires/<int:pk>/modifier/",
        views.provider_edit,
        name="provider_edit",
    ),
    path(
        "aides/catalogue/prestataires/<int:pk>/clore/",
        views.provider_close,
        name="provider_close",
    ),
    path("aides/budgets/", views.budget_list, name="budget_list"),
    path("aides/commission/", views.session_list, name="session_list"),
    path("aides/commission/commissions/", views.committee_list, name="committee_list"),
    path("aides/commission/commissions/ajouter/", views.committee_create, name="committee_create"),
    path("aides/commission/commissions/<int:pk>/", views.committee_edit, name="committee_edit"),
    path("aides/commission/engagement/", views.undertaking, name="undertaking"),
    path("aides/commission/seances/<int:pk>/", views.session_detail, name="session_detail"),
    path(
        "aides/commission/seances/<int:pk>/inscrire/",
        views.session_schedule,
        name="session_schedule",
    ),
    path(
        "aides/commission/seances/<int:pk>/decision/",
        views.decision_record,
        name="decision_record",
    ),
    path(
        "aides/commission/seances/<int:pk>/presences/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("aides/commission/procedure-ecrite/", views.written_procedure, name="written_procedure"),
    path(
        "aides/commission/seances/<int:pk>/proces-verbal/",
        views.session_minutes,
        name="session_minutes",
    ),
]
