"""`manage.py backup FICHIER`: an encrypted copy of the whole database (privacy/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from polesocial.privacy.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sauvegarde toute la base (SQLite : copie en ligne ; PostgreSQL : pg_dump au "
        "format custom) dans FICHIER, chiffrée avec la clé BACKUP_ENCRYPTION_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", metavar="FICHIER", help="Fichier de sauvegarde à écrire.")

    def handle(self, *args, fichier: str, **options):
        try:
            size = backup_create(connection, Path(fichier), self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {fichier} » : {exc.strerror}.") from exc
        self.stdout.write(f"Sauvegarde chiffrée écrite dans « {fichier} » ({size} octets).")

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
