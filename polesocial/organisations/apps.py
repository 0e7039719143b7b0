from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "polesocial.organisations"
    label = "organisations"
    verbose_name = "Organisations"
