"""Concurrent writers share one sequence without gap or repeat: only PostgreSQL has real
row locks (SQLite runs one writer at a time)."""

import threading

import pytest
from django.db import connection, transaction

from polesocial.core.models import NumberSequence
from polesocial.core.numbering import next_number

pytestmark = pytest.mark.postgres
THREADS = 8


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Les verrous de ligne n'existent que sous PostgreSQL.")


class RolledBack(Exception):
    """The write that took a number failed after taking it."""


def take(start: threading.Barrier, kept: list, errors: list, *, fail: bool) -> None:
    try:
        start.wait()
        with transaction.atomic():
            number = next_number(sequence="referral", year=2026)
            if fail:
                raise RolledBack
        kept.append(number)
    except RolledBack:
        pass
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_a_new_year_get_every_number_once_and_a_failure_none():
    start, kept, errors = threading.Barrier(THREADS), [], []
    threads = [
        threading.Thread(target=take, args=(start, kept, errors), kwargs={"fail": n == 0})
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(kept) == list(range(1, THREADS))
    assert NumberSequence.objects.get(sequence="referral", year=2026).last == THREADS - 1
