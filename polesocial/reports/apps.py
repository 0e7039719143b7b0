from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "polesocial.reports"
    label = "reports"
    verbose_name = "Bilans et observation sociale"

    def ready(self) -> None:
        from polesocial.reports import cache

        cache.connect()
