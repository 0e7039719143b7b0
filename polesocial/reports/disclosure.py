"""Statistical disclosure control of counts of persons (INSEE rules), for reports that
leave the social service.

Rules (README.md, "Secret statistique"):
- primary suppression: a count from 1 to threshold - 1 (settings.REPORT_DISCLOSURE_THRESHOLD,
  default 11, so 1..10) is not published; 0 is published;
- the reader knows the published cells and totals, that every count is a whole number and
  that a suppressed cell is at least 1 (zeros are never suppressed);
- secondary suppression: as few (then as small) cells as needed so that, under the
  published totals and margins, no suppressed cell's feasible range [lo, hi] is narrower
  than the threshold: hi - lo >= threshold (or hi unbounded).

One-dimensional tables with a published total are solved exactly (closed form, and an
exhaustive search of the fewest and smallest secondary cells); two-dimensional tables with
margins use a heuristic (suppress the smallest published cell beside an unsafe cell) whose
result is checked by linear programming (the constraint matrix of a table with margins is
totally unimodular, so the LP bounds are the integer bounds). The check reuses its work
(_Checker): every LP vertex and the exact table are feasible points, so an entry whose seen
values already span the threshold needs no solve, and an entry proven safe stays safe when
more cells are suppressed; the result is the same as re-solving everything at each step.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from itertools import combinations

from django.conf import settings

Range = tuple[int, int | None]  # (lo, hi); hi None: unbounded


def threshold() -> int:
    return int(getattr(settings, "REPORT_DISCLOSURE_THRESHOLD", 11))


def is_sensitive(value: int | None, limit: int) -> bool:
    return value is not None and 1 <= value < limit


def is_safe(bounds: Range, limit: int) -> bool:
    lo, hi = bounds
    return hi is None or hi - lo >= limit


# --- One dimension: cells and a total -------------------------------------------------------


def feasible_range_1d(
    values: Mapping[Hashable, int], suppressed, total_published: bool
) -> dict[Hashable, Range]:
    """The interval each suppressed cell may take given what is published.

    With the total published, the suppressed cells add up to S = total - published cells;
    each is >= 1, so with k suppressed cells one of them lies in [1, S - (k - 1)] (k >= 2)
    and is exactly S when alone (k = 1). Without the total, nothing bounds it above.
    """
    suppressed = list(suppressed)
    if not total_published:
        return {key: (1, None) for key in suppressed}
    hidden = sum(values[key] for key in suppressed)
    k = len(suppressed)
    if k == 1:
        return {suppressed[0]: (hidden, hidden)}
    return {key: (1, hidden - (k - 1)) for key in suppressed}


def safe_1d(values, suppressed, total_published: bool, limit: int) -> bool:
    ranges = feasible_range_1d(values, suppressed, total_published)
    return all(is_safe(bounds, limit) for bounds in ranges.values())


def protect_1d(
    values: Mapping[Hashable, int], total_published: bool, limit: int
) -> set[Hashable] | None:
    """The cells to suppress: primary ones plus the fewest, then smallest, secondary ones.

    None when no choice of cells protects the table while its total stays published (the
    caller then suppresses the total).
    """
    primary = {key for key, value in values.items() if is_sensitive(value, limit)}
    if not primary or not total_published:
        return primary
    candidates = sorted(
        (key for key, value in values.items() if key not in primary and value > 0),
        key=lambda key: (values[key], str(key)),
    )
    for size in range(len(candidates) + 1):
        best = None
        for extra in combinations(candidates, size):
            chosen = primary | set(extra)
            if safe_1d(values, chosen, True, limit):
                cost = sum(values[key] for key in extra)
                if best is None or cost < best[0]:
                    best = (cost, chosen)
        if best is not None:
            return best[1]
    return None


# --- Two dimensions: cells (row, column), row and column margins, grand total ------------


def _table_variables(cells, rows_total, cols_total, grand, suppressed):
    """Unknowns (suppressed cells and margins) and the equality constraints tying them."""
    rows = sorted(rows_total, key=str)
    cols = sorted(cols_total, key=str)
    keys = [("cell", r, c) for r in rows for c in cols if ("cell", r, c) in suppressed]
    keys += [("row", r) for r in rows if ("row", r) in suppressed]
    keys += [("col", c) for c in cols if ("col", c) in suppressed]
    if ("total",) in suppressed:
        keys.append(("total",))
    index = {key: i for i, key in enumerate(keys)}

    def value(key):
        if key[0] == "cell":
            return cells[(key[1], key[2])]
        if key[0] == "row":
            return rows_total[key[1]]
        if key[0] == "col":
            return cols_total[key[1]]
        return grand

    equations = []  # (coefficients {index: coef}, right-hand side)

    def equation(parts, margin):
        coefs, rhs = {}, 0
        for key, sign in [*((p, 1) for p in parts), (margin, -1)]:
            if key in index:
                coefs[index[key]] = coefs.get(index[key], 0) + sign
            else:
                rhs -= sign * value(key)
        if coefs:
            equations.append((coefs, rhs))

    for r in rows:
        equation([("cell", r, c) for c in cols], ("row", r))
    for c in cols:
        equation([("cell", r, c) for r in rows], ("col", c))
    equation([("row", r) for r in rows], ("total",))
    equation([("col", c) for c in cols], ("total",))
    return keys, equations


def feasible_range_2d(cells, rows_total, cols_total, grand, suppressed) -> dict[tuple, Range]:
    """Bounds of each suppressed entry under the published cells and margins (LP, HiGHS)."""
    return dict(_ranges(cells, rows_total, cols_total, grand, suppressed))


def _system(cells, rows_total, cols_total, grand, suppressed):
    """The unknowns and the equality system A x = b of the suppressed entries."""
    import numpy as np

    keys, equations = _table_variables(cells, rows_total, cols_total, grand, suppressed)
    a_eq = np.zeros((max(len(equations), 1), len(keys)))
    b_eq = np.zeros(max(len(equations), 1))
    for i, (coefs, rhs) in enumerate(equations):
        for j, coef in coefs.items():
            a_eq[i, j] = coef
        b_eq[i] = rhs
    return keys, a_eq, b_eq


def _solve(objective, a_eq, b_eq):
    """One LP over x >= 1 (HiGHS): the optimal vertex, or None when unbounded."""
    from scipy.optimize import linprog

    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
    return None if result.status == 3 else result


def _ranges(cells, rows_total, cols_total, grand, suppressed):
    """Yield (key, (lo, hi)) for each suppressed entry, solving two LPs each."""
    import numpy as np

    keys, a_eq, b_eq = _system(cells, rows_total, cols_total, grand, suppressed)
    for j, key in enumerate(keys):
        c = np.zeros(len(keys))
        c[j] = -1
        high = _solve(c, a_eq, b_eq)
        hi = None if high is None else round(-high.fun)
        c[j] = 1
        low = _solve(c, a_eq, b_eq)
        yield key, (round(low.fun), hi)


def _entry_value(key, cells, rows_total, cols_total, grand) -> int:
    if key[0] == "cell":
        return cells[(key[1], key[2])]
    return _margin_value(key, rows_total, cols_total, grand)


class _Checker:
    """Which suppressed entries are safe, reusing every solution found (protect_2d).

    Two facts spare most linear programs:
    - the exact table is a feasible point, and every LP vertex is one: an entry whose values
      over the points seen already span the threshold is safe without solving for it;
    - suppressing one more entry only adds unknowns, so every point stays feasible (the new
      unknown at its exact value) and an entry once proven safe stays safe.
    An unknown alone in an equation is exact, hence unsafe, without solving. (Solving for
    the sum of all the pending unknowns first cost more solves than it spared.)
    """

    def __init__(self, cells, rows_total, cols_total, grand, limit):
        self.table = (cells, rows_total, cols_total, grand)
        self.limit = limit
        self.seen: dict[tuple, tuple[float, float]] = {}  # entry -> (lowest, highest) seen
        self.safe: set[tuple] = set()
        self.solves = 0

    def _witness(self, keys, x) -> None:
        for key, value in zip(keys, x, strict=True):
            low, high = self.seen[key]
            self.seen[key] = (min(low, value), max(high, value))
            if self.seen[key][1] - self.seen[key][0] >= self.limit - 1e-6:
                self.safe.add(key)

    def first_unsafe(self, suppressed):
        """The first unsafe suppressed entry (in the order of _table_variables), or None."""
        import numpy as np

        keys, a_eq, b_eq = _system(*self.table, suppressed)
        for key in keys:
            if key not in self.seen:
                value = _entry_value(key, *self.table)
                self.seen[key] = (value, value)
        # An unknown alone in an equation (a cell alone hidden in its row, say) is exact.
        determined = {int(np.flatnonzero(row)[0]) for row in a_eq if np.count_nonzero(row) == 1}
        for j, key in enumerate(keys):
            if key in self.safe:
                continue
            if j in determined:
                return key
            for sign in (-1, 1):
                if key in self.safe:
                    break
                c = np.zeros(len(keys))
                c[j] = sign
                vertex = self._solve(c, a_eq, b_eq)
                if vertex is None:  # unbounded above: safe
                    self.safe.add(key)
                else:
                    self._witness(keys, vertex.x)
            if key not in self.safe:
                return key
        return None

    def _solve(self, objective, a_eq, b_eq):
        self.solves += 1
        return _solve(objective, a_eq, b_eq)


def protect_2d(cells, rows_total, cols_total, grand, limit: int) -> set[tuple]:
    """Suppressed entries of a table with margins: primary, then secondary until safe."""
    suppressed: set[tuple] = {
        ("cell", r, c) for (r, c), v in cells.items() if is_sensitive(v, limit)
    }
    suppressed |= {("row", r) for r, v in rows_total.items() if is_sensitive(v, limit)}
    suppressed |= {("col", c) for c, v in cols_total.items() if is_sensitive(v, limit)}
    if is_sensitive(grand, limit):
        suppressed.add(("total",))
    if not suppressed:
        return suppressed
    rows = sorted(rows_total, key=str)
    cols = sorted(cols_total, key=str)
    checker = _Checker(cells, rows_total, cols_total, grand, limit)
    while True:
        key = checker.first_unsafe(suppressed)
        if key is None:
            return suppressed
        if key[0] == "cell":
            near = [(key[1], c) for c in cols] + [(r, key[2]) for r in rows]
        elif key[0] == "row":
            near = [(key[1], c) for c in cols]
        elif key[0] == "col":
            near = [(r, key[1]) for r in rows]
        else:
            near = list(cells)
        candidates = [rc for rc in near if ("cell", *rc) not in suppressed and cells[rc] > 0]
        if not candidates:  # widen: any published non-zero cell, then the margins
            candidates = [rc for rc in cells if ("cell", *rc) not in suppressed and cells[rc] > 0]
        if candidates:
            r, c = min(candidates, key=lambda rc: (cells[rc], str(rc)))
            suppressed.add(("cell", r, c))
            continue
        margins = [("row", r) for r in rows if rows_total[r] > 0]
        margins += [("col", c) for c in cols if cols_total[c] > 0]
        margins += [("total",)] if grand > 0 else []
        missing = [m for m in margins if m not in suppressed]
        if not missing:
            return suppressed
        suppressed.add(
            min(missing, key=lambda m: (_margin_value(m, rows_total, cols_total, grand), str(m)))
        )


def _margin_value(key, rows_total, cols_total, grand) -> int:
    if key[0] == "row":
        return rows_total[key[1]]
    if key[0] == "col":
        return cols_total[key[1]]
    return grand
