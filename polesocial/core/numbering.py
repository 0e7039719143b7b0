"""Gapless yearly numbers, for every app that numbers what it records.

A referral (S-2026-00001), a case (D-2026-00001) and an invoice (2026-000001) each take
their number here, inside the transaction that saves them.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from polesocial.core.models import NumberSequence


def next_number(*, sequence: str, year: int) -> int:
    """Take the next number of `sequence` for `year` (1 for the first of the year).

    The increment is one UPDATE, which holds the sequence's row lock (PostgreSQL) or the
    database's write lock (SQLite) until the caller's transaction ends: a concurrent caller
    waits, then takes the following number, and a rolled-back caller gives its number back.
    So call it inside the transaction that saves the numbered object.
    """
    with transaction.atomic():
        row = NumberSequence.objects.filter(sequence=sequence, year=year)
        if not row.update(last=F("last") + 1):
            try:
                with transaction.atomic():  # a savepoint: the race below must not end ours
                    NumberSequence.objects.create(sequence=sequence, year=year, last=1)
                return 1
            except IntegrityError:  # another transaction created the year's row first
                row.update(last=F("last") + 1)
        return row.values_list("last", flat=True).get()
