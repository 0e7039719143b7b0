"""`import_employers FICHIER [--wet-run]`: all-or-nothing import of employers from CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polesocial.organisations.imports import (
    EMPLOYER_COLUMNS,
    Column,
    ImportResult,
    employers_import,
)

BAR_WIDTH = 30


def columns_help(columns: tuple[Column, ...]) -> str:
    required = ", ".join(c.name for c in columns if c.required)
    optional = ", ".join(c.name for c in columns if not c.required)
    return f"Colonnes obligatoires : {required} ; facultatives : {optional}."


class Command(BaseCommand):
    help = (
        "Importe des employeurs depuis un fichier CSV (séparateur « ; », « , » ou tabulation ; "
        "UTF-8, UTF-16 ou Windows-1252). Tout ou rien : à la moindre erreur, aucune ligne "
        "n'est importée. Sans --wet-run, simple simulation. " + columns_help(EMPLOYER_COLUMNS)
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FICHIER", help="chemin du fichier CSV")
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="enregistrer pour de bon (par défaut : simulation, rien n'est enregistré)",
        )

    def run_import(self, data: bytes, *, wet_run: bool) -> ImportResult:
        progress = self.progress if wet_run else None
        return employers_import(data, wet_run=wet_run, progress=progress)

    def handle(self, *args, **options) -> None:
        data = self.read(options["file"])
        result = self.run_import(data, wet_run=options["wet_run"])
        if result.ignored_columns:
            self.stdout.write(f"Colonnes ignorées : {', '.join(result.ignored_columns)}.")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(f"{count} erreur{'s' * (count > 1)} : rien n'a été importé.")
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if not result.written:
            self.stdout.write(
                "Simulation : rien n'a été enregistré. Relancez avec --wet-run pour importer."
            )

    def read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Impossible de lire « {path} » : {exc.strerror}.") from exc

    def progress(self, done: int, total: int) -> None:
        """A text progress bar, rewritten in place on a terminal."""
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        ending = "\n" if done == total else ""
        self.stdout.write(f"\rEnregistrement [{bar}] {done}/{total}", ending=ending)
        self.stdout.flush()
