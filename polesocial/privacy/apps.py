from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "polesocial.privacy"
    label = "privacy"

    def ready(self):
        from polesocial.privacy import checks  # noqa: F401 - registers the deploy checks
