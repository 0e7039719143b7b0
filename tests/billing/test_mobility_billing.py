"""The mobility adviser's time is billed only under a convention that names the mobility
service (issue 18: "the convention covers social work unless it says so"), on a line of its
own, each minute once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from polesocial.billing import outputs, services
from polesocial.billing.models import Invoice, InvoiceLine
from polesocial.casework.models import Consent, Handoff
from polesocial.casework.services.mobility import handoff_create, mobility_follow_up_record
from polesocial.organisations import services as organisations
from polesocial.organisations.models import Convention
from polesocial.users.enums import Role
from tests.billing.facturx_checks import assert_valid
from tests.billing.helpers import setting, time
from tests.factories import UserFactory, open_case_for

pytestmark = pytest.mark.django_db
D = dt.date
MOBILITY = ("mobility", "Accompagnement mobilité")


def adviser_at(worker, employer):
    """A case of `employer` handed to the adviser on 1 July 2026, with the employee's
    consent for that scope; returns the recorder of the adviser's follow-ups."""
    case = open_case_for(worker, employer=employer)
    Consent.objects.filter(pk=case.consent_id).update(scope=["mobility_adviser"])
    adviser = UserFactory(role=Role.MOBILITY_ADVISER)
    handoff = handoff_create(
        actor=worker.user, case=case, adviser=adviser, kind="handover", note="Reclassement."
    )
    Handoff.objects.filter(pk=handoff.pk).update(
        created_at=dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC)
    )
    handoff.refresh_from_db()

    def follow_up(day: dt.date, minutes: int):
        return mobility_follow_up_record(
            actor=adviser, handoff=handoff, kind="redeployment", occurred_on=day, minutes=minutes
        )

    return follow_up


def run(year: int, quarter: int) -> list[Invoice]:
    return services.invoice_run(actor=None, year=year, quarter=quarter, today=D(2027, 1, 1))


def issue(draft: Invoice) -> Invoice:
    return services.invoice_issue(actor=None, invoice=draft, issued_on=D(2027, 1, 2))


def lines(invoice: Invoice) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    return [
        (line.time_kind, line.label, line.quantity, line.unit_price, line.amount)
        for line in invoice.lines.order_by("position")
    ]


def test_a_convention_naming_the_mobility_service_bills_the_adviser_s_time_on_its_own_line():
    worker, employer = setting(contribution=None, mobility_hourly_rate="55.00")
    employer.operator.siret = "20001000000014"  # the seller's SIRET, which EN 16931 requires
    employer.operator.save()
    follow_up = adviser_at(worker, employer)
    time(worker, employer, D(2026, 8, 3), 90)
    follow_up(D(2026, 7, 8), 45)
    follow_up(D(2026, 9, 29), 50)

    (draft,) = run(2026, 3)

    # 95 minutes at 55 €/h = 87.0833… → 87.08 €, beside the worker's 90 minutes at 60 €/h.
    assert lines(draft) == [
        ("interview", "Entretiens", Decimal("1.50"), Decimal("60.00"), Decimal("90.00")),
        (*MOBILITY, Decimal("1.58"), Decimal("55.00"), Decimal("87.08")),
    ]
    assert draft.total == Decimal("177.08")
    mobility = draft.lines.get(time_kind="mobility")
    assert mobility.minutes == 95 and mobility.mobility_follow_ups.count() == 2
    # The Factur-X line carries it, and the invoice stays EN 16931-valid.
    invoice = issue(draft)
    xml = outputs.facturx_xml(invoice)
    assert_valid(xml)
    names = etree.fromstring(xml).xpath("//*[local-name()='SpecifiedTradeProduct']/*/text()")
    assert "Accompagnement mobilité" in names


def test_a_convention_that_does_not_name_it_bills_none_of_the_adviser_s_time():
    worker, employer = setting(contribution=None)
    follow_up = adviser_at(worker, employer)
    time(worker, employer, D(2026, 8, 3), 90)
    follow_up(D(2026, 8, 4), 120)
    (draft,) = run(2026, 3)
    assert lines(draft) == [
        ("interview", "Entretiens", Decimal("1.50"), Decimal("60.00"), Decimal("90.00")),
    ]
    # An employer where only the adviser worked gets no invoice at all.
    other_worker, bare = setting(contribution=None)
    adviser_at(other_worker, bare)(D(2026, 8, 4), 120)
    assert not Invoice.objects.filter(employer=bare).exists()
    assert run(2026, 3) and not Invoice.objects.filter(employer=bare).exists()


