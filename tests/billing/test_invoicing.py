import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from polesocial.billing import services
from polesocial.billing.enums import InvoiceStatus
from polesocial.billing.models import Invoice, InvoiceLine, TimeEntry
from tests.billing.helpers import amounts, setting, time
from tests.factories import ConventionFactory, EmployerFactory

pytestmark = pytest.mark.django_db
D = dt.date


def run(year, quarter, issue=True):
    # Billed as on the year's last day (31/12) once the year has ended, whatever today is.
    drafts = services.invoice_run(actor=None, year=year, quarter=quarter, today=D(year + 1, 1, 1))
    if issue:
        return [
            services.invoice_issue(actor=None, invoice=d, issued_on=D(year, 12, 31)) for d in drafts
        ]
    return drafts


def test_a_year_at_60_an_hour_billed_quarterly_with_a_contribution():
    worker, employer = setting(contribution="500.00")
    time(worker, employer, D(2026, 1, 12), 180, "initial_review")
    time(worker, employer, D(2026, 2, 3), 600, "interview")
    time(worker, employer, D(2026, 3, 10), 150, "collective_action")

    (q1,) = run(2026, 1)
    assert amounts(q1) == [
        ("contribution", Decimal("500.00")),
        ("work", Decimal("600.00")),
        ("work", Decimal("150.00")),
    ]
    assert q1.total == Decimal("1250.00")  # 750.00 of work plus the contribution
    assert not q1.lines.filter(time_kind="initial_review").exists()

    time(worker, employer, D(2026, 5, 4), 440)
    (q2,) = run(2026, 2)
    assert amounts(q2) == [("work", Decimal("440.00"))]
    assert q2.total == Decimal("440.00")

    assert run(2026, 3) == []

    time(worker, employer, D(2026, 11, 2), 47)
    (q4,) = run(2026, 4)
    assert q4.total == Decimal("47.00")
    assert [q1.number, q2.number, q4.number] == ["2026-000001", "2026-000002", "2026-000003"]


def test_without_a_contribution_the_initial_review_is_billed():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 1, 12), 180, "initial_review")
    time(worker, employer, D(2026, 1, 13), 60, "travel")
    (q1,) = run(2026, 1, issue=False)
    assert amounts(q1) == [("work", Decimal("60.00")), ("work", Decimal("180.00"))]


def test_management_of_the_function_is_never_billed():
    worker, employer = setting(contribution=None)
    TimeEntry.objects.create(
        worker=worker, employer=None, date=D(2026, 2, 2), minutes=600, kind="management"
    )
    assert run(2026, 1) == []


def test_a_rerun_rebuilds_drafts_and_never_duplicates():
    worker, employer = setting()
    time(worker, employer, D(2026, 2, 3), 60)
    (first,) = run(2026, 1, issue=False)
    time(worker, employer, D(2026, 2, 4), 60)
    (second,) = run(2026, 1, issue=False)
    assert Invoice.objects.count() == 1
    assert not Invoice.objects.filter(pk=first.pk).exists()
    assert second.total == Decimal("620.00")

    services.invoice_issue(actor=None, invoice=second, issued_on=D(2026, 4, 2))
    assert run(2026, 1, issue=False) == []
    assert Invoice.objects.count() == 1


def test_late_time_goes_into_the_next_invoice_as_an_adjustment():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 60)
    run(2026, 1)
    time(worker, employer, D(2026, 3, 30), 30)  # recorded after Q1 was invoiced
    time(worker, employer, D(2026, 3, 31), -15)  # and a correction
    time(worker, employer, D(2026, 4, 7), 120)
    (q2,) = run(2026, 2, issue=False)
    lines = list(q2.lines.order_by("position"))
    assert [(line.kind, line.minutes, line.amount) for line in lines] == [
        ("work", 120, Decimal("120.00")),
        ("adjustment", 15, Decimal("15.00")),
    ]
    assert "Régularisation" in lines[1].label
    assert q2.total == Decimal("135.00")


def test_issued_invoices_lock_their_entries_and_refuse_changes():
    worker, employer = setting(contribution=None)
    entry = time(worker, employer, D(2026, 2, 3), 60)
    (invoice,) = run(2026, 1)

    entry.refresh_from_db()
    assert entry.is_locked
    entry.minutes = 30
    with pytest.raises(ValidationError, match="correction"):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        TimeEntry.objects.filter(pk=entry.pk).delete()

    invoice.total = Decimal("1.00")
    with pytest.raises(ValidationError, match="avoir"):
        invoice.save()
    with pytest.raises(ValidationError):
        invoice.delete()
    with pytest.raises(ValidationError):
        Invoice.objects.all().delete()
    line = invoice.lines.get()
    line.amount = Decimal("0")
    with pytest.raises(ValidationError):
        line.save()
    with pytest.raises(ValidationError):
        InvoiceLine.objects.all().delete()


