"""`manage.py restore FICHIER [--wet-run]`: replace the whole database by a backup made by
`backup`. Without --wet-run, only checks that the file decrypts and says what it holds."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from polesocial.privacy.backup import BackupError, backup_inspect, backup_restore


class Command(BaseCommand):
    help = (
        "Restaure la base depuis une sauvegarde chiffrée (BACKUP_ENCRYPTION_KEY). Sans "
        "--wet-run, vérifie seulement que le fichier se déchiffre et dit ce qu'il contient."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", metavar="FICHIER", help="Sauvegarde à restaurer.")
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Remplace réellement toute la base actuelle par la sauvegarde.",
        )

    def handle(self, *args, fichier: str, wet_run: bool, **options):
        try:
            contents = backup_inspect(connection, Path(fichier))
            self.stdout.write(
                f"Sauvegarde {contents.engine} déchiffrée : {contents.size} octets, "
                f"{len(contents.tables)} tables."
            )
            for name, rows in contents.tables.items():
                suffix = f" : {rows} lignes" if rows >= 0 else ""
                self.stdout.write(f"  {name}{suffix}")
            if not wet_run:
                self.stdout.write(
                    "Simulation : rien n'a été restauré. Relancez avec --wet-run pour "
                    "remplacer toute la base actuelle par cette sauvegarde."
                )
                return
            backup_restore(connection, Path(fichier), self.stderr.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Base restaurée. Lancez verify_audit pour contrôler le journal d'audit.")
