"""The dominance rule on amounts (INSEE secret statistique), for aid amounts in reports.

ARCHITECTURE §4: no published cell where the one or two largest contributors — each
employee's files summed — make `k` % (85) or more of the amount (n = 2, k = 85); then
secondary suppression so that no suppressed amount can be recomputed within ±10 % from the
published cells and total. It comes on top of the frequency rule applied to the counts
(disclosure.py), which this module leaves alone.

A table here is one dimension with a published total: {cell: {contributor: amount}}. With
the total published, the suppressed cells add up to S = total − published cells, and each
lies in [0, S]: a suppressed cell x is protected when its upper bound S exceeds x by at
least 10 %, i.e. when the other suppressed cells add up to at least 10 % of x. Secondary
cells are taken smallest first (the least information lost); when no published cell is
left to take, the total is suppressed too.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

N = 2
K = Decimal("85")
MARGIN = Decimal("0.10")
ZERO = Decimal("0")


def dominated(contributions: Mapping[Hashable, Decimal], *, n: int = N, k: Decimal = K) -> bool:
    """True when the `n` largest contributors make `k` % or more of the cell (an empty or
    zero cell is not dominated: there is nothing to protect)."""
    total = sum(contributions.values(), ZERO)
    if total <= 0:
        return False
    largest = sorted(contributions.values(), reverse=True)[:n]
    return sum(largest, ZERO) * 100 >= k * total


@dataclass(frozen=True)
class ControlledTable:
    cells: dict[Hashable, Decimal | None]  # None: suppressed
    total: Decimal | None  # None: suppressed
    primary: frozenset
    secondary: frozenset


def _protected(amounts: Mapping[Hashable, Decimal], suppressed: set, margin: Decimal) -> bool:
    """Every suppressed cell's range [0, S] reaches beyond ±`margin` of its value."""
    for key in suppressed:
        others = sum((amounts[o] for o in suppressed if o != key), ZERO)
        if amounts[key] > 0 and others < margin * amounts[key]:
            return False
    return True


def control(
    table: Mapping[Any, Mapping[Any, Decimal]],
    *,
    n: int = N,
    k: Decimal = K,
    margin: Decimal = MARGIN,
) -> ControlledTable:
    """Apply the dominance rule, then the secondary suppression, to `table`.

    `table` maps each cell to its contributors' amounts ({employee id: amount summed over
    his files}); the total is the sum of every cell.
    """
    amounts = {key: sum(parts.values(), ZERO) for key, parts in table.items()}
    total = sum(amounts.values(), ZERO)
    primary = {key for key, parts in table.items() if dominated(parts, n=n, k=k)}
    suppressed = set(primary)
    candidates = sorted(
        (key for key in amounts if key not in suppressed and amounts[key] > 0),
        key=lambda key: (amounts[key], str(key)),
    )
    while suppressed and not _protected(amounts, suppressed, margin) and candidates:
        suppressed.add(candidates.pop(0))
    total_published = not suppressed or _protected(amounts, suppressed, margin)
    return ControlledTable(
        cells={key: None if key in suppressed else amounts[key] for key in amounts},
        total=total if total_published else None,
        primary=frozenset(primary),
        secondary=frozenset(suppressed - primary),
    )


def recomputable(result: ControlledTable, amounts: Mapping[Hashable, Decimal], margin=MARGIN):
    """The suppressed cells a reader could bound within ±`margin` from what is published
    (the check the tests run on every controlled table)."""
    suppressed = [key for key, value in result.cells.items() if value is None]
    if result.total is None:
        return []
    published = sum((v for v in result.cells.values() if v is not None), ZERO)
    rest = result.total - published
    return [
        key
        for key in suppressed
        if amounts[key] > 0 and rest < amounts[key] * (1 + margin)  # upper bound too tight
    ]


# --- Aid amounts in the annual report ------------------------------------------------------

MEASURES = ("requested", "granted", "paid")
BREAKDOWNS = ("by_funder", "by_scheme", "by_employer")


