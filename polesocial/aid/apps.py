from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "polesocial.aid"
    label = "aid"
    verbose_name = "Aides matérielles"
