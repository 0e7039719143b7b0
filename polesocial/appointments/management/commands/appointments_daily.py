"""The daily task of the agenda: tomorrow's reminders, and the time of past drop-in dates."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polesocial.appointments import services


class Command(BaseCommand):
    help = (
        "Tâche quotidienne de l'agenda : envoie les rappels des rendez-vous du lendemain "
        "(aux seuls agents qui les ont acceptés) et enregistre le temps des permanences "
        "passées pour leur employeur (durée moins les entretiens). Simulation par défaut."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Le jour de la tâche (AAAA-MM-JJ), aujourd'hui par défaut."
        )
        parser.add_argument("--wet-run", action="store_true", help="Envoie et enregistre vraiment.")

    def handle(self, *args, date=None, wet_run=False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError("Date illisible : attendu AAAA-MM-JJ.") from None
        tomorrow = today + dt.timedelta(days=1)
        reminders = services.reminders_send(day=tomorrow, wet_run=wet_run)
        if not wet_run:
            self.stdout.write(
                f"Simulation : {reminders} rappel(s) seraient envoyés pour le "
                f"{tomorrow:%d/%m/%Y} ; relancez avec --wet-run."
            )
            return
        dates = services.drop_in_time_record_until(today)
        self.stdout.write(
            f"{reminders} rappel(s) envoyé(s) pour le {tomorrow:%d/%m/%Y} ; temps de "
            f"{dates} date(s) de permanence à jour."
        )
