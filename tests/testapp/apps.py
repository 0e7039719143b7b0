from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only for the tests of reusable machinery (encrypted fields…)."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
