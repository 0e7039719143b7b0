"""Social observation: year-over-year trends by domain, and domain × category and
domain × family situation tables (schema `polesocial.social_observation/1`), with the
same disclosure control as the report (two-dimensional tables: disclosure.protect_2d)."""

from __future__ import annotations

from django.db.models import Count

from polesocial.casework.enums import Domain, FamilySituation, GradeCategory
from polesocial.reports import disclosure, queries
from polesocial.reports.queries import Scope

SCHEMA = "polesocial.social_observation/1"
TREND_YEARS = 5
CROSSINGS = (
    ("domain_by_category", "snapshot_category", GradeCategory.values),
    ("domain_by_family_situation", "snapshot_family_situation", FamilySituation.values),
)


def _cross(year: int, scope: Scope, field: str, codes) -> dict:
    """Cases followed in the year per (domain, code of the case's snapshot)."""
    from polesocial.casework.models import CaseDomain

    rows = CaseDomain.objects.filter(
        queries._case_filter(scope, "case__") & queries._open_in_year(year, "case__")
    )
    found = {
        (domain, code): n
        for domain, code, n in rows.order_by()
        .values_list("domain", f"case__{field}")
        .annotate(n=Count("pk"))
    }
    cells = {d: {c: found.get((d, c), 0) for c in codes} for d in Domain.values}
    return {
        "cells": cells,
        "rows": {d: sum(cells[d].values()) for d in Domain.values},
        "columns": {c: sum(cells[d][c] for d in Domain.values) for c in codes},
        "total": sum(found.values()),
    }


def build_observation(year: int, scope: Scope, *, controlled: bool) -> dict:
    limit = disclosure.threshold()
    trend = {str(y): queries.domains(y, scope) for y in range(year - TREND_YEARS + 1, year + 1)}
    result = {
        "schema": SCHEMA,
        "year": year,
        "scope": scope.as_json(),
        "disclosure_control": {"applied": controlled, "threshold": limit},
        "domains_by_year": trend,
        **{key: _cross(year, scope, field, codes) for key, field, codes in CROSSINGS},
        "suppressed": [],
    }
    if controlled:
        _control(result, limit)
    return result


def _control(result: dict, limit: int) -> None:
    suppressed = result["suppressed"]
    for y, counts in result["domains_by_year"].items():
        for code, value in counts.items():
            if disclosure.is_sensitive(value, limit):
                counts[code] = None
                suppressed.append(f"domains_by_year.{y}.{code}")
    for key, _, _ in CROSSINGS:
        table = result[key]
        # Rows of domains nobody had carry nothing to protect: leave them out of the solve.
        rows = {d: v for d, v in table["rows"].items() if v}
        cells = {(d, c): table["cells"][d][c] for d in rows for c in table["columns"]}
        hidden = disclosure.protect_2d(cells, rows, dict(table["columns"]), table["total"], limit)
        for entry in sorted(hidden, key=str):
            if entry[0] == "cell":
                table["cells"][entry[1]][entry[2]] = None
                suppressed.append(f"{key}.cells.{entry[1]}.{entry[2]}")
            elif entry[0] == "row":
                table["rows"][entry[1]] = None
                suppressed.append(f"{key}.rows.{entry[1]}")
            elif entry[0] == "col":
                table["columns"][entry[1]] = None
                suppressed.append(f"{key}.columns.{entry[1]}")
            else:
                table["total"] = None
                suppressed.append(f"{key}.total")
