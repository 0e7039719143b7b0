"""The national-size bench's floors give the same figures as the product (bench/scale/),
on the generator's data at a tiny size — so that a ratio always compares equal work.
No timing here: speed is measured by `make bench`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bench.scale import floors
from polesocial.aid import services
from polesocial.aid.models import AidPayment
from polesocial.billing.models import Invoice
from polesocial.billing.rules import quarter_bounds
from polesocial.billing.services import invoice_run
from polesocial.casework.models import Employee
from polesocial.casework.services.retention import active_cutoff, retention_plan
from polesocial.casework.subject_access import subject_export
from polesocial.core.scale import generate
from polesocial.reports import queries
from polesocial.reports.report import raw_figures
from polesocial.users.enums import Role
from polesocial.users.models import User
from tests.aid.helpers import DAY, aid_case, draft, full_aid_history
from tests.factories import SocialWorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    generate("tiny", seed=11)


def test_the_report_floor_counts_what_the_operator_and_an_employer_report_count(service):
    year = timezone.localdate().year - 1
    # An employer with aid paid in the year: its aid amounts are compared, not two empty sets.
    employer = (
        AidPayment.objects.filter(paid_on__year=year)
        .order_by("pk")
        .values_list("request__case__snapshot_employer", flat=True)
        .first()
    )
    for kind, pk in (("operator", None), ("employer", employer)):
        scope = queries.resolve_scope(kind, pk)
        figures = raw_figures(year, scope)
        assert figures["employees_followed"] > 0
        aid = floors.product_aid_amounts(year, scope)
        floor = floors.report_figures(year, pk)
        for measure in ("requested", "granted", "paid"):
            for breakdown in ("by_funder", "by_scheme", "by_employer"):
                assert aid[f"aid.{measure}.{breakdown}"], (kind, measure, breakdown)
                assert floor[f"aid.{measure}.{breakdown}"], (kind, measure, breakdown)
        assert floors.same_report_figures(figures, floor, aid) == []


def test_the_report_floor_sums_the_aid_amounts_the_report_controls(service):
    """Requested, granted and paid by funder, scheme and employer: the raw amounts the
    dominance rule starts from, for the operator and the file's employer."""
    worker = SocialWorkerFactory()
    request = full_aid_history(worker, aid_case(worker, headcount=None))
    same = request.case.snapshot_employer
    other = draft(
        worker, aid_case(worker, headcount=None, employer=same), amount_requested=Decimal("150.25")
    )  # fmt: skip - submitted, never decided
    services.aid_request_submit(actor=worker.user, request=other, on=DAY)
    draft(
        worker, aid_case(worker, headcount=None, employer=same), amount_requested=Decimal("99.00")
    )  # fmt: skip - a draft: in no report
    employer = same.pk
    for kind, pk in (("operator", None), ("employer", employer)):
        scope = queries.resolve_scope(kind, pk)
        aid = floors.product_aid_amounts(DAY.year, scope)
        floor = floors.report_figures(DAY.year, pk)
        assert floors.same_report_figures(raw_figures(DAY.year, scope), floor, aid) == []
    assert floor["aid.requested.by_employer"] == {str(employer): 60000 + 15025}
    assert floor["aid.paid.by_scheme"] == {str(request.scheme_id): 60000}


def test_a_wrong_figure_is_told_apart(service):
    year = timezone.localdate().year - 1
    scope = queries.resolve_scope("operator")
    figures = raw_figures(year, scope)
    aid = floors.product_aid_amounts(year, scope)
    figures["cases"]["opened"] += 1
    assert floors.same_report_figures(figures, floors.report_figures(year, None), aid)
    figures["cases"]["opened"] -= 1
    aid["aid.granted.by_funder"] = {"operator": 100}
    assert floors.same_report_figures(figures, floors.report_figures(year, None), aid)


def test_the_run_floor_is_what_the_drafts_bill(service):
    year = timezone.localdate().year - 4
    _start, end = quarter_bounds(year, 1)
    expected = floors.unbilled_minutes(end)
    drafts = invoice_run(actor=None, year=year, quarter=1)
    assert (
        expected
        and floors.drafted_minutes(Invoice.objects.filter(pk__in=[d.pk for d in drafts]))
        == expected
    )


def test_the_retention_floor_finds_the_inactive_employees_of_the_plan(service):
    today = timezone.localdate()
    plan = retention_plan(today=today)
    assert plan.inactive_employees
    assert floors.inactive_employees(active_cutoff(today)) == len(plan.inactive_employees)
    later = today + dt.timedelta(days=3 * 365)
    assert floors.inactive_employees(active_cutoff(later)) == len(
        retention_plan(today=later).inactive_employees
    )


def test_the_subject_access_floor_reads_the_rows_of_the_export(service):
    employee = Employee.objects.order_by("pk").first()
    export = subject_export(actor=User.objects.filter(role=Role.DPO).first(), employee=employee)
    tables = {"casework.Employee", "casework.Referral", "casework.Consent", "casework.Case",
              "casework.Interview", "casework.Orientation"}  # fmt: skip
    rows = sum(len(s["lignes"]) for s in export["données"] if s["table"] in tables)
    assert rows > 3 and floors.employee_rows(employee.pk) == rows
