"""Referrals, cases and invoices take their numbers from one gapless mechanism.

The counters casework and billing kept apart before (NumberSequence, InvoiceCounter) are
carried over by the migrations: no number already given is ever given again.
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from polesocial.billing import services
from polesocial.core.numbering import next_number
from tests.billing.helpers import setting, time
from tests.factories import OperatorFactory, SocialWorkerFactory, open_case_for

BEFORE = [("casework", "0004_encrypted_employee_contact"), ("billing", "0002_invoice_run")]
OPENED_ON = dt.date(2026, 3, 2)  # open_case_for's default: the case number's year


def migrate(targets):
    """Migrate to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def issue_an_invoice():
    worker, employer = setting(contribution=None)
    time(worker, employer, dt.date(2026, 2, 3), 60)
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1, employers=[employer])
    return services.invoice_issue(actor=None, invoice=draft, issued_on=dt.date(2026, 4, 2))


# --- The mechanism ------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_sequence_and_year_counts_from_one_on_its_own():
    assert [next_number(sequence="referral", year=2026) for _ in range(3)] == [1, 2, 3]
    assert next_number(sequence="referral", year=2027) == 1
    assert next_number(sequence="case", year=2026) == 1
    assert next_number(sequence="referral", year=2026) == 4


@pytest.mark.django_db
def test_a_rolled_back_write_gives_its_number_back():
    next_number(sequence="case", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(sequence="case", year=2026) == 2
        raise RuntimeError("the case could not be saved")
    assert next_number(sequence="case", year=2026) == 2


@pytest.mark.django_db
def test_referral_case_and_invoice_numbers_keep_their_formats():
    case = open_case_for(SocialWorkerFactory(), opened_on=OPENED_ON)
    year = timezone.localtime(case.referral.received_at).year
    assert case.referral.number == f"S-{year}-00001"
    assert case.number == "D-2026-00001"
    assert issue_an_invoice().number == "2026-000001"


# --- The migration of the counters ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_counters_migration_keeps_the_last_numbers_given_and_reverses():
    this_year = timezone.localdate().year
    aube, cher = OperatorFactory(), OperatorFactory(name="Centre de gestion du Cher")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        casework_sequences = old.get_model("casework", "NumberSequence").objects
        invoice_counters = old.get_model("billing", "InvoiceCounter").objects
        casework_sequences.create(prefix="S", year=this_year, last=41)
        casework_sequences.create(prefix="D", year=2026, last=17)
        invoice_counters.create(operator_id=aube.pk, year=2026, last=122)
        invoice_counters.create(operator_id=cher.pk, year=2026, last=7)
        migrate(latest)

        # Every counter goes on from the last number given, each in its own sequence.
        case = open_case_for(SocialWorkerFactory(), opened_on=OPENED_ON)
        assert case.referral.number == f"S-{this_year}-00042"
        assert case.number == "D-2026-00018"
        invoice = issue_an_invoice()
        assert invoice.operator == aube and invoice.number == "2026-000123"
        with transaction.atomic():
            assert services.invoice_number(operator_id=cher.pk, year=2026) == "2026-000008"

        # Backwards, the old tables hold the counters again, numbers given since included.
        old = migrate(BEFORE)
        casework_sequences = old.get_model("casework", "NumberSequence").objects
        invoice_counters = old.get_model("billing", "InvoiceCounter").objects
        assert set(casework_sequences.values_list("prefix", "year", "last")) == {
            ("S", this_year, 42),
            ("D", 2026, 18),
        }
        assert set(invoice_counters.values_list("operator_id", "year", "last")) == {
            (aube.pk, 2026, 123),
            (cher.pk, 2026, 8),
        }
    finally:
        migrate(latest)
    with transaction.atomic():
        assert services.invoice_number(operator_id=aube.pk, year=2026) == "2026-000124"
