import json

from django.core.management.base import BaseCommand, CommandError

from polesocial.reports.federation import MergeError, merge


class Command(BaseCommand):
    help = (
        "Fusionne les agrégats de plusieurs opérateurs en une synthèse régionale ou nationale "
        "(refuse deux fichiers du même SIREN pour la même année et les schémas différents)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Fichiers produits par export_aggregates.")
        parser.add_argument("--output", required=True, help="Fichier de la synthèse (JSON).")

    def handle(self, *args, **options):
        documents = []
        for name in options["files"]:
            try:
                with open(name, encoding="utf-8") as handle:
                    documents.append(json.load(handle))
            except (OSError, ValueError) as error:
                raise CommandError(f"Fichier illisible : {name}.") from error
        try:
            synthesis = merge(documents)
        except (MergeError, KeyError, TypeError) as error:
            raise CommandError(str(error)) from error
        with open(options["output"], "w", encoding="utf-8") as handle:
            json.dump(synthesis, handle, ensure_ascii=False, indent=2)
        self.stdout.write(
            f"Synthèse de {len(documents)} opérateurs écrite dans {options['output']}."
        )