def aid_rows(year: int, scope) -> dict[str, list[tuple]]:
    """(funder, scheme id, employer id, employee id, amount) of the year, per measure."""
    from polesocial.aid.budget import GRANTING
    from polesocial.aid.enums import AidStatus
    from polesocial.aid.models import AidDecision, AidPayment, AidRequest

    def scoped(rows, prefix: str):
        case = f"{prefix}case__"
        lookup = {
            "employer": {f"{case}snapshot_employer_id": scope.id},
            "worker": {f"{case}worker_id": scope.id},
            "team": {f"{case}worker__team_id": scope.id},
        }.get(scope.kind, {})
        fields = ("scheme__funder", "scheme_id", "case__snapshot_employer_id", "case__employee_id")
        return list(
            rows.filter(**lookup)
            .order_by()
            .values_list(
                *(f"{prefix}{f}" for f in fields), "amount" if prefix else "amount_requested"
            )
        )

    requests = AidRequest.objects.exclude(status=AidStatus.DRAFT).filter(submitted_on__year=year)
    return {
        "requested": scoped(requests, ""),
        "granted": scoped(
            AidDecision.objects.filter(outcome__in=GRANTING, decided_on__year=year), "request__"
        ),
        "paid": scoped(AidPayment.objects.filter(paid_on__year=year), "request__"),
    }


def aid_tables(rows: list[tuple]) -> dict[str, dict[str, dict[int, Decimal]]]:
    """{breakdown: {cell: {employee: amount summed over his files}}}."""
    tables: dict[str, dict[str, dict[int, Decimal]]] = {b: {} for b in BREAKDOWNS}
    for funder, scheme, employer, employee, amount in rows:
        for breakdown, key in zip(BREAKDOWNS, (funder, scheme, employer), strict=True):
            cell = tables[breakdown].setdefault(str(key), {})
            cell[employee] = cell.get(employee, ZERO) + Decimal(amount)
    return tables


# --- Linked tables: a scheme belongs to one funder -----------------------------------------

Cell = tuple[str, str]  # (breakdown, cell key)
TOTAL: Cell = ("total", "")


def _relations(tables: Mapping[str, Mapping], funder_of: Mapping[str, str]) -> list[list[Cell]]:
    """The sums a reader knows, as lists [whole, part, part…]: each breakdown adds up to
    the total, and each funder's cell to its schemes' cells."""
    relations = [[TOTAL, *((b, k) for k in table)] for b, table in tables.items()]
    schemes_of: dict[str, list[Cell]] = {}
    for scheme, funder in funder_of.items():
        schemes_of.setdefault(funder, []).append(("by_scheme", scheme))
    relations += [[("by_funder", f), *parts] for f, parts in schemes_of.items()]
    return relations


def ranges(
    values: Mapping[Cell, Decimal], suppressed: set[Cell], relations: list[list[Cell]]
) -> dict[Cell, tuple[float, float | None]]:
    """The interval a reader can bound each suppressed amount to, from the published amounts
    and the sums `relations` (every amount ≥ 0): two linear programs per suppressed cell
    (HiGHS, as disclosure.py does for counts). None: no upper bound."""
    import numpy as np
    from scipy.optimize import linprog

    unknowns = sorted(suppressed)
    index = {cell: j for j, cell in enumerate(unknowns)}
    rows, rhs = [], []
    for whole, *parts in relations:
        coefs = np.zeros(len(unknowns))
        known = 0.0
        for cell, sign in [(whole, -1.0), *((part, 1.0) for part in parts)]:
            if cell in index:
                coefs[index[cell]] += sign
            else:
                known += sign * float(values[cell])
        if coefs.any():
            rows.append(coefs)
            rhs.append(-known)
    result: dict[Cell, tuple[float, float | None]] = {}
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    for cell, j in index.items():
        c = np.zeros(len(unknowns))
        c[j] = 1.0
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        result[cell] = (low.fun, None if high.status == 3 else -high.fun)
    return result


def exposed(values, suppressed, relations, margin: Decimal = MARGIN) -> list[Cell]:
    """The suppressed amounts a reader could bound within ±`margin` (the upper bound below
    (1 + margin)·x and the lower one above (1 − margin)·x)."""
    tolerance = 1e-6
    found = []
    for cell, (low, high) in ranges(values, suppressed, relations).items():
        x = float(values[cell])
        if x <= 0:
            continue
        tight_above = high is not None and high < x * float(1 + margin) - tolerance
        tight_below = low > x * float(1 - margin) + tolerance
        if tight_above or tight_below:
            found.append(cell)
    return found


