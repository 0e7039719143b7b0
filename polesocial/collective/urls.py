from django.urls import path

from polesocial.collective.views import actions, alerts, meetings

app_name = "collective"

urlpatterns = [
    path("collectif/actions/", actions.action_list, name="action_list"),
    path("collectif/actions/nouvelle/", actions.action_create, name="action_create"),
    path("collectif/actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("collectif/actions/<int:pk>/modifier/", actions.action_update, name="action_update"),
    path(
        "collectif/actions/<int:pk>/documents/",
        actions.document_upload,
        name="document_upload",
    ),
    path(
        "collectif/actions/<int:pk>/documents/<int:document_pk>/",
        actions.document_download,
        name="document_download",
    ),
    path(
        "collectif/actions/<int:pk>/documents/<int:document_pk>/supprimer/",
        actions.document_delete,
        name="document_delete",
    ),
    path("collectif/instances/", meetings.meeting_list, name="meeting_list"),
    path("collectif/instances/nouvelle/", meetings.meeting_create, name="meeting_create"),
    path("collectif/instances/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("collectif/instances/<int:pk>/modifier/", meetings.meeting_update, name="meeting_update"),
    path("collectif/alertes/", alerts.alert_list, name="alert_list"),
    path("collectif/alertes/nouvelle/", alerts.alert_create, name="alert_create"),
    path("collectif/alertes/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    path("collectif/alertes/<int:pk>/modifier/", alerts.alert_update, name="alert_update"),
]
