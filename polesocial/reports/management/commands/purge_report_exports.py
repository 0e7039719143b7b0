"""python manage.py purge_report_exports [--wet-run]: delete expired export files."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import formats, timezone

from polesocial.reports.models import ReportExport, retention_days
from polesocial.reports.services import report_exports_purge


class Command(BaseCommand):
    help = (
        "Supprime les fichiers de bilan (PDF, ODS) préparés il y a plus de "
        "REPORT_EXPORT_RETENTION_DAYS jours (7 par défaut). Sans --wet-run, simulation : "
        "compte seulement ce qui serait supprimé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Supprime réellement (sans cette option, rien n'est supprimé).",
        )

    def handle(self, *args, wet_run: bool, **options):
        now = timezone.now()
        days = retention_days()
        expired = ReportExport.objects.expired(now)
        by_format = {
            row["format"]: row["n"]
            for row in expired.order_by().values("format").annotate(n=Count("pk"))
        }
        cutoff = formats.date_format(
            timezone.localtime(now) - dt.timedelta(days=days), "d/m/Y à H:i"
        )
        detail = ", ".join(f"{n} {fmt.upper()}" for fmt, n in sorted(by_format.items()))
        detail = f" ({detail})" if detail else ""
        if not wet_run:
            count = sum(by_format.values())
            self.stdout.write(
                f"Simulation : {count} export(s) de bilan préparé(s) avant le {cutoff} "
                f"(conservation : {days} jours) seraient supprimé(s){detail}. "
                "Ajoutez --wet-run pour les supprimer."
            )
            return
        count = report_exports_purge(now=now)
        self.stdout.write(
            f"{count} export(s) de bilan préparé(s) avant le {cutoff} "
            f"(conservation : {days} jours) supprimé(s){detail}."
        )
