import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polesocial.organisations.services import convention_notices_send


class Command(BaseCommand):
    help = (
        "Prévient la conseillère et la facturation trois mois avant l'échéance ou la "
        "reconduction de chaque convention. À lancer chaque jour (cron) ; sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="date de référence AAAA-MM-JJ (par défaut : aujourd'hui)"
        )

    def handle(self, *args, date=None, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Date invalide : {date} (format attendu AAAA-MM-JJ).") from error
        sent = convention_notices_send(on=day)
        self.stdout.write(f"{sent} notification(s) envoyée(s) pour le {day:%d/%m/%Y}.")
