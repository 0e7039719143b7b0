"""python manage.py disclosure_measure --year Y: how much the employers' reports hide."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from polesocial.reports import disclosure, measure, pooling


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
        year, limit = options["year"], disclosure.threshold()
        total, small, lines, fine = measure.Share(), measure.Share(), [], [0, 0]
        for employer, figures, share, pooled in pooling.employer_shares(
            year, pooled=options["cumul"]
        ):
            total.merge(share)
            for i, count in enumerate(measure.fine_primary(figures, limit)):
                fine[i] += count
            if figures["employees_followed"] < limit:
                small.merge(share)
            lines.append(measure.describe_employer(employer.name, figures, share, pooled))
        label = " (cumul sur trois ans là où il est proposé)" if options["cumul"] else ""
        self.stdout.write(f"Bilans des employeurs {year}{label}")
        for line in measure.describe(total)[:1] + measure.describe_small(
            small, total, limit, tuple(fine)
        ):
            self.stdout.write(line)
        for line in measure.describe(total)[1:]:
            self.stdout.write(line)
        self.stdout.write("Par employeur (cases masquées sur cases non nulles) :")
        for line in lines:
            self.stdout.write(line)
