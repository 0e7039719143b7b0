from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "polesocial.collective"
    label = "collective"
    verbose_name = "Actions collectives"
