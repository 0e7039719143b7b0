from django.urls import path

from polesocial.directory import views

app_name = "directory"

urlpatterns = [
    path("annuaire/", views.partner_list, name="partner_list"),
    path("annuaire/nouveau/", views.partner_create, name="partner_create"),
    path("annuaire/<int:pk>/modifier/", views.partner_update, name="partner_update"),
]
