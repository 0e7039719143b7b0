from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "polesocial.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # Registers the OpenAPI descriptions of our authentication classes.
        from polesocial.api import schema  # noqa: F401