def control_linked(
    tables: Mapping[str, Mapping[Any, Mapping[Any, Decimal]]],
    funder_of: Mapping[str, str],
    *,
    n: int = N,
    k: Decimal = K,
    margin: Decimal = MARGIN,
) -> dict[str, ControlledTable]:
    """The dominance rule on the breakdowns of one measure published together (by funder,
    scheme, employer: one total; a funder's cell is the sum of its schemes'), then the
    secondary suppression over them all: a cell is added, smallest first and preferring
    those tied to an exposed one, until no suppressed amount can be bounded within
    ±`margin` from what is published; the total last."""
    values: dict[Cell, Decimal] = {TOTAL: ZERO}
    primary: dict[str, set] = {}
    for breakdown, table in tables.items():
        primary[breakdown] = {key for key, parts in table.items() if dominated(parts, n=n, k=k)}
        for key, parts in table.items():
            values[(breakdown, key)] = sum(parts.values(), ZERO)
    values[TOTAL] = sum((v for (b, _), v in values.items() if b == "by_funder"), ZERO)
    relations = _relations(tables, funder_of)
    suppressed = {(b, key) for b, keys in primary.items() for key in keys}
    while suppressed:
        bad = exposed(values, suppressed, relations, margin)
        if not bad:
            break
        tied = {cell for rel in relations if set(rel) & set(bad) for cell in rel}
        candidates = sorted(
            (cell for cell, v in values.items() if cell not in suppressed and v > 0
             and cell != TOTAL),
            key=lambda cell: (cell not in tied, values[cell], cell),
        )  # fmt: skip
        if candidates:
            suppressed.add(candidates[0])
        elif TOTAL not in suppressed:
            suppressed.add(TOTAL)
        else:  # pragma: no cover - with every amount hidden none is bounded
            break
    total = None if TOTAL in suppressed else values[TOTAL]
    return {
        breakdown: ControlledTable(
            cells={key: None if (breakdown, key) in suppressed else values[(breakdown, key)]
                   for key in table},
            total=total,
            primary=frozenset(primary[breakdown]),
            secondary=frozenset(key for b, key in suppressed if b == breakdown)
            - primary[breakdown],
        )
        for breakdown, table in tables.items()
    }  # fmt: skip


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def cell_sums(table: dict[str, dict[int, Decimal]]) -> dict[str, Decimal]:
    """Each cell's amount before any control: its contributors' parts summed."""
    return {key: sum(parts.values(), ZERO) for key, parts in table.items()}


def aid_section(year: int, scope, *, controlled: bool) -> tuple[dict, list[str]]:
    """Aid requested, granted and paid by funder, scheme and employer (amounts in euros as
    text, to the cent); under control, the three tables of a measure pass the dominance
    rule and the secondary suppression together (control_linked: a scheme's amount is part
    of its funder's). Returns the section and the JSON paths of the amounts suppressed."""
    section: dict = {}
    suppressed: list[str] = []
    for measure, rows in aid_rows(year, scope).items():
        tables = aid_tables(rows)
        total = sum((Decimal(row[-1]) for row in rows), ZERO)
        part: dict = {"total": _money(total)}
        section[measure] = part
        if not controlled:
            for breakdown, table in tables.items():
                part[breakdown] = {k: _money(v) for k, v in sorted(cell_sums(table).items())}
            continue
        funder_of = {str(scheme): str(funder) for funder, scheme, *_ in rows}
        path = f"aid.{measure}"
        for breakdown, result in control_linked(tables, funder_of).items():
            part[breakdown] = {key: _money(value) for key, value in sorted(result.cells.items())}
            hidden = sorted(k for k, v in result.cells.items() if v is None)
            suppressed += [f"{path}.{breakdown}.{k}" for k in hidden]
            if result.total is None and part["total"] is not None:
                part["total"] = None
                suppressed.append(f"{path}.total")
    return section, suppressed
