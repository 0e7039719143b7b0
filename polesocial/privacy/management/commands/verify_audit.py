"""`manage.py verify_audit [--checkpoint FICHIER]`: check that no entry of the audit journal
was edited, deleted or forged, and that it still reaches the checkpoints exported by
`export_audit_checkpoint`. Read-only, so no --wet-run."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polesocial.privacy.audit import AuditChainBroken, audit_verify
from polesocial.privacy.checkpoints import CheckpointFileError, ExportedCheckpoint, checkpoint_check
from polesocial.privacy.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Vérifie le chaînage du journal d'audit, dans l'ordre des numéros, depuis le "
        "dernier point de contrôle de purge : signale la première entrée modifiée, "
        "supprimée ou fabriquée et sort alors en erreur. Avec --checkpoint, vérifie aussi "
        "que le journal contient toujours la fin enregistrée par export_audit_checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Nombre d'entrées lues par lot, et fréquence de l'indication de progression "
            "(2000 par défaut).",
        )
        parser.add_argument(
            "--checkpoint",
            metavar="FICHIER",
            action="append",
            default=[],
            help="Point de contrôle exporté par export_audit_checkpoint, à retrouver dans le "
            "journal (option répétable).",
        )

    def handle(self, *args, batch_size: int, checkpoint: list[str], **options):
        if batch_size < 1:
            raise CommandError("--batch-size doit être un entier positif.")
        exported = [self._read(path) for path in checkpoint]
        total = AuditEntry.objects.count()
        try:
            result = audit_verify(batch_size=batch_size, on_progress=self._progress(total))
            found = [checkpoint_check(one, result) for one in exported]
        except AuditChainBroken as broken:
            raise CommandError(f"Journal d'audit altéré : {broken}") from broken
        plural = "s" if result.count > 1 else ""
        self.stdout.write(
            f"Journal d'audit intègre : {result.count} entrée{plural} vérifiée{plural}."
        )
        if result.checkpoint is not None:
            self.stdout.write(
                f"Entrées n° 1 à {result.checkpoint.sequence} purgées : vérification "
                "à partir du point de contrôle."
            )
        for one, intact in zip(exported, found, strict=True):
            state = "retrouvé intact" if intact else "antérieur à la dernière purge, non comparé"
            self.stdout.write(
                f"Point de contrôle exporté le {one.when} (entrée n° {one.sequence}) : {state}."
            )

    def _read(self, path: str) -> ExportedCheckpoint:
        try:
            return ExportedCheckpoint.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Impossible de lire « {path} » : {exc.strerror}.") from exc
        except (CheckpointFileError, UnicodeDecodeError) as exc:
            reason = exc if isinstance(exc, CheckpointFileError) else "fichier illisible."
            raise CommandError(f"« {path} » refusé : {reason}") from exc

    def _progress(self, total: int):
        def report(count: int) -> None:
            self.stderr.write(f"Vérification : {count} / {total} entrées…")

        return report
