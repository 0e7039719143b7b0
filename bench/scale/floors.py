"""The floors of the national-size bench: hand-written SQL giving the same figures as the
measured code, so that each ratio says how far the product is from the least a database
must do. Each floor is checked equal to what the product computed (`same_*`).

The SQL is built from fixed fragments only (table and column names of our models, the
scope's condition chosen here); every value goes as a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from polesocial.billing.enums import DEFAULT_BILLABLE_KINDS

PARIS = ZoneInfo(settings.TIME_ZONE)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def _moment(day: dt.date):
    return connection.ops.adapt_datetimefield_value(dt.datetime.combine(day, dt.time(), PARIS))


# The annual report --------------------------------------------------------------------


def report_figures(year: int, employer_id: int | None) -> dict:
    """The report's counts in one statement: cases, employees followed, their profile
    (status, category, family situation of their latest case), interviews by place,
    domains, orientations by result, referrals by source, minutes by kind, headcount; and
    its aid amounts (requested, granted, paid in the year, in cents) by funder, scheme and
    employer, before any dominance control (sections "aid.<measure>.<breakdown>")."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    s, e = _date(start), _date(end)
    scope_case = "" if employer_id is None else "AND c.snapshot_employer_id = %s"
    scope_case_params = [] if employer_id is None else [employer_id]
    scope_direct = "" if employer_id is None else "AND x.employer_id = %s"
    scope_direct_params = [] if employer_id is None else [employer_id]
    if employer_id is None:
        headcount_employers = (
            "x.employer_id IN (SELECT v.employer_id FROM organisations_convention v "
            "WHERE v.starts_on <= %s AND (v.status = 'active' "
            "OR (v.status = 'terminated' AND v.terminated_on >= %s)))"
        )
        headcount_params = [e, s]
    else:
        headcount_employers, headcount_params = "x.employer_id = %s", [employer_id]
    sql = f"""
        WITH sc AS (
            SELECT c.id, c.employee_id, c.opened_on, c.closed_on, c.snapshot_status,
                   c.snapshot_category, c.snapshot_family_situation, c.snapshot_employer_id
            FROM casework_case c WHERE 1 = 1 {scope_case}
        ),
        aid AS (
            SELECT 'requested' AS measure, s.funder, r.scheme_id, sc.snapshot_employer_id
                   AS employer_id, CAST(ROUND(r.amount_requested * 100) AS BIGINT) AS cents
            FROM aid_aidrequest r JOIN sc ON sc.id = r.case_id
            JOIN aid_aidscheme s ON s.id = r.scheme_id
            WHERE r.status <> 'draft' AND r.submitted_on BETWEEN %s AND %s
            UNION ALL
            SELECT 'granted', s.funder, r.scheme_id, sc.snapshot_employer_id,
                   CAST(ROUND(d.amount * 100) AS BIGINT)
            FROM aid_aiddecision d JOIN aid_aidrequest r ON r.id = d.request_id
            JOIN sc ON sc.id = r.case_id JOIN aid_aidscheme s ON s.id = r.scheme_id
            WHERE d.outcome IN ('granted', 'partly_granted') AND d.decided_on BETWEEN %s AND %s
            UNION ALL
            SELECT 'paid', s.funder, r.scheme_id, sc.snapshot_employer_id,
                   CAST(ROUND(p.amount * 100) AS BIGINT)
            FROM aid_aidpayment p JOIN aid_aidrequest r ON r.id = p.request_id
            JOIN sc ON sc.id = r.case_id JOIN aid_aidscheme s ON s.id = r.scheme_id
            WHERE p.paid_on BETWEEN %s AND %s
        ),
        followed AS (
            SELECT * FROM sc WHERE opened_on <= %s AND (closed_on IS NULL OR closed_on >= %s)
        ),
        latest AS (
            SELECT snapshot_status, snapshot_category, snapshot_family_situation,
                   ROW_NUMBER() OVER (PARTITION BY employee_id ORDER BY opened_on DESC, id DESC)
                   AS rank
            FROM followed
        )
        SELECT 'cases', 'opened', COUNT(*) FROM sc WHERE opened_on BETWEEN %s AND %s
        UNION ALL SELECT 'cases', 'closed', COUNT(*) FROM sc WHERE closed_on BETWEEN %s AND %s
        UNION ALL SELECT 'cases', 'open_at_year_end', COUNT(*) FROM sc
            WHERE opened_on <= %s AND (closed_on IS NULL OR closed_on > %s)
        UNION ALL SELECT 'followed', '', COUNT(DISTINCT employee_id) FROM followed
        UNION ALL SELECT 'status', snapshot_status, COUNT(*) FROM latest WHERE rank = 1
            GROUP BY snapshot_status
        UNION ALL SELECT 'category', snapshot_category, COUNT(*) FROM latest WHERE rank = 1
            GROUP BY snapshot_category
        UNION ALL SELECT 'family_situation', snapshot_family_situation, COUNT(*) FROM latest
            WHERE rank = 1 GROUP BY snapshot_family_situation
        UNION ALL SELECT 'interviews', i.place, COUNT(*) FROM casework_interview i
            JOIN sc ON sc.id = i.case_id WHERE i.occurred_on BETWEEN %s AND %s GROUP BY i.place
        UNION ALL SELECT 'domains', d.domain, COUNT(*) FROM casework_casedomain d
            JOIN followed f ON f.id = d.case_id GROUP BY d.domain
        UNION ALL SELECT 'orientations', o.result, COUNT(*) FROM casework_orientation o
            JOIN sc ON sc.id = o.case_id WHERE o.oriented_on BETWEEN %s AND %s GROUP BY o.result
        UNION ALL SELECT 'referrals', x.source, COUNT(*) FROM casework_referral x
            WHERE x.received_at >= %s AND x.received_at < %s {scope_direct} GROUP BY x.source
        UNION ALL SELECT 'minutes', x.kind, SUM(x.minutes) FROM billing_timeentry x
            WHERE x.date BETWEEN %s AND %s {scope_direct} GROUP BY x.kind
        UNION ALL SELECT 'headcount', '', SUM(x.total) FROM organisations_headcount x
            WHERE x.year = %s AND {headcount_employers}
        UNION ALL SELECT 'aid.' || measure || '.by_funder', funder,
            CAST(SUM(cents) AS BIGINT) FROM aid GROUP BY measure, funder
        UNION ALL SELECT 'aid.' || measure || '.by_scheme', CAST(scheme_id AS TEXT),
            CAST(SUM(cents) AS BIGINT) FROM aid GROUP BY measure, scheme_id
        UNION ALL SELECT 'aid.' || measure || '.by_employer', CAST(employer_id AS TEXT),
            CAST(SUM(cents) AS BIGINT) FROM aid GROUP BY measure, employer_id
    """  # noqa: S608 - fixed fragments, values as parameters
    params = [
        *scope_case_params,
        s, e, s, e, s, e,
        e, s, s, e, s, e, e, e, s, e, s, e,
        _moment(start), _moment(dt.date(year + 1, 1, 1)), *scope_direct_params,
        s, e, *scope_direct_params,
        year, *headcount_params,
    ]  # fmt: skip
    figures: dict = defaultdict(dict)
    for section, code, value in _rows(sql, params):
        figures[section][code] = value
    # As the report (queries.referrals): an employer's figures leave out his employees' own
    # requests while they are fewer than the disclosure threshold.
    own = figures["referrals"].get("employee", 0)
    if employer_id is not None and own < settings.REPORT_DISCLOSURE_THRESHOLD:
        figures["referrals"].pop("employee", None)
    return figures


