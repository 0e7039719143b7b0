"""python manage.py interrupt_stale_jobs [--wet-run]: mark jobs stopped mid-way."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from polesocial.core import jobs


class Command(BaseCommand):
    help = (
        "Repère les tâches de fond (préparation de facturation, export de bilan) restées "
        "« En cours » sans signe de vie depuis BACKGROUND_JOB_STALE_SECONDS secondes (600 par "
        "défaut) : leur travailleur s'est arrêté. Avec --wet-run, les marque interrompues "
        "(leur page propose alors de les relancer). Sans --wet-run, simulation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Marque réellement les tâches interrompues (sinon, compte seulement).",
        )

    def handle(self, *args, wet_run: bool, **options):
        now = timezone.now()
        counts = jobs.interrupt_all_stale(now) if wet_run else jobs.stale_counts(now)
        total = sum(counts.values())
        detail = ", ".join(f"{model._meta.verbose_name} : {n}" for model, n in counts.items() if n)
        detail = f" ({detail})" if detail else ""
        minutes = int(jobs.stale_after().total_seconds() // 60)
        if wet_run:
            self.stdout.write(
                f"{total} tâche(s) sans signe de vie depuis {minutes} min marquée(s) "
                f"interrompue(s){detail}."
            )
        else:
            self.stdout.write(
                f"Simulation : {total} tâche(s) sans signe de vie depuis {minutes} min "
                f"seraient marquée(s) interrompue(s){detail}. Ajoutez --wet-run pour les marquer."
            )