def test_each_minute_is_billed_once_across_runs_and_regularisations():
    worker, employer = setting(contribution=None, mobility_hourly_rate="55.00")
    follow_up = adviser_at(worker, employer)
    follow_up(D(2026, 7, 8), 60)
    run(2026, 3)
    (draft,) = run(2026, 3)  # a second run rebuilds the draft, it does not add to it
    assert lines(draft) == [
        (*MOBILITY, Decimal("1.00"), Decimal("55.00"), Decimal("55.00")),
    ]
    issue(draft)
    follow_up(D(2026, 9, 30), 30)  # recorded after the quarter was invoiced
    follow_up(D(2026, 10, 5), 15)

    (next_quarter,) = run(2026, 4)

    assert lines(next_quarter) == [
        (*MOBILITY, Decimal("0.25"), Decimal("55.00"), Decimal("13.75")),
        (
            "mobility",
            "Régularisation — Accompagnement mobilité (temps d'une période déjà facturée)",
            Decimal("0.50"),
            Decimal("55.00"),
            Decimal("27.50"),
        ),
    ]
    billed = InvoiceLine.mobility_follow_ups.through.objects.values_list(
        "mobilityfollowup_id", flat=True
    )
    assert len(billed) == len(set(billed)) == 3


def test_an_amendment_names_the_mobility_service_from_its_date_only():
    worker, employer = setting(contribution=None)
    follow_up = adviser_at(worker, employer)
    follow_up(D(2026, 7, 20), 60)  # before the amendment: not covered, never billed
    follow_up(D(2026, 8, 20), 40)
    organisations.convention_amend(
        actor=None,
        convention=Convention.objects.get(employer=employer),
        signed_on=D(2026, 7, 25),
        effective_from=D(2026, 8, 1),
        reason="La convention couvre désormais l'accompagnement mobilité.",
        mobility_hourly_rate=Decimal("58.50"),
    )
    (draft,) = run(2026, 3)
    # 40 minutes at 58.50 €/h = 39.00 €.
    assert lines(draft) == [
        (*MOBILITY, Decimal("0.67"), Decimal("58.50"), Decimal("39.00")),
    ]
    assert not run(2026, 4)  # the July minutes stay unbilled


def test_the_adviser_s_time_goes_to_the_employer_the_worker_recorded():
    worker, employer = setting(contribution=None, mobility_hourly_rate="55.00")
    recorded = adviser_at(worker, employer)(D(2026, 7, 8), 60)
    assert recorded.employer == employer


def test_an_amendment_naming_only_the_mobility_service_leaves_the_social_work_lines_whole():
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 7, 10), 60)
    time(worker, employer, D(2026, 8, 10), 30)
    organisations.convention_amend(
        actor=None,
        convention=Convention.objects.get(employer=employer),
        signed_on=D(2026, 7, 25),
        effective_from=D(2026, 8, 1),
        reason="La convention couvre désormais l'accompagnement mobilité.",
        mobility_hourly_rate=Decimal("58.50"),
    )
    (draft,) = run(2026, 3)
    # One price for the worker's time: one line, as before the amendment.
    assert lines(draft) == [
        ("interview", "Entretiens", Decimal("1.50"), Decimal("60.00"), Decimal("90.00")),
    ]


def test_an_invoice_cancelled_by_a_credit_note_releases_the_adviser_s_time():
    worker, employer = setting(contribution=None, mobility_hourly_rate="55.00")
    adviser_at(worker, employer)(D(2026, 7, 8), 60)
    (draft,) = run(2026, 3)
    invoice = issue(draft)
    note = services.invoice_cancel(actor=None, invoice=invoice, issued_on=D(2027, 1, 3))
    # The credit note negates the line; the time is billed again, once, by the next run.
    assert lines(note) == [(*MOBILITY, Decimal("-1.00"), Decimal("55.00"), Decimal("-55.00"))]
    (again,) = run(2026, 3)
    assert lines(again) == [(*MOBILITY, Decimal("1.00"), Decimal("55.00"), Decimal("55.00"))]


