from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "polesocial.billing"
    label = "billing"
    verbose_name = "Temps et facturation"
