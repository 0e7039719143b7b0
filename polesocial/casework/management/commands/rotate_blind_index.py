"""Recompute the employees' blind indexes (silent matching, name search) with BLIND_INDEX_KEY."""

import contextlib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from polesocial.casework.models import Employee
from polesocial.privacy.crypto import DecryptionError

INDEXES = ("match_key", "name_words")


class Command(BaseCommand):
    help = (
        "Recalcule les index aveugles des agents (rapprochement silencieux et recherche par "
        "nom) avec la clé BLIND_INDEX_KEY, à partir des noms et dates de naissance déchiffrés. "
        "Pour changer de clé : nouvelle clé dans BLIND_INDEX_KEY, ancienne dans "
        "BLIND_INDEX_PREVIOUS_KEY (le rapprochement et la recherche essaient les deux), "
        "redémarrage, cette commande avec --wet-run, puis retrait de l'ancienne clé. Sans "
        "--wet-run, simulation : compte seulement les agents dont les index changeraient."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Recalcule réellement (sans cette option, rien n'est écrit).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Nombre d'agents lus et écrits par transaction (500 par défaut).",
        )

    def handle(self, *args, wet_run: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size doit être un entier positif.")
        if not wet_run:
            self.stdout.write("Simulation : rien n'est écrit (ajoutez --wet-run pour recalculer).")
        count = Employee._base_manager.filter(anonymised_on__isnull=True).count()
        done = stale = 0
        last_pk = None
        while True:
            # Each batch is read (locked, in a wet run) and written in one transaction: an
            # employee matched in between keeps the index computed from what it holds.
            with transaction.atomic() if wet_run else contextlib.nullcontext():
                rows = _next_batch(last_pk, batch_size, lock=wet_run)
                if not rows:
                    break
                changed = [row for row in rows if _reindexed(row)]
                if wet_run and changed:
                    Employee._base_manager.bulk_update(changed, INDEXES)
            done, stale, last_pk = done + len(rows), stale + len(changed), rows[-1].pk
            self._progress(done, count)
        verb = "recalculés" if wet_run else "à recalculer"
        self.stdout.write(f"Agents : {stale} index {verb} sur {done}.")
        if wet_run:
            self.stdout.write(
                "Terminé : BLIND_INDEX_PREVIOUS_KEY peut être retirée de la configuration."
            )

    def _progress(self, done: int, count: int) -> None:
        percent = min(100, 100 * done // count) if count else 100
        bar = "#" * (percent // 5)
        self.stderr.write(f"Agents [{bar:<20}] {percent:>3} % ({done}/{count})")


def _next_batch(last_pk, batch_size: int, *, lock: bool) -> list[Employee]:
    # An employee anonymised by the retention job has no identity left to index: his match
    # key stays the unique, meaningless one the job gave him.
    rows = (
        Employee._base_manager.filter(anonymised_on__isnull=True)
        .order_by("pk")
        .only("last_name", "first_name", "birth_date", *INDEXES)
    )
    if last_pk is not None:
        rows = rows.filter(pk__gt=last_pk)
    if lock:
        rows = rows.select_for_update()
    try:
        return list(rows[:batch_size])
    except DecryptionError:
        raise CommandError(
            "Le nom ou la date de naissance d'un agent ne peut pas être déchiffré avec les "
            "clés de FIELD_ENCRYPTION_KEYS : rien n'a été écrit pour ce lot. Rétablissez la "
            "clé manquante, puis relancez la commande."
        ) from None


def _reindexed(employee: Employee) -> bool:
    """Recompute the row's indexes in place; True when they changed."""
    before = tuple(getattr(employee, name) for name in INDEXES)
    employee.index_identity()
    return tuple(getattr(employee, name) for name in INDEXES) != before
