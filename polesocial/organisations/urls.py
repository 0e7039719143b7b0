from django.urls import path

from polesocial.organisations.views import (
    administration,
    conventions,
    employers,
    imports,
    my_employer,
    teams,
)

app_name = "organisations"

urlpatterns = [
    path("employeurs/", employers.employer_list, name="employer_list"),
    path("employeurs/nouveau/", employers.employer_create, name="employer_create"),
    path("employeurs/import/", imports.employer_import, name="employer_import"),
    path("effectifs/import/", imports.headcount_import, name="headcount_import"),
    path("employeurs/<int:pk>/", employers.employer_detail, name="employer_detail"),
    path("employeurs/<int:pk>/modifier/", employers.employer_update, name="employer_update"),
    path("employeurs/<int:pk>/effectifs/", employers.headcount_set, name="headcount_set"),
    path(
        "employeurs/<int:employer_pk>/conventions/nouvelle/",
        conventions.convention_create,
        name="convention_create",
    ),
    path("conventions/<int:pk>/", conventions.convention_detail, name="convention_detail"),
    path("conventions/<int:pk>/modifier/", conventions.convention_update, name="convention_update"),
    path("conventions/<int:pk>/signer/", conventions.convention_sign, name="convention_sign"),
    path(
        "conventions/<int:pk>/activer/", conventions.convention_activate, name="convention_activate"
    ),
    path(
        "conventions/<int:pk>/resilier/",
        conventions.convention_terminate,
        name="convention_terminate",
    ),
    path(
        "conventions/<int:pk>/document/",
        conventions.convention_document,
        name="convention_document",
    ),
    path(
        "conventions/<int:pk>/generer.<str:fmt>",
        conventions.convention_generate,
        name="convention_generate",
    ),
    path(
        "conventions/<int:pk>/convention-signee/",
        conventions.convention_scan,
        name="convention_scan",
    ),
    path(
        "conventions/<int:pk>/avenants/nouveau/",
        conventions.amendment_create,
        name="amendment_create",
    ),
    path(
        "conventions/avenants/<int:pk>/document/",
        conventions.amendment_document,
        name="amendment_document",
    ),
    path("equipes/", teams.team_list, name="team_list"),
    path("plan-etp/", teams.fte_plan, name="fte_plan"),
    path("plan-etp/part/", teams.fte_share_set, name="fte_share_set"),
    path("remplacements/", teams.replacement_list, name="replacement_list"),
    path("administration/operateur/", administration.operator_edit, name="operator_edit"),
    path("facturation/mentions/", administration.operator_billing, name="operator_billing"),
    path("administration/equipes/", administration.team_admin_list, name="team_admin_list"),
    path("administration/equipes/nouvelle/", administration.team_create, name="team_create"),
    path(
        "administration/equipes/<int:pk>/modifier/",
        administration.team_update,
        name="team_update",
    ),
    path(
        "administration/equipes/<int:pk>/fermer/",
        administration.team_close,
        name="team_close",
    ),
    path("equipes/interims/", administration.interim_list, name="interim_list"),
    path("administration/libelles/", administration.label_list, name="label_list"),
    path(
        "administration/ass/rattacher/",
        administration.social_worker_create,
        name="social_worker_create",
    ),
    path(
        "administration/ass/<int:pk>/modifier/",
        administration.social_worker_update,
        name="social_worker_update",
    ),
    path("mon-employeur/", my_employer.my_employer, name="my_employer"),
    path(
        "mon-employeur/conventions/<int:pk>/document/",
        my_employer.my_convention_document,
        name="my_convention_document",
    ),
]
