from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from polesocial.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("me/", views.MeView.as_view(), name="me"),
]