def test_monthly_billing_puts_each_month_s_time_on_that_month_s_invoice():
    worker, employer = setting(
        contribution=None, mobility_hourly_rate="55.00", billing_period="monthly"
    )
    follow_up = adviser_at(worker, employer)
    july, september = follow_up(D(2026, 7, 8), 60), follow_up(D(2026, 9, 8), 30)
    drafts = sorted(run(2026, 3), key=lambda invoice: invoice.period_start)
    assert [(d.period_start.month, d.total) for d in drafts] == [
        (7, Decimal("55.00")),
        (9, Decimal("27.50")),
    ]
    assert [list(d.lines.get().mobility_follow_ups.all()) for d in drafts] == [[july], [september]]


def line_reads(queries: list[str]) -> int:
    """The statements that read rows of the invoice lines' table."""
    return sum(sql.startswith("SELECT") and 'FROM "billing_invoiceline" ' in sql for sql in queries)


def test_the_run_links_the_adviser_s_time_to_the_lines_it_wrote_without_reading_them_back():
    """The run writes the follow-ups' links from the ids of the lines it has just inserted:
    it never reads the invoice lines back to find them by employer, period and label, and
    its number of queries stays the same for 4 employers or 34 of a chunk."""
    billed: dict[int, list[int]] = {}  # employer → its follow-ups, of every run's employers

    def run_with(employers: int) -> list[str]:
        Invoice.objects.drafts().delete()
        for _ in range(employers):
            worker, employer = setting(contribution=None, mobility_hourly_rate="55.00")
            follow_up = adviser_at(worker, employer)
            billed[employer.pk] = [
                follow_up(D(2026, 7, 8), 45).pk,
                follow_up(D(2026, 9, 29), 50).pk,
            ]
        with CaptureQueriesContext(connection) as queries:
            drafts = run(2026, 3)
        # Each employer's follow-ups on its draft's mobility line, and on no other line.
        linked = {
            draft.employer_id: sorted(
                draft.lines.get(time_kind="mobility").mobility_follow_ups.values_list(
                    "pk", flat=True
                )
            )
            for draft in drafts
        }
        assert linked == billed
        return [query["sql"] for query in queries]

    run_with(1)  # the first run takes the quarter's lock rows and reads what others cache
    few, many = run_with(3), run_with(30)
    assert line_reads(few) == line_reads(many) == 0
    assert len(few) == len(many)


def test_a_re_run_replaces_drafts_holding_the_adviser_s_time_without_reading_their_lines():
    """A re-run deletes the drafts it replaces in four statements, their follow-ups' links
    with their time entries' (issue 20): the links to the adviser's time must not send it
    back to the ORM's delete, which read every draft and line first; none is left behind."""
    worker, employer = setting(contribution=None, mobility_hourly_rate="55.00")
    follow_up = adviser_at(worker, employer)
    time(worker, employer, D(2026, 8, 3), 90)
    billed = sorted([follow_up(D(2026, 7, 8), 45).pk, follow_up(D(2026, 9, 29), 50).pk])
    (draft,) = run(2026, 3)

    with CaptureQueriesContext(connection) as queries:
        (again,) = run(2026, 3)

    statements = [query["sql"] for query in queries]
    assert line_reads(statements) == 0
    assert sum(sql.startswith("DELETE") for sql in statements) == 4
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert lines(again) == [
        ("interview", "Entretiens", Decimal("1.50"), Decimal("60.00"), Decimal("90.00")),
        (*MOBILITY, Decimal("1.58"), Decimal("55.00"), Decimal("87.08")),
    ]
    link = InvoiceLine.mobility_follow_ups.through
    held = link.objects.values_list("invoiceline__invoice", "mobilityfollowup")
    assert sorted(held) == [(again.pk, pk) for pk in billed]
