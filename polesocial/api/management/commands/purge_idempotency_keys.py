"""python manage.py purge_idempotency_keys [--wet-run]: delete expired idempotency keys."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from polesocial.api.idempotency import HEADER, expired, purge_expired


class Command(BaseCommand):
    help = (
        f"Supprime les empreintes des clés {HEADER} de l'API reçues il y a plus de 24 heures. "
        "Sans --wet-run, simulation : compte seulement ce qui serait supprimé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Supprime réellement (sans cette option, rien n'est supprimé).",
        )

    def handle(self, *args, wet_run: bool, **options):
        if not wet_run:
            count = expired().count()
            self.stdout.write(
                f"Simulation : {count} clé(s) {HEADER} de plus de 24 heures seraient "
                "supprimée(s). Ajoutez --wet-run pour les supprimer."
            )
            return
        count = purge_expired()
        self.stdout.write(f"{count} clé(s) {HEADER} de plus de 24 heures supprimée(s).")
