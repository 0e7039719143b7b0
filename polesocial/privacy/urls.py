from django.urls import path

from polesocial.privacy import views

app_name = "privacy"

urlpatterns = [
    path("journal/", views.audit_list, name="audit_list"),
]
