from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "polesocial.api"
    label = "api"