def test_a_correction_entry_corrects_locked_time_in_the_next_invoice():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 120)
    run(2026, 1)
    time(worker, employer, D(2026, 2, 3), -60)
    (q2,) = run(2026, 2, issue=False)
    assert [(line.kind, line.amount) for line in q2.lines.all()] == [
        ("adjustment", Decimal("-60.00"))
    ]


def test_a_credit_note_cancels_an_invoice_in_the_same_sequence():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 60)
    (invoice,) = run(2026, 1)
    note = services.invoice_cancel(actor=None, invoice=invoice, issued_on=D(2026, 12, 31))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert note.kind == "credit_note" and note.cancels == invoice
    assert (invoice.number, note.number) == ("2026-000001", "2026-000002")
    assert note.total == Decimal("-60.00")
    assert [line.amount for line in note.lines.all()] == [Decimal("-60.00")]
    with pytest.raises(ValidationError):
        services.invoice_cancel(actor=None, invoice=invoice)
    with pytest.raises(ValidationError):
        services.invoice_cancel(actor=None, invoice=note)

    # The cancelled time can be billed again, as an adjustment of the next run.
    (again,) = run(2026, 2, issue=False)
    assert [(line.kind, line.amount) for line in again.lines.all()] == [
        ("adjustment", Decimal("60.00"))
    ]


def test_payment_status():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 60)
    (invoice,) = run(2026, 1)
    paid = services.invoice_set_paid(
        actor=None, invoice=invoice, paid_on=D(2026, 12, 31), today=D(2027, 1, 1)
    )
    assert (paid.status, paid.paid_on) == ("paid", D(2026, 12, 31))
    with pytest.raises(ValidationError):
        services.invoice_set_paid(actor=None, invoice=invoice, paid_on=D(2026, 1, 1))
    assert services.invoice_set_paid(actor=None, invoice=invoice, paid_on=None).status == "issued"
    draft_worker, draft_employer = setting(contribution=None)
    time(draft_worker, draft_employer, D(2026, 5, 3), 60)
    (draft,) = run(2026, 2, issue=False)
    with pytest.raises(ValidationError):
        services.invoice_set_paid(actor=None, invoice=draft, paid_on=D(2026, 12, 31))


def test_sessions_and_fte_share_conventions():
    worker, small = setting(
        contribution=None, billing_mode="sessions", session_rate="180.00", hourly_rate=None
    )
    time(worker, small, D(2026, 2, 3), 240)  # two sessions
    time(worker, small, D(2026, 2, 4), 60)  # one
    (invoice,) = run(2026, 1, issue=False)
    (line,) = invoice.lines.all()
    assert (line.quantity, line.amount) == (Decimal("3"), Decimal("540.00"))

    worker, big = setting(
        contribution=None, billing_mode="fte_share", fte_yearly_amount="10000.00", hourly_rate=None
    )
    time(worker, big, D(2026, 2, 3), 600)
    drafts = {i.employer: i for i in run(2026, 1, issue=False)}
    assert amounts(drafts[big]) == [("fte_share", Decimal("2500.00")), ("work", Decimal("0.00"))]
    services.invoice_issue(actor=None, invoice=drafts[big])
    # The period's share is billed once: a re-run after issue has nothing to bill.
    assert big not in {i.employer for i in run(2026, 1, issue=False)}


def test_monthly_conventions_get_three_invoices_and_one_contribution():
    worker, employer = setting(billing_period="monthly", contribution="120.00")
    for month in (1, 2, 3):
        time(worker, employer, D(2026, month, 5), 60)
    drafts = run(2026, 1, issue=False)
    assert [d.period_label for d in sorted(drafts, key=lambda d: d.period_start)] == [
        "janvier 2026",
        "février 2026",
        "mars 2026",
    ]
    assert InvoiceLine.objects.filter(kind="contribution").count() == 1


def test_no_convention_no_invoice():
    worker, employer = setting(contribution=None)
    other = EmployerFactory(team=worker.team)
    ConventionFactory(employer=other)  # a draft convention
    time(worker, other, D(2026, 2, 3), 60)
    assert run(2026, 1) == []
