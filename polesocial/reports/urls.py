from django.urls import path

from polesocial.reports import views

app_name = "reports"

urlpatterns = [
    path("bilans/", views.index, name="index"),
    path("bilans/<str:kind>/<int:pk>/<int:year>/", views.report_page, name="report"),
    path(
        "bilans/<str:kind>/<int:pk>/<int:year>/telecharger/<str:fmt>/",
        views.download,
        name="download",
    ),
    path("bilans/<str:kind>/<int:pk>/<int:year>/exporter/", views.export, name="export"),
    path(
        "bilans/<str:kind>/<int:pk>/<int:year>/analyse/",
        views.narrative_save,
        name="narrative_save",
    ),
    path("bilans/federation/", views.federation, name="federation"),
    path("bilans/exports/<uuid:pk>/", views.export_status, name="export_status"),
    path("bilans/exports/<uuid:pk>/fichier/", views.export_download, name="export_download"),
]
