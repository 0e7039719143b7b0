from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "polesocial.appointments"
    verbose_name = "Rendez-vous et permanences"

    def ready(self) -> None:
        # An interview recorded during a drop-in session carries its own time: the
        # session's time is recomputed so that no minute is billed twice (services).
        from polesocial.appointments import signals  # noqa: F401
