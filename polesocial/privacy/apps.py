from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "polesocial.privacy"
    label = "privacy"

    def ready(self) -> None:
        from polesocial.privacy import checks  # noqa: F401 - registers the deploy checks
        from polesocial.privacy.access import register_scopes
        from polesocial.privacy.scopes import SCOPES, VIEW_SCOPES

        # The mechanism the models import reads the tables about them without importing
        # them (docs/architecture.md §2).
        register_scopes(SCOPES, VIEW_SCOPES)
