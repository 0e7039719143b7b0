import json

from django.core.management.base import BaseCommand, CommandError

from polesocial.reports.federation import MergeError, export_aggregates


class Command(BaseCommand):
    help = (
        "Écrit les agrégats anonymes de l'opérateur pour une année (JSON versionné, identifié "
        "par le SIREN de l'opérateur, sans donnée nominative), pour la synthèse régionale ou "
        "nationale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année des agrégats.")
        parser.add_argument("--output", help="Fichier de sortie (sortie standard sinon).")

    def handle(self, *args, **options):
        try:
            document = export_aggregates(options["year"])
        except MergeError as error:
            raise CommandError(str(error)) from error
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(f"Agrégats écrits dans {options['output']}.")
        else:
            self.stdout.write(text)
