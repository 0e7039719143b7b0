from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "polesocial.billing"
    label = "billing"
    verbose_name = "Temps et facturation"

    def ready(self):
        from polesocial.billing.services.runs import register_run_task
        from polesocial.billing.tasks import run_invoices

        # A requested run goes to the task queue without the services importing the task
        # that calls them (docs/architecture.md §2).
        register_run_task(run_invoices.enqueue)