def product_aid_amounts(year: int, scope) -> dict[str, dict[str, int]]:
    """The report's aid amounts as the product computes them before the dominance control
    (reports/dominance.py: its rows of the year and scope, summed per cell), in cents,
    under the floor's section names. The control itself (linear programs) stays measured."""
    from polesocial.reports import dominance

    amounts = {}
    for measure, rows in dominance.aid_rows(year, scope).items():
        for breakdown, table in dominance.aid_tables(rows).items():
            amounts[f"aid.{measure}.{breakdown}"] = {
                key: int(amount * 100) for key, amount in dominance.cell_sums(table).items()
            }
    return amounts


def same_report_figures(report: dict, floor: dict, aid: dict) -> list[str]:
    """Where the product's report (its figures, and `aid`: product_aid_amounts) and the
    floor disagree (empty when they agree)."""
    differences = []

    def check(label: str, product, expected) -> None:
        if product != expected:
            differences.append(f"{label} : produit {product!r}, plancher {expected!r}")

    nonzero = lambda d: {k: v for k, v in d.items() if v}  # noqa: E731
    for key in ("opened", "closed", "open_at_year_end"):
        check(f"cases.{key}", report["cases"][key], floor["cases"].get(key, 0))
    check("employees_followed", report["employees_followed"], floor["followed"][""])
    for part in ("status", "category", "family_situation"):
        check(f"profile.{part}", nonzero(report["profile"][part]), nonzero(floor.get(part, {})))
    check("interviews", nonzero(report["interviews"]["by_place"]), floor.get("interviews", {}))
    check("domains", nonzero(report["domains"]), floor.get("domains", {}))
    check(
        "orientations", nonzero(report["orientations"]["by_result"]), floor.get("orientations", {})
    )
    check("referrals", nonzero(report["referrals"]["by_source"]), floor.get("referrals", {}))
    check("headcount", report["headcount"], floor["headcount"][""])
    # Hours: the report gives hours to the hundredth, the floor exact minutes.
    for kind, minutes in floor.get("minutes", {}).items():
        hours = report["hours"]["by_kind"].get(kind, 0)
        if abs(hours - minutes / 60) > 0.01 * max(1, len(report["hours"]["by_employer"])):
            differences.append(f"hours.{kind} : produit {hours}, plancher {minutes / 60:.2f}")
    for section, cells in aid.items():
        floor_cells = {str(key): cents for key, cents in floor.get(section, {}).items()}
        check(section, nonzero(cells), nonzero(floor_cells))
    return differences


