from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "polesocial.reports"
    label = "reports"
    verbose_name = "Bilans et observation sociale"
