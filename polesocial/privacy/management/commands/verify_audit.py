"""`manage.py verify_audit`: check that no entry of the audit journal was edited, deleted
or forged. Read-only, so no --wet-run."""

from django.core.management.base import BaseCommand, CommandError

from polesocial.privacy.audit import AuditChainBroken, audit_verify
from polesocial.privacy.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Vérifie le chaînage du journal d'audit, dans l'ordre des numéros, depuis le "
        "dernier point de contrôle de purge : signale la première entrée modifiée, "
        "supprimée ou fabriquée et sort alors en erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Nombre d'entrées lues par lot, et fréquence de l'indication de progression "
            "(2000 par défaut).",
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size doit être un entier positif.")
        total = AuditEntry.objects.count()
        try:
            result = audit_verify(batch_size=batch_size, on_progress=self._progress(total))
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

    def _progress(self, total: int):
        def report(count: int) -> None:
            self.stderr.write(f"Vérification : {count} / {total} entrées…")

        return report
