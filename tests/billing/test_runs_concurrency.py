"""Invoice runs of one quarter never bill twice, even started at the same moment.

The database holds one invoice per employer and period (draft, issued or paid; credit notes
are free); the runs of a quarter wait for one another (the quarter's lock), and the second
sees what the first committed. On PostgreSQL, threads with their own connections run at
once; SQLite runs one writer at a time.
"""

import datetime as dt
import io
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from polesocial.billing import services
from polesocial.billing.enums import InvoiceKind, InvoiceStatus
from polesocial.billing.models import Invoice, InvoiceRun
from polesocial.billing.services import runs
from polesocial.core.models import JobStatus
from polesocial.users.enums import Role
from tests.billing.helpers import setting, time
from tests.conftest import sign_in
from tests.factories import UserFactory

D = dt.date
EMPLOYERS = 4


def employers_with_time(count: int = EMPLOYERS):
    employers = []
    for n in range(count):
        worker, employer = setting(contribution=None)
        time(worker, employer, D(2026, 2, 3 + n), 60 * (n + 1))
        employers.append(employer)
    return employers


def invoices_per_employer() -> Counter:
    holding = Invoice.objects.filter(kind=InvoiceKind.INVOICE).exclude(
        status=InvoiceStatus.CANCELLED
    )
    return Counter(holding.values_list("employer_id", flat=True))


# --- The database's guard, on every database -----------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_a_second_invoice_for_an_employer_and_a_period():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 60)
    (invoice,) = services.invoice_run(actor=None, year=2026, quarter=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            operator_id=invoice.operator_id,
            employer=employer,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            period_label=invoice.period_label,
        )


@pytest.mark.django_db
def test_a_cancelled_invoice_s_period_is_billed_again_beside_its_credit_note():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 60)
    (invoice,) = services.invoice_run(actor=None, year=2026, quarter=1)
    services.invoice_issue(actor=None, invoice=invoice, issued_on=D(2026, 4, 2))
    services.invoice_cancel(actor=None, invoice=invoice, issued_on=D(2026, 4, 3))

    (again,) = services.invoice_run(actor=None, year=2026, quarter=1)
    services.invoice_issue(actor=None, invoice=again, issued_on=D(2026, 4, 4))
    services.invoice_cancel(actor=None, invoice=again, issued_on=D(2026, 4, 5))

    same_period = Invoice.objects.filter(employer=employer, period_start=D(2026, 1, 1))
    assert Counter(same_period.values_list("kind", flat=True)) == {
        InvoiceKind.INVOICE: 2,
        InvoiceKind.CREDIT_NOTE: 2,
    }


@pytest.mark.django_db
def test_a_second_run_of_an_invoiced_quarter_bills_its_late_time_in_the_next_period_only():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 60)
    (q1,) = services.invoice_run(actor=None, year=2026, quarter=1)
    services.invoice_issue(actor=None, invoice=q1, issued_on=D(2026, 4, 2))
    time(worker, employer, D(2026, 3, 30), 30)  # recorded after the first quarter's invoice

    assert services.invoice_run(actor=None, year=2026, quarter=1) == []
    (q2,) = services.invoice_run(actor=None, year=2026, quarter=2)
    assert [(line.kind, line.minutes) for line in q2.lines.all()] == [("adjustment", 30)]


@pytest.mark.django_db
def test_the_command_run_twice_with_issue_bills_each_employer_once():
    employers_with_time()
    for _ in range(2):
        call_command(
            "invoice_run", "--year", "2026", "--quarter", "1", "--wet-run", "--issue",
            stdout=io.StringIO(),
        )  # fmt: skip
    assert sorted(invoices_per_employer().values()) == [1] * EMPLOYERS


@pytest.mark.django_db
def test_a_command_that_waited_too_long_for_another_run_on_sqlite_says_so_in_french(
    monkeypatch,
):
    def busy(**kwargs):  # what SQLite raises after its `timeout` behind another writer
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "invoice_run", busy)
    with pytest.raises(CommandError, match="une autre préparation de facturation"):
        call_command("invoice_run", "--year", "2026", "--quarter", "1", "--wet-run")


