from django.urls import path

from polesocial.privacy import views

app_name = "privacy"

urlpatterns = [
    path("journal/", views.audit_list, name="audit_list"),
    path("archive/habilitations/", views.archivist_list, name="archivist_list"),
    path(
        "archive/habilitations/<int:pk>/retrait/",
        views.archivist_revoke,
        name="archivist_revoke",
    ),
]
