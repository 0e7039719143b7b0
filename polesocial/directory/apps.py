from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "polesocial.directory"
    label = "directory"
    verbose_name = "Annuaire"