# --- A second request while a run is under way -----------------------------------------


@pytest.mark.django_db
def test_a_second_request_for_a_quarter_whose_run_is_under_way_is_refused_in_french():
    officer = UserFactory(role=Role.BILLING)
    under_way = InvoiceRun.objects.create(
        requested_by=officer, year=2026, quarter=1, status=JobStatus.RUNNING
    )
    under_way.beat()
    with pytest.raises(ValidationError) as refused:
        services.invoice_run_request(actor=UserFactory(role=Role.BILLING), year=2026, quarter=1)
    assert refused.value.messages == [
        "Une préparation de la facturation du 1er trimestre 2026 est déjà en cours : suivez-la "
        "sur sa page, ou attendez qu'elle se termine pour en demander une autre."
    ]
    assert list(InvoiceRun.objects.all()) == [under_way]
    # Another quarter may run meanwhile, and the same one once the first has ended.
    services.invoice_run_request(actor=officer, year=2026, quarter=2)
    InvoiceRun.objects.filter(pk=under_way.pk).update(status=JobStatus.DONE)
    services.invoice_run_request(actor=officer, year=2026, quarter=1)
    assert InvoiceRun.objects.count() == 3


@pytest.mark.django_db
def test_the_billing_screen_tells_a_second_officer_the_quarter_s_run_is_under_way(client):
    InvoiceRun.objects.create(
        requested_by=UserFactory(role=Role.BILLING), year=2026, quarter=1, status=JobStatus.PENDING
    )
    sign_in(client, UserFactory(role=Role.BILLING))
    response = client.post(reverse("billing:invoice_run") + "?annee=2026&trimestre=1", follow=True)
    assert "déjà en cours" in response.content.decode()
    assert InvoiceRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_whose_worker_stopped_mid_way_does_not_block_the_next_request(settings):
    officer = UserFactory(role=Role.BILLING)
    stopped = InvoiceRun.objects.create(
        requested_by=officer, year=2026, quarter=1, status=JobStatus.RUNNING
    )
    long_ago = timezone.now() - dt.timedelta(seconds=settings.BACKGROUND_JOB_STALE_SECONDS + 60)
    InvoiceRun.objects.filter(pk=stopped.pk).update(heartbeat_at=long_ago)
    services.invoice_run_request(actor=officer, year=2026, quarter=1)
    stopped.refresh_from_db()
    assert stopped.status == JobStatus.INTERRUPTED
    assert InvoiceRun.objects.count() == 2


# --- At the same moment, on PostgreSQL ---------------------------------------------------


def at_once(how_many: int, work) -> list[Exception]:
    """Run `work()` in `how_many` threads (each its own connection) released together."""
    start, errors = threading.Barrier(how_many), []

    def one():
        try:
            start.wait()
            work()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(how_many)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Les verrous de ligne n'existent que sous PostgreSQL.")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_wet_runs_with_issue_started_together_issue_one_invoice_per_employer(
    postgresql_only,
):
    employers_with_time()

    def wet_run_with_issue():
        call_command(
            "invoice_run", "--year", "2026", "--quarter", "1", "--wet-run", "--issue",
            stdout=io.StringIO(),
        )  # fmt: skip

    assert at_once(2, wet_run_with_issue) == []
    assert sorted(invoices_per_employer().values()) == [1] * EMPLOYERS
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == EMPLOYERS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_background_runs_together_both_end_with_one_draft_per_employer(
    postgresql_only, monkeypatch
):
    employers_with_time(3 * EMPLOYERS)
    monkeypatch.setattr(runs, "RUN_BATCH", 2)  # many transactions, interleaved

    def background_run():
        services.invoice_run_in_batches(
            actor=None, year=2026, quarter=1, progress=lambda done, total: None
        )

    for _ in range(3):
        assert at_once(2, background_run) == []
    assert sorted(invoices_per_employer().values()) == [1] * 3 * EMPLOYERS
