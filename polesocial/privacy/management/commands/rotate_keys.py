"""Re-encrypt every encrypted value with the newest key of FIELD_ENCRYPTION_KEYS."""

import contextlib
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, Value

from polesocial.privacy.crypto import DecryptionError, needs_rotation, rotate
from polesocial.privacy.fields import EncryptedTextField, encrypted_fields

RAW = "_encrypted_token"


@dataclass
class FieldReport:
    """What one pass found in one column."""

    label: str
    total: int = 0
    stale: int = 0
    unreadable: list[object] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Rechiffre les contenus chiffrés avec la clé la plus récente de "
        "FIELD_ENCRYPTION_KEYS. Sans --wet-run, simulation : compte seulement ce qui serait "
        "rechiffré, par modèle et par champ. Relancer la commande ne change rien de plus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Rechiffre réellement (sans cette option, rien n'est écrit).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Nombre de lignes lues et écrites par transaction (500 par défaut).",
        )

    def handle(self, *args, wet_run: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size doit être un entier positif.")
        if not wet_run:
            self.stdout.write("Simulation : rien n'est écrit (ajoutez --wet-run pour rechiffrer).")
        reports = [
            self._rotate_column(model, column, wet_run=wet_run, batch_size=batch_size)
            for model, column in encrypted_fields()
        ]
        self._summarise(reports, wet_run=wet_run)

    def _rotate_column(self, model, column: EncryptedTextField, *, wet_run, batch_size):
        report = FieldReport(label=f"{model._meta.label}.{column.name}")
        queryset = _raw_tokens(model, column)
        count = queryset.count()
        last_pk = None
        while True:
            # Each batch is read (locked, in a wet run) and written in one transaction, so a
            # value edited in between is never overwritten with its older content.
            with transaction.atomic() if wet_run else contextlib.nullcontext():
                rows = _next_batch(queryset, last_pk, batch_size, lock=wet_run)
                if not rows:
                    break
                stale = self._classify(rows, report)
                if wet_run and stale:
                    _write_rotated(model, column, stale)
            last_pk = rows[-1][0]
            self._progress(report.label, report.total, count)
        return report

    def _classify(self, rows, report: FieldReport) -> list[tuple[object, str]]:
        stale = []
        for pk, token in rows:
            report.total += 1
            try:
                if token and needs_rotation(token):
                    stale.append((pk, token))
            except DecryptionError:
                report.unreadable.append(pk)
        report.stale += len(stale)
        return stale

    def _progress(self, label: str, done: int, count: int) -> None:
        percent = min(100, 100 * done // count) if count else 100
        bar = "#" * (percent // 5)
        self.stderr.write(f"{label} [{bar:<20}] {percent:>3} % ({done}/{count})")

    def _summarise(self, reports: list[FieldReport], *, wet_run: bool) -> None:
        verb = "rechiffrée(s)" if wet_run else "à rechiffrer"
        for report in reports:
            self.stdout.write(
                f"{report.label} : {report.stale} valeur(s) {verb} sur {report.total}."
            )
        self.stdout.write(f"Total : {sum(r.stale for r in reports)} valeur(s) {verb}.")
        unreadable = [(r.label, pk) for r in reports for pk in r.unreadable]
        if unreadable:
            listing = ", ".join(f"{label} n° {pk}" for label, pk in unreadable)
            raise CommandError(
                f"{len(unreadable)} valeur(s) illisible(s) avec les clés configurées, "
                f"laissées telles quelles : {listing}."
            )


def _raw_tokens(model, column: EncryptedTextField) -> models.QuerySet:
    """(pk, stored token) pairs of one column, non-null, without decrypting them."""
    # Read through a plain TextField so that from_db_value (decryption) does not run.
    token = ExpressionWrapper(F(column.attname), output_field=models.TextField())
    return (
        model._base_manager.filter(**{f"{column.attname}__isnull": False})
        .annotate(**{RAW: token})
        .order_by("pk")
        .values_list("pk", RAW)
    )


def _next_batch(queryset, last_pk, batch_size: int, *, lock: bool) -> list:
    if last_pk is not None:
        queryset = queryset.filter(pk__gt=last_pk)
    if lock:
        queryset = queryset.select_for_update()
    return list(queryset[:batch_size])


def _write_rotated(model, column: EncryptedTextField, stale: list[tuple[object, str]]) -> None:
    # The new token goes in as a plain text Value, so the field does not encrypt it again.
    objs = []
    for pk, token in stale:
        obj = model(pk=pk)
        setattr(obj, column.attname, Value(rotate(token), output_field=models.TextField()))
        objs.append(obj)
    model._base_manager.bulk_update(objs, [column.name])
