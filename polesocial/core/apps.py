from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "polesocial.core"
    label = "core"

    def ready(self):
        from polesocial.core import lookups  # noqa: F401 - registers the `in` lookup
