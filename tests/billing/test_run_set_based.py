"""The set-based invoice run bills exactly what the per-employer run billed.

Issue 20: the run asked for each employer's unbilled time with a query per employer and
period (on PostgreSQL, an anti-join rereading the whole link table each time). It now reads
the unbilled time of a batch of employers at once. The former per-employer query is kept
here as the oracle: over the demo's billed year (conventions of every billing mode and
period, a cancelled invoice releasing its time), both runs give the same drafts, lines,
amounts to the cent and time entries.
"""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polesocial.billing import services
from polesocial.billing.models import Invoice, TimeEntry
from polesocial.billing.services import runs
from tests.billing.helpers import setting, time

pytestmark = pytest.mark.django_db
draft_lines = runs.draft_lines  # the real one, while the oracle stands in for it


def former_reader():
    """The run's former read, as a stand-in for `draft_lines`: its employer's unbilled
    entries, one query per period, less those the drafts it has made in this run hold (the
    run writes a batch's drafts together; the contribution already on one of them is the
    run's to tell)."""
    held: set[int] = set()

    def former_draft_lines(employer, convention, period, *, contribution_billed=False, **_):
        contribution = convention.membership_contribution
        kinds = runs.rules.billable_kinds(
            convention.billable_kinds, has_contribution=bool(contribution)
        )
        entries = [
            entry
            for entry in TimeEntry.objects.filter(
                employer=employer,
                kind__in=kinds,
                date__gte=convention.starts_on,
                date__lte=period.end,
            )
            .unbilled()
            .order_by("date", "pk")
            if entry.pk not in held
        ]
        lines = draft_lines(
            employer, convention, period, unbilled=entries, contribution_billed=contribution_billed
        )
        if any(line.amount for line in lines):
            held.update(entry.pk for line in lines for entry in line.entries)
        return lines

    return former_draft_lines


def billed(drafts) -> list[tuple]:
    """What the drafts bill: per invoice its period and total, per line every figure and
    the time entries it holds."""
    result = []
    for invoice in sorted(drafts, key=lambda i: (i.employer_id, i.period_start)):
        lines = [
            (
                line.position, line.kind, line.time_kind, line.label, line.minutes,
                line.quantity, line.unit, line.unit_price, line.amount,
                sorted(line.entries.values_list("pk", flat=True)),
            )
            for line in invoice.lines.order_by("position")
        ]  # fmt: skip
        result.append(
            (invoice.employer_id, invoice.convention_id, invoice.period_start,
             invoice.period_end, invoice.total, lines)
        )  # fmt: skip
    return result


def run_q4(year):
    """The fourth quarter, run once it has ended (whatever today is)."""
    after = dt.date(year + 1, 1, 1)
    return services.invoice_run(actor=None, year=year, quarter=4, today=after)


def test_the_set_based_run_bills_what_the_per_employer_run_billed(monkeypatch):
    call_command("demo", stdout=StringIO())  # Q1 to Q3 of the reference year issued
    year = dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE).year
    # A cancelled Q3 invoice: its time may be billed again, as an adjustment in Q4.
    q3 = Invoice.objects.issued().filter(kind="invoice", period_end__month=9).first()
    services.invoice_cancel(actor=None, invoice=q3)
    # A monthly convention: three periods in the quarter, each taking the time left by the
    # one before (September's, never billed, goes to October as an adjustment).
    worker, monthly = setting(billing_period="monthly", contribution="120.00")
    for day in (dt.date(year, 9, 28), dt.date(year, 10, 5), dt.date(year, 11, 5)):
        time(worker, monthly, day, 75)
    time(worker, monthly, dt.date(year, 11, 6), -15)  # a correction
    monkeypatch.setattr(runs, "RUN_CHUNK", 3)  # several chunks, and their boundaries

    with monkeypatch.context() as former:
        former.setattr(runs, "draft_lines", former_reader())
        expected = billed(run_q4(year))
    measured = billed(run_q4(year))

    assert len(expected) > 3, "too few drafts: the comparison would prove little"
    assert any(line[1] == "adjustment" for draft in expected for line in draft[5])
    assert len({draft[0] for draft in expected}) < len(expected)  # monthly: several a quarter
    assert measured == expected


