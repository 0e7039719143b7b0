"""python manage.py disclosure_measure --year Y: how much the employers' reports hide."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from polesocial.reports import measure, pooling


class Command(BaseCommand):
    help = (
        "Mesure la part des cases non nulles masquées par le secret statistique dans les "
        "bilans de tous les employeurs d'une année."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année des bilans.")
        parser.add_argument(
            "--cumul",
            action="store_true",
            help="Mesurer le bilan cumulé sur trois ans des employeurs à qui il est proposé.",
        )

    def handle(self, *args, **options):
        share = pooling.employer_reports_share(options["year"], pooled=options["cumul"])
        label = " (cumul sur trois ans là où il est proposé)" if options["cumul"] else ""
        self.stdout.write(f"Bilans des employeurs {options['year']}{label}")
        for line in measure.describe(share):
            self.stdout.write(line)
