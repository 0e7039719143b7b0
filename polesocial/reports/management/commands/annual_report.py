"""python manage.py annual_report --year Y [--employer ID | --worker ID | --team ID]
--format json|csv|ods|pdf [--output FILE]"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from polesocial.reports import exports
from polesocial.reports.observation import build_observation
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import build_report
from polesocial.reports.tasks import narratives_for


class Command(BaseCommand):
    help = (
        "Produit le bilan annuel d'un périmètre (opérateur par défaut, ou un employeur, une "
        "ASS, une équipe). Le bilan d'un employeur applique toujours le secret statistique."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année du bilan.")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--employer", type=int, help="Identifiant de l'employeur.")
        scope.add_argument("--worker", type=int, help="Identifiant de l'ASS.")
        scope.add_argument("--team", type=int, help="Identifiant de l'équipe.")
        parser.add_argument(
            "--format", choices=exports.FORMATS, default="json", help="Format (json par défaut)."
        )
        parser.add_argument(
            "--controlled",
            action="store_true",
            help="Appliquer le secret statistique à un bilan interne (opérateur, ASS, équipe).",
        )
        parser.add_argument("--output", help="Fichier de sortie (sortie standard sinon).")

    def handle(self, *args, **options):
        kind, pk = "operator", None
        for name in ("employer", "worker", "team"):
            if options[name] is not None:
                kind, pk = name, options[name]
        try:
            scope = resolve_scope(kind, pk)
        except Exception as error:
            raise CommandError(f"Périmètre introuvable : {kind} {pk}.") from error
        controlled = kind == "employer" or options["controlled"]
        report = build_report(options["year"], scope, controlled=controlled)
        observation = build_observation(options["year"], scope, controlled=controlled)
        content = exports.render(
            report,
            options["format"],
            narratives_for(kind, pk or 0, options["year"]),
            observation=observation,
        )
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
            self.stdout.write(f"Bilan écrit dans {options['output']}.")
        elif options["format"] in ("json", "csv"):
            self.stdout.write(content.decode())
        else:
            sys.stdout.buffer.write(content)
