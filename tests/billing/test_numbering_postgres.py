"""Gapless numbering under concurrent issuing: only PostgreSQL has real row locks."""

import datetime as dt
import threading

import pytest
from django.db import connection

from polesocial.billing import services
from polesocial.billing.models import Invoice
from tests.billing.helpers import setting, time

pytestmark = pytest.mark.postgres
THREADS = 8


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Les verrous de ligne n'existent que sous PostgreSQL.")


def issue(invoice, start: threading.Barrier, errors: list) -> None:
    try:
        start.wait()
        services.invoice_issue(actor=None, invoice=invoice, issued_on=dt.date(2026, 4, 2))
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_gapless_numbers():
    drafts = []
    for _ in range(THREADS):
        worker, employer = setting(contribution=None)
        time(worker, employer, dt.date(2026, 2, 3), 60)
        (draft,) = services.invoice_run(actor=None, year=2026, quarter=1, employers=[employer])
        drafts.append(draft)
    start, errors = threading.Barrier(THREADS), []
    threads = [threading.Thread(target=issue, args=(d, start, errors)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"2026-{n:06d}" for n in range(1, THREADS + 1)]
