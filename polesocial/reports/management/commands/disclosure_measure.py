"""python manage.py disclosure_measure --year Y: how much the employers' reports hide."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from polesocial.reports import measure


class Command(BaseCommand):
    help = (
        "Mesure la part des cases non nulles masquées par le secret statistique dans les "
        "bilans de tous les employeurs d'une année."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année des bilans.")

    def handle(self, *args, **options):
        share = measure.employer_reports_share(options["year"])
        self.stdout.write(f"Bilans des employeurs {options['year']}")
        for line in measure.describe(share):
            self.stdout.write(line)
