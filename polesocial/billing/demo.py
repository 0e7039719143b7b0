"""Demo data: the year's time entries and a billed year (issued quarters, some paid).

The case work and collective demos bulk-create their records without the services, so the
time entries those services would record are generated here, once (idempotent: a record
that already has its entries is skipped). Then every quarter of the reference year that
has ended is run and issued, as the billing officer would have done.

The case work's two closed years of history get no time: the demo bills its own year, and
a run bills the unbilled time of earlier periods as adjustments, so that history's time
would all land on the demo year's first invoices. (Billing the history's quarters too made
the demo's PostgreSQL load more than twice as long: left for when the demo needs it.)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from polesocial.billing import rules, services
from polesocial.billing.enums import InvoiceStatus, TimeKind, TimeSource
from polesocial.billing.models import Invoice, TimeEntry
from polesocial.casework.models import Interview
from polesocial.collective.models import BodyMeeting, CollectiveAction
from polesocial.organisations.models import SocialWorker

MANAGEMENT_MINUTES_A_MONTH = 16 * 60  # training, documentation, team meetings
PAYMENT_DELAY = dt.timedelta(days=35)


def _done(source: str) -> set[int]:
    return set(TimeEntry.objects.filter(source=source).values_list("source_id", flat=True))


def _interviews(reference_date: dt.date) -> None:
    """The time of the demo year's interviews (not of the case work's history)."""
    done = _done(TimeSource.INTERVIEW)
    workers = {w.user_id: w.pk for w in SocialWorker.objects.all()}
    year = Interview.objects.filter(occurred_on__gte=reference_date - dt.timedelta(days=365))
    rows = year.exclude(pk__in=done).values_list(
        "pk", "author_id", "case__worker_id", "employer_id", "occurred_on", "duration_minutes"
    )
    TimeEntry.objects.bulk_create(
        TimeEntry(
            worker_id=workers.get(author, case_worker), employer_id=employer, date=day,
            minutes=minutes, kind=TimeKind.INTERVIEW, source=TimeSource.INTERVIEW, source_id=pk,
        )
        for pk, author, case_worker, employer, day, minutes in rows.iterator()
    )  # fmt: skip


def _collective(reference_date: dt.date) -> None:
    done = _done(TimeSource.COLLECTIVE_ACTION)
    # The sessions still to come have no time spent yet.
    held = CollectiveAction.objects.filter(starts_on__lte=reference_date)
    for action in held.exclude(pk__in=done).with_related():
        services.time_record_collective_action(actor=None, action=action)
    done = _done(TimeSource.BODY_MEETING)
    for meeting in BodyMeeting.objects.exclude(pk__in=done).select_related("worker"):
        services.time_record_body_meeting(actor=None, meeting=meeting)


def _management(reference_date: dt.date) -> None:
    """Each worker's management of the function, once a month (first working day)."""
    for worker in SocialWorker.objects.all():
        for month in range(1, reference_date.month + 1):
            day = dt.date(reference_date.year, month, 1)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            if day > reference_date:
                continue
            TimeEntry.objects.get_or_create(
                worker=worker, date=day, kind=TimeKind.MANAGEMENT, source=TimeSource.MANUAL,
                defaults={"minutes": MANAGEMENT_MINUTES_A_MONTH},
            )  # fmt: skip


def _bill(reference_date: dt.date) -> None:
    year = reference_date.year
    for quarter in (1, 2, 3, 4):
        _, end = rules.quarter_bounds(year, quarter)
        issued_on = end + dt.timedelta(days=5)
        if issued_on > reference_date:
            break
        drafts = services.invoice_run(actor=None, year=year, quarter=quarter, today=reference_date)
        for draft in drafts:
            invoice = services.invoice_issue(actor=None, invoice=draft, issued_on=issued_on)
            if issued_on + PAYMENT_DELAY <= reference_date:
                services.invoice_set_paid(
                    actor=None,
                    invoice=invoice,
                    paid_on=issued_on + PAYMENT_DELAY,
                    today=reference_date,
                )
    Invoice.objects.filter(status=InvoiceStatus.DRAFT).delete()


@transaction.atomic
def load(reference_date: dt.date) -> None:
    _interviews(reference_date)
    _collective(reference_date)
    _management(reference_date)
    _bill(reference_date)
