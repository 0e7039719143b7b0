"""python manage.py subject_export --employee ID [--output FICHIER]: subject access (art. 15).

Read-only on the data (no --wet-run); the export itself is journaled."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polesocial.casework.models import Employee
from polesocial.casework.subject_access import subject_export


class Command(BaseCommand):
    help = (
        "Prépare, en JSON, tout ce que Pôle social détient sur un agent (droit d'accès, "
        "RGPD art. 15) : identité, saisines, évaluations, adhésions, dossiers, entretiens, "
        "plan, orientations, documents (description), clôtures, et les accès à ces données "
        "(date, action, rôle de la personne). L'export est inscrit au journal d'audit. "
        "À relire par l'ASS en charge avant remise (mentions de tiers, art. 15(4))."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employee", type=int, required=True, metavar="ID",
                            help="Numéro interne de l'agent.")  # fmt: skip
        parser.add_argument(
            "--output",
            metavar="FICHIER",
            help="Fichier JSON à écrire (sinon, sortie standard).",
        )

    def handle(self, *args, employee: int, output: str | None, **options):
        found = Employee.objects.filter(pk=employee).first()
        if found is None:
            raise CommandError(f"Aucun agent n'a le numéro {employee}.")
        if found.anonymised_on is not None:
            raise CommandError(
                f"L'agent n° {employee} a été anonymisé le {found.anonymised_on:%d/%m/%Y} : "
                "plus aucune donnée ne le concerne."
            )
        export = subject_export(actor=None, employee=found)
        text = json.dumps(export, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {output} » : {exc.strerror}.") from exc
        rows = sum(len(section["lignes"]) for section in export["données"])
        self.stdout.write(
            f"Export de l'agent n° {employee} écrit dans « {output} » : {rows} ligne(s), "
            f"{len(export['accès'])} accès. Faites-le relire par l'ASS en charge avant remise."
        )