# The invoice run ------------------------------------------------------------------------


def unbilled_minutes(until: dt.date) -> dict[int, int]:
    """Billable minutes on no issued invoice, dated up to `until`, per employer: one
    aggregate (what a run must at least read). A run replaces its quarter's drafts, so
    what they hold counts as unbilled for it."""
    kinds = [str(kind) for kind in DEFAULT_BILLABLE_KINDS]
    marks = ", ".join(["%s"] * len(kinds))
    sql = f"""
        SELECT t.employer_id, SUM(t.minutes) FROM billing_timeentry t
        WHERE t.employer_id IS NOT NULL AND t.date <= %s AND t.kind IN ({marks})
          AND NOT EXISTS (
            SELECT 1 FROM billing_invoiceline_entries le
            JOIN billing_invoiceline l ON l.id = le.invoiceline_id
            JOIN billing_invoice i ON i.id = l.invoice_id
            WHERE le.timeentry_id = t.id AND i.status IN ('issued', 'paid'))
        GROUP BY t.employer_id
    """  # noqa: S608 - fixed fragments, values as parameters
    return dict(_rows(sql, [_date(until), *kinds]))


def drafted_minutes(drafts) -> dict[int, int]:
    """The minutes the run's drafts bill, per employer (work lines only)."""
    totals: dict[int, int] = defaultdict(int)
    for invoice in drafts:
        for line in invoice.lines.all():
            totals[invoice.employer_id] += line.minutes
    return {pk: minutes for pk, minutes in totals.items() if minutes}


# Retention and subject access --------------------------------------------------------------


def inactive_employees(cutoff: dt.date) -> int:
    """Employees whose latest contact (referral, consent, case opening or closing,
    interview, orientation, each step of an aid request) is before `cutoff`: one
    statement."""
    if connection.vendor == "sqlite":
        received_on = "DATE(received_at, 'localtime')"
        created_on = "DATE(r.created_at, 'localtime')"
    else:
        received_on = f"CAST(received_at AT TIME ZONE '{settings.TIME_ZONE}' AS DATE)"
        created_on = f"CAST(r.created_at AT TIME ZONE '{settings.TIME_ZONE}' AS DATE)"
    sql = f"""
        SELECT COUNT(*) FROM (
            SELECT employee_id, MAX(day) AS last FROM (
                SELECT employee_id, {received_on} AS day FROM casework_referral
                    WHERE employee_id IS NOT NULL
                UNION ALL SELECT employee_id, given_on FROM casework_consent
                UNION ALL SELECT employee_id, opened_on FROM casework_case
                UNION ALL SELECT employee_id, closed_on FROM casework_case
                    WHERE closed_on IS NOT NULL
                UNION ALL SELECT c.employee_id, i.occurred_on FROM casework_interview i
                    JOIN casework_case c ON c.id = i.case_id
                UNION ALL SELECT c.employee_id, o.oriented_on FROM casework_orientation o
                    JOIN casework_case c ON c.id = o.case_id
                UNION ALL SELECT c.employee_id, {created_on} FROM aid_aidrequest r
                    JOIN casework_case c ON c.id = r.case_id
                UNION ALL SELECT c.employee_id, d.decided_on FROM aid_aiddecision d
                    JOIN aid_aidrequest r ON r.id = d.request_id
                    JOIN casework_case c ON c.id = r.case_id
                UNION ALL SELECT c.employee_id, p.paid_on FROM aid_aidpayment p
                    JOIN aid_aidrequest r ON r.id = p.request_id
                    JOIN casework_case c ON c.id = r.case_id
            ) contacts GROUP BY employee_id
        ) latest WHERE last < %s
    """  # noqa: S608 - fixed fragments, values as parameters
    return _rows(sql, [_date(cutoff)])[0][0]


def employee_rows(employee_id: int) -> int:
    """Fetch every row that names one employee (his record, referrals, consents, cases,
    interviews, orientations), whole: what an export must at least read."""
    statements = (
        "SELECT * FROM casework_employee WHERE id = %s",
        "SELECT * FROM casework_referral WHERE employee_id = %s",
        "SELECT * FROM casework_consent WHERE employee_id = %s",
        "SELECT * FROM casework_case WHERE employee_id = %s",
        "SELECT i.* FROM casework_interview i JOIN casework_case c ON c.id = i.case_id "
        "WHERE c.employee_id = %s",
        "SELECT o.* FROM casework_orientation o JOIN casework_case c ON c.id = o.case_id "
        "WHERE c.employee_id = %s",
    )
    return sum(len(_rows(sql, [employee_id])) for sql in statements)
