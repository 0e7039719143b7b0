from django.urls import path

from polesocial.api import views_pages

app_name = "tokens"

urlpatterns = [
    path("compte/jetons/", views_pages.token_list, name="list"),
    path("compte/jetons/<int:pk>/revoquer/", views_pages.token_revoke, name="revoke"),
]
