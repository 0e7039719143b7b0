from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "polesocial.casework"
    label = "casework"
    verbose_name = "Accompagnement individuel"
