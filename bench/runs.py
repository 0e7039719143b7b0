"""Measures of whole runs at each volume: the quarterly invoice run and the operator's
annual report, each against its floor, and the SQL queries of one run (bench/README.md)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection
from django.db.models import Sum

from bench.activity import INVOICE_QUARTER, REPORT_YEAR
from bench.measures import Plan, Row, duration_row, query_shape
from bench.timing import compare, french_number
from polesocial.billing import services
from polesocial.billing.models import Invoice, InvoiceLine, TimeEntry
from polesocial.billing.rules import quarter_bounds
from polesocial.organisations.models import Headcount
from polesocial.reports import access
from polesocial.reports.report import build_report
from polesocial.users.enums import Role
from tests.factories import UserFactory

RUN_LABELS = {
    "invoice_run": f"Facturation du {INVOICE_QUARTER}e trimestre {REPORT_YEAR} (invoice_run)",
    "annual_report": f"Bilan annuel {REPORT_YEAR} de l'opérateur (build_report)",
}


@contextmanager
def counting_queries():
    """Count every query run inside, by its SQL text (placeholders, not values).

    An execute wrapper rather than CaptureQueriesContext: a run at 2,000 employers makes
    tens of thousands of queries, beyond the 9,000 that Django's query log keeps.
    """
    counts: Counter[str] = Counter()

    def wrapper(execute, sql, params, many, context):
        counts[sql] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counts


def _query_summary(counts: Counter[str], employers: int) -> dict:
    """Total, the shapes run at least once per employer (N+1), and every shape's count."""
    shapes: Counter[str] = Counter()
    for sql, n in counts.items():
        shapes[query_shape(sql.replace("%s", "?"))] += n
    return {
        "count": sum(shapes.values()),
        "employers": employers,
        "per_employer_shapes": [
            {"count": n, "sql": shape} for shape, n in shapes.most_common() if n >= employers > 1
        ],
        "shapes": [{"count": n, "sql": shape} for shape, n in shapes.most_common()],
    }


# 5. Invoice run -----------------------------------------------------------------------


def invoice_run(organisation, plan: Plan) -> tuple[Row, dict]:
    """A re-run of the quarter's invoice run (it replaces the drafts of the previous run),
    against reading the quarter's time entries and adding them up per employer and kind.

    The first run (the warm-up) builds the drafts; every timed run deletes and rebuilds
    them. Returns the row and the queries of one re-run; the drafts are deleted at the end.
    """
    employers = len(organisation.employers)
    start, end = quarter_bounds(REPORT_YEAR, INVOICE_QUARTER)

    def run():
        return services.invoice_run(actor=None, year=REPORT_YEAR, quarter=INVOICE_QUARTER)

    def read_quarter():
        totals: dict[tuple[int, str], int] = defaultdict(int)
        rows = TimeEntry.objects.filter(
            employer__isnull=False, date__gte=start, date__lte=end
        ).values_list("employer_id", "kind", "minutes")
        for employer_id, kind, minutes in rows.iterator(chunk_size=2000):
            totals[(employer_id, kind)] += minutes
        return totals

    timing = compare(run, read_quarter, number=1, repeat=plan.invoice_repeat)
    with counting_queries() as counts:
        drafts = run()
    if len(drafts) != employers or not all(d.total > 0 for d in drafts):
        raise RuntimeError(
            f"La facturation a produit {len(drafts)} brouillons pour {employers} employeurs."
        )
    lines = InvoiceLine.objects.filter(invoice__in=Invoice.objects.drafts()).count()
    Invoice.objects.drafts().delete()
    row = duration_row(
        "invoice_run",
        f"{RUN_LABELS['invoice_run']} — {french_number(employers)} employeurs",
        "ms/employeur",
        "ms/employeur",
        "lecture des temps du trimestre par values_list(), totaux par employeur",
        timing,
        per=employers,
        employers=employers,
        year=REPORT_YEAR,
        quarter=INVOICE_QUARTER,
        drafts=len(drafts),
        invoice_lines=lines,
        seconds_per_run=timing.measure,
    )
    return row, _query_summary(counts, employers)


# 6. Annual report ---------------------------------------------------------------------


def annual_report(organisation, plan: Plan) -> tuple[Row, dict]:
    """`build_report` for the operator (the national adviser's scope, internal), against
    summing the year's headcounts per employer in one GROUP BY query."""
    employers = len(organisation.employers)
    adviser = UserFactory(role=Role.NATIONAL_ADVISER)
    scope, controlled = access.report_scope(adviser, "operator", 0)

    def build():
        return build_report(REPORT_YEAR, scope, controlled=controlled)

    def headcounts():
        return list(
            Headcount.objects.filter(year=REPORT_YEAR)
            .order_by()
            .values_list("employer_id")
            .annotate(total=Sum("total"))
        )

    report = build()
    if report["cases"]["opened"] <= 0 or not report["headcount"]:
        raise RuntimeError("Le bilan de l'opérateur ne compte ni dossier ni effectif.")
    timing = compare(build, headcounts, number=plan.report_builds, repeat=plan.repeat)
    with counting_queries() as counts:
        build()
    row = duration_row(
        "annual_report",
        f"{RUN_LABELS['annual_report']} — {french_number(employers)} employeurs",
        "ms/bilan",
        "ms",
        "somme des effectifs de l'année par employeur (values_list, GROUP BY)",
        timing,
        employers=employers,
        year=REPORT_YEAR,
        scope=scope.as_json(),
        controlled=controlled,
        figures=_figures(report),
    )
    summary = _query_summary(counts, employers)
    summary["queries"] = list(counts.elements())
    return row, summary


def _figures(report: dict) -> dict:
    """What the report counted: proof that the measure read the activity."""
    return {
        "headcount": report["headcount"],
        "employees_followed": report["employees_followed"],
        "cases": report["cases"],
        "interviews": report["interviews"]["total"],
        "referrals": report["referrals"]["total"],
        "orientations": report["orientations"]["total"],
        "hours_by_kind": report.get("hours", {}).get("by_kind"),
    }


MEASURES: dict[str, Callable] = {"invoice_run": invoice_run, "annual_report": annual_report}


def measure_runs(organisation, plan: Plan) -> tuple[list[Row], dict[str, dict]]:
    """Both measures at the current volume: rows, and key -> queries of one run."""
    rows, queries = [], {}
    for key, measure in MEASURES.items():
        row, queries[key] = measure(organisation, plan)
        rows.append(row)
    return rows, queries
