from django.urls import path

from polesocial.casework.views import case_records, cases, mobility

# The case page (dossier) and its tabs; every URL with <pk> answers 404 to whoever may not
# read that case, whatever her role.
urlpatterns = [
    path("dossiers/", cases.case_list, name="case_list"),
    path("dossiers/<int:pk>/", cases.case_detail, name="case_detail"),
    path("dossiers/<int:pk>/modifier/", cases.case_update, name="case_update"),
    path("dossiers/<int:pk>/cloture/", cases.case_close, name="case_close"),
    path("dossiers/<int:pk>/reouverture/", cases.case_reopen, name="case_reopen"),
    path("dossiers/<int:pk>/identite/", cases.identity_correct, name="identity_correct"),
    path("dossiers/<int:pk>/transfert/", cases.case_transfer, name="case_transfer"),
    path("dossiers/<int:pk>/adhesion/retrait/", cases.consent_withdraw, name="consent_withdraw"),
    path("dossiers/<int:pk>/historique/", cases.case_history, name="case_history"),
    path("dossiers/<int:pk>/entretiens/", case_records.case_interviews, name="case_interviews"),
    path(
        "dossiers/<int:pk>/entretiens/saisir/",
        case_records.interview_create,
        name="interview_create",
    ),
    path("dossiers/<int:pk>/plan/", case_records.case_plan, name="case_plan"),
    path("dossiers/<int:pk>/plan/objectifs/", case_records.objective_add, name="objective_add"),
    path("dossiers/<int:pk>/plan/actions/", case_records.action_add, name="action_add"),
    path("dossiers/<int:pk>/plan/etat/", case_records.plan_item_status, name="plan_item_status"),
    path(
        "dossiers/<int:pk>/orientations/",
        case_records.case_orientations,
        name="case_orientations",
    ),
    path(
        "dossiers/<int:pk>/orientations/ajouter/",
        case_records.orientation_add,
        name="orientation_add",
    ),
    path(
        "dossiers/<int:pk>/orientations/<int:orientation_pk>/resultat/",
        case_records.orientation_result,
        name="orientation_result",
    ),
    path("dossiers/<int:pk>/documents/", case_records.case_documents, name="case_documents"),
    path(
        "dossiers/<int:pk>/documents/deposer/",
        case_records.document_upload,
        name="document_upload",
    ),
    path(
        "dossiers/<int:pk>/documents/<int:doc_pk>/",
        case_records.document_download,
        name="document_download",
    ),
    path("dossiers/<int:pk>/mobilite/", mobility.case_mobility, name="case_mobility"),
    path("dossiers/<int:pk>/mobilite/relais/", mobility.handoff_create, name="handoff_create"),
    path(
        "dossiers/<int:pk>/mobilite/<int:handoff_pk>/fin/",
        mobility.handoff_end,
        name="handoff_end",
    ),
    # The mobility adviser's pages: the hand-offs made to him.
    path("mobilite/", mobility.mobility_list, name="mobility_list"),
    path("mobilite/<int:pk>/", mobility.mobility_detail, name="mobility_detail"),
    path(
        "mobilite/<int:pk>/suivi/",
        mobility.mobility_follow_up_add,
        name="mobility_follow_up_add",
    ),
]
