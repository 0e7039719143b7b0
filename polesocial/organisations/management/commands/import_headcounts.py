"""`import_headcounts FICHIER [--wet-run]`: all-or-nothing import of yearly headcounts."""

from __future__ import annotations

from polesocial.organisations.imports import HEADCOUNT_COLUMNS, ImportResult, headcounts_import
from polesocial.organisations.management.commands import import_employers


class Command(import_employers.Command):
    """Same reading, report and exit code as `import_employers`; only the import differs."""

    help = (
        "Importe les effectifs annuels des employeurs depuis un fichier CSV (séparateur « ; », "
        "« , » ou tabulation ; UTF-8, UTF-16 ou Windows-1252). L'employeur est retrouvé par "
        "son SIRET ; une année déjà saisie est remplacée. Tout ou rien : à la moindre erreur, "
        "aucune ligne n'est importée. Sans --wet-run, simple simulation. "
        + import_employers.columns_help(HEADCOUNT_COLUMNS)
    )

    def run_import(self, data: bytes, *, wet_run: bool) -> ImportResult:
        progress = self.progress if wet_run else None
        return headcounts_import(data, wet_run=wet_run, progress=progress)
