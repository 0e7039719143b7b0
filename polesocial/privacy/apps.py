from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "polesocial.privacy"
    label = "privacy"
