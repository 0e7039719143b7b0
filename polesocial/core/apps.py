from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "polesocial.core"
    label = "core"
