"""python manage.py retention [--wet-run]: apply the retention periods (CNIL 2023-095)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone

from polesocial.casework.services.retention import (
    active_cutoff,
    archive_cutoff,
    retention_plan,
    retention_run,
    traces_purge,
    traces_to_purge,
)
from polesocial.privacy.audit import AuditChainBroken, audit_log, audit_purge, audit_verify
from polesocial.privacy.enums import AuditAction


def day(value: dt.date) -> str:
    return formats.date_format(value, "d/m/Y")


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation : archive les dossiers clos des agents sans "
        "contact depuis RETENTION_ACTIVE_YEARS ans (2 par défaut), signale à l'ASS et au "
        "conseiller les dossiers encore ouverts, anonymise les dossiers archivés depuis "
        "RETENTION_ARCHIVE_YEARS ans et les saisines restées sans dossier, puis purge le "
        "journal d'audit, les tentatives de connexion et les notifications au-delà de "
        "AUDIT_RETENTION_DAYS jours (journal : avec point de contrôle). "
        "Sans --wet-run, simulation : compte seulement ce qui serait fait."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Applique réellement (sans cette option, rien n'est modifié).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=200, help="Dossiers traités par lot (200)."
        )

    def handle(self, *args, wet_run: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size doit être un entier positif.")
        now = timezone.now()
        today = timezone.localdate(now)
        plan = retention_plan(today=today)
        journal_before = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
        self.stdout.write(
            f"Agents sans contact depuis le {day(active_cutoff(today))} : "
            f"{len(plan.inactive_employees)}."
        )
        lines = (
            (len(plan.to_archive), "dossier(s) clos", "archivé(s)", "seraient archivés"),
            (len(plan.to_flag), "dossier(s) ouvert(s)", "signalé(s) à l'ASS et au conseiller",
             "seraient signalés à l'ASS et au conseiller"),
            (len(plan.to_anonymise),
             f"dossier(s) archivé(s) avant le {day(archive_cutoff(today))}", "anonymisé(s)",
             "seraient anonymisés"),
            (len(plan.referrals_to_anonymise), "saisine(s) restée(s) sans dossier",
             "anonymisée(s)", "seraient anonymisées"),
        )  # fmt: skip
        if not wet_run:
            for count, what, _done, would in lines:
                self.stdout.write(f"Simulation : {count} {what} {would}.")
            for what, rows in traces_to_purge(before=journal_before).items():
                self.stdout.write(f"Simulation : {rows.count()} {what} seraient supprimé(e)s.")
            self.stdout.write("Ajoutez --wet-run pour appliquer.")
            return
        self._verify("avant")
        result = retention_run(plan=plan, batch_size=batch_size, on_progress=self._progress)
        for count, what, done, _would in lines:
            self.stdout.write(f"{count} {what} {done}.")
        self.stdout.write(f"{result.deleted_documents} document(s) supprimé(s).")
        self.stdout.write(f"{result.anonymised_employees} agent(s) anonymisé(s).")
        for what, count in traces_purge(before=journal_before).items():
            self.stdout.write(f"{count} {what} supprimé(e)s.")
        purge = audit_purge(before=journal_before)
        if purge.count:
            audit_log(
                actor=None,
                action=AuditAction.AUDIT_PURGE,
                detail={"count": purge.count, "up_to": purge.up_to},
            )
        self.stdout.write(
            f"Journal d'audit : {purge.count} entrée(s) antérieure(s) au "
            f"{day(timezone.localdate(journal_before))} purgée(s)"
            + (f" (jusqu'au n° {purge.up_to}, point de contrôle enregistré)." if purge.count
               else ".")
        )  # fmt: skip
        self._verify("après")

    def _verify(self, when: str) -> None:
        try:
            audit_verify()
        except AuditChainBroken as broken:
            raise CommandError(
                f"Journal d'audit altéré ({when} la conservation) : {broken}"
            ) from broken

    def _progress(self, label: str, done: int, total: int) -> None:
        self.stderr.write(f"{label.capitalize()} : {done} / {total}…")