def test_the_run_reads_the_time_once_per_batch_whatever_the_number_of_employers():
    def run_reads(employers: int) -> int:
        for _ in range(employers):
            worker, employer = setting(contribution=None)
            time(worker, employer, dt.date(2026, 2, 3), 90)
        with CaptureQueriesContext(connection) as queries:
            drafts = services.invoice_run(actor=None, year=2026, quarter=1)
        assert len(drafts) == Invoice.objects.drafts().count() > 0
        return sum('FROM "billing_timeentry"' in q["sql"] for q in queries)

    assert run_reads(2) == run_reads(4) == 1


def test_a_run_makes_as_many_queries_for_five_employers_as_for_two():
    """Set-based from end to end: conventions read and drafts written per batch, so the
    number of queries of a run does not follow the number of employers (issue 20)."""

    def run_queries(employers: int) -> int:
        Invoice.objects.drafts().delete()
        for _ in range(employers):
            worker, employer = setting(contribution=None)
            time(worker, employer, dt.date(2026, 2, 3), 90)
        with CaptureQueriesContext(connection) as queries:
            drafts = services.invoice_run(actor=None, year=2026, quarter=1)
        assert len(drafts) == Invoice.objects.drafts().count() > 0
        return len(queries)

    run_queries(1)  # the first run of a test reads what later ones find cached
    assert run_queries(2) == run_queries(5)


def links_of(drafts) -> dict[int, list[int]]:
    """Each line of the drafts → the time entries it holds, read back from the database."""
    link = runs.InvoiceLine.entries.through
    held: dict[int, list[int]] = {}
    for line_id, entry_id in link.objects.filter(invoiceline__invoice__in=drafts).values_list(
        "invoiceline_id", "timeentry_id"
    ):
        held.setdefault(line_id, []).append(entry_id)
    return held


def test_each_line_holds_the_entries_it_bills_and_a_re_run_replaces_them_whole():
    """The run writes its link rows in one statement per chunk (issue 20): every line holds
    exactly the entries whose minutes it bills, each entry on one line, and a re-run leaves
    no link of the drafts it replaced."""
    worker, employer = setting(contribution=None)
    other_worker, other = setting(contribution=None)
    for day, minutes, kind in (
        (dt.date(2026, 1, 5), 90, "interview"),
        (dt.date(2026, 2, 3), 45, "interview"),
        (dt.date(2026, 2, 3), 60, "travel"),
        (dt.date(2026, 3, 9), -15, "interview"),  # a correction
    ):
        time(worker, employer, day, minutes, kind)
    time(other_worker, other, dt.date(2026, 3, 2), 120)

    drafts = services.invoice_run(actor=None, year=2026, quarter=1)
    held = links_of(drafts)
    lines = {line.pk: line for draft in drafts for line in draft.lines.all()}
    entries = dict(TimeEntry.objects.values_list("pk", "minutes"))
    assert set(held) == {pk for pk, line in lines.items() if line.minutes}
    for line_id, entry_ids in held.items():
        assert sum(entries[pk] for pk in entry_ids) == lines[line_id].minutes
    billed = [pk for entry_ids in held.values() for pk in entry_ids]
    assert sorted(billed) == sorted(entries)  # every entry once

    redrafts = services.invoice_run(actor=None, year=2026, quarter=1)
    link = runs.InvoiceLine.entries.through
    assert sorted(map(sorted, links_of(redrafts).values())) == sorted(map(sorted, held.values()))
    assert link.objects.count() == len(entries)  # the replaced drafts' links are gone


def test_a_re_run_replaces_its_drafts_through_the_orm_when_a_signal_listens(monkeypatch):
    """The run deletes the drafts it replaces in three statements; should anything listen
    to their deletion, the ORM's delete serves, and the re-run bills the same."""
    from django.db.models.signals import pre_delete

    worker, employer = setting(contribution=None)
    time(worker, employer, dt.date(2026, 2, 3), 90)
    first = billed(services.invoice_run(actor=None, year=2026, quarter=1))
    told = []

    def listener(sender, instance, **kwargs):
        told.append(instance.pk)

    pre_delete.connect(listener, sender=Invoice)
    try:
        again = billed(services.invoice_run(actor=None, year=2026, quarter=1))
    finally:
        pre_delete.disconnect(listener, sender=Invoice)
    assert told, "the listener was not told: the fast delete ran"
    assert again == first
    assert Invoice.objects.drafts().count() == 1
