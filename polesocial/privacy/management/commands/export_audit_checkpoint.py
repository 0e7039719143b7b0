"""`manage.py export_audit_checkpoint FICHIER`: write the journal's end, signed, to a file
kept outside the database, so that `verify_audit --checkpoint FICHIER` can later reveal a
journal whose end was cut. Writes no data, so no --wet-run."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polesocial.privacy.audit import AuditChainBroken
from polesocial.privacy.checkpoints import checkpoint_export


class Command(BaseCommand):
    help = (
        "Vérifie le journal d'audit puis écrit dans FICHIER un point de contrôle signé avec "
        "la clé du journal (dernier numéro, son empreinte, la date). Conservez ce fichier "
        "hors de la base de données (autre serveur, coffre) : « verify_audit --checkpoint "
        "FICHIER » signale alors toute entrée supprimée en fin de journal depuis l'export."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="fichier à créer")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            checkpoint = checkpoint_export()
        except AuditChainBroken as broken:
            raise CommandError(
                f"Journal d'audit altéré : {broken} Aucun point de contrôle exporté."
            ) from broken
        try:
            with path.open("x", encoding="utf-8") as output:
                output.write(checkpoint.dumps())
        except FileExistsError as exc:
            raise CommandError(f"« {file} » existe déjà : choisissez un autre nom.") from exc
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {file} » : {exc.strerror}.") from exc
        self.stdout.write(
            f"Point de contrôle exporté dans « {file} » : journal vérifié jusqu'à l'entrée "
            f"n° {checkpoint.sequence}, le {checkpoint.when}."
        )
