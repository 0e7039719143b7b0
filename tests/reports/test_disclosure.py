"""Property tests of the disclosure control (INSEE rules) on random employer data."""

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polesocial.reports import disclosure
from polesocial.reports.report import assemble

LIMIT = 11
BOUNDED = settings(max_examples=50, deadline=None)

counts = st.one_of(st.integers(0, 12), st.integers(0, 80))
tables = st.lists(counts, min_size=2, max_size=6).map(lambda v: dict(enumerate(v)))


def brute_force_1d(values):
    """The fewest, then smallest, safe suppression containing the primary cells."""
    primary = {k for k, v in values.items() if 1 <= v < LIMIT}
    if not primary:
        return 0, 0
    others = [k for k, v in values.items() if k not in primary and v > 0]
    for size in range(len(others) + 1):
        costs = [
            sum(values[k] for k in extra)
            for extra in combinations(others, size)
            if disclosure.safe_1d(values, primary | set(extra), True, LIMIT)
        ]
        if costs:
            return size, min(costs)
    return None


@BOUNDED
@given(tables)
def test_one_dimension_is_safe_and_minimal(values):
    chosen = disclosure.protect_1d(values, True, LIMIT)
    expected = brute_force_1d(values)
    if chosen is None:
        assert expected is None
        return
    published = [v for k, v in values.items() if k not in chosen]
    assert not any(1 <= v < LIMIT for v in published)
    ranges = disclosure.feasible_range_1d(values, chosen, True)
    assert all(disclosure.is_safe(bounds, LIMIT) for bounds in ranges.values())
    primary = {k for k, v in values.items() if 1 <= v < LIMIT}
    extra = chosen - primary
    assert (len(extra), sum(values[k] for k in extra)) == expected


@BOUNDED
@given(tables, st.data())
def test_one_dimension_range_matches_the_linear_program(values, data):
    """The closed form equals the bounds solved under the published total (a 1-column table)."""
    nonzero = [k for k, v in values.items() if v > 0]
    if not nonzero:
        return
    chosen = set(data.draw(st.sets(st.sampled_from(nonzero), min_size=1)))
    total = sum(values.values())
    cells = {(k, "x"): v for k, v in values.items()}
    # One column: a row's margin is its cell, hidden with it.
    hidden = {("cell", k, "x") for k in chosen} | {("row", k) for k in chosen}
    solved = disclosure.feasible_range_2d(cells, dict(values), {"x": total}, total, hidden)
    closed = disclosure.feasible_range_1d(values, chosen, True)
    assert {key[1]: b for key, b in solved.items() if key[0] == "cell"} == closed


grids = st.integers(2, 4).flatmap(
    lambda rows: st.integers(2, 3).flatmap(
        lambda cols: st.lists(counts, min_size=rows * cols, max_size=rows * cols).map(
            lambda v: {(r, c): v[r * cols + c] for r in range(rows) for c in range(cols)}
        )
    )
)


@BOUNDED
@given(grids)
def test_two_dimensions_publish_no_small_cell_and_protect_every_suppressed_one(cells):
    rows = {r: sum(v for (rr, _), v in cells.items() if rr == r) for r, _ in cells}
    cols = {c: sum(v for (_, cc), v in cells.items() if cc == c) for _, c in cells}
    grand = sum(cells.values())
    chosen = disclosure.protect_2d(cells, rows, cols, grand, LIMIT)
    published = [v for (r, c), v in cells.items() if ("cell", r, c) not in chosen]
    published += [v for r, v in rows.items() if ("row", r) not in chosen]
    published += [v for c, v in cols.items() if ("col", c) not in chosen]
    published += [] if ("total",) in chosen else [grand]
    assert not any(1 <= v < LIMIT for v in published)
    ranges = disclosure.feasible_range_2d(cells, rows, cols, grand, chosen)
    assert all(disclosure.is_safe(bounds, LIMIT) for bounds in ranges.values())


def _split(total, parts, draw):
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def employer_figures(draw):
    followed = draw(st.integers(0, 60))

    def breakdown(codes):
        return dict(zip(codes, _split(followed, len(codes), draw), strict=True))

    def total_table(key, codes):
        total = draw(st.integers(0, 60))
        return {"total": total, key: dict(zip(codes, _split(total, len(codes), draw), strict=True))}

    return {
        "headcount": draw(st.integers(0, 400)),
        "employees_followed": followed,
        "cases": {k: draw(st.integers(0, 40)) for k in ("opened", "closed", "open_at_year_end")},
        "interviews": total_table("by_place", ["operator_office", "workplace", "phone"]),
        "referrals": total_table("by_source", ["employee", "employer_hr"]),
        "domains": {k: draw(st.integers(0, 40)) for k in ("budget", "housing", "work")},
        "profile": {
            "status": breakdown(["titulaire", "stagiaire", "contractuel"]),
            "category": breakdown(["A", "B", "C"]),
            "family_situation": breakdown(["single", "couple", "single_parent", "other"]),
            "age": breakdown(["under_25", "25_34", "35_44", "45_54", "55_and_over"]),
        },
        "orientations": total_table("by_result", ["pending", "achieved", "not_achieved"]),
    }


def _leaves(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else key)
    else:
        yield path, node


def assert_profile_table_protected(report, figures, part):
    """The reader's view of a profile table, solved here: the published fine cells, the
    published groups of its recoding, the total if published; a suppressed cell is at least
    1, a cell merged into a group at least 0 (its zeros are not published). Every unpublished
    fine cell and group must keep a range of at least the threshold."""
    import numpy as np
    from scipy.optimize import linprog

    exact, published = figures["profile"][part], report["profile"][part]
    recoded = report["recoding"].get(f"profile.{part}")
    groups = recoded["groups"] if recoded else {code: [code] for code in exact}
    merged = {code for members in groups.values() if len(members) > 1 for code in members}
    hidden = [code for code, value in published.items() if value is None]
    if not hidden:
        return
    index = {code: j for j, code in enumerate(hidden)}
    a_eq, b_eq = [], []

    def known_sum(codes, value):
        line = np.zeros(len(hidden))
        for code in codes:
            if code in index:
                line[index[code]] = 1
            else:
                value -= published[code]
        a_eq.append(line)
        b_eq.append(value)

    if report["employees_followed"] is not None:
        known_sum(list(exact), report["employees_followed"])
    if recoded:
        for group, members in groups.items():
            if recoded["values"][group] is not None:
                known_sum(members, recoded["values"][group])
    bounds = [(0, None) if code in merged else (1, None) for code in hidden]
    unknowns = [[code] for code in hidden]
    unknowns += [m for g, m in groups.items() if recoded and recoded["values"][g] is None]
    for codes in unknowns:
        objective = np.zeros(len(hidden))
        for code in codes:
            objective[index[code]] = 1
        solve = {"A_eq": a_eq or None, "b_eq": b_eq or None, "bounds": bounds}
        low = linprog(objective, **solve, method="highs")
        high = linprog(-objective, **solve, method="highs")
        assert high.status == 3 or round(-high.fun) - round(low.fun) >= LIMIT, (part, codes)


@BOUNDED
@given(employer_figures())
def test_an_employer_report_publishes_no_count_from_1_to_10(figures):
    report = assemble(2025, {"kind": "employer", "id": 1, "name": "x"}, figures, controlled=True)
    counted = {
        k: report[k]
        for k in (
            "headcount",
            "employees_followed",
            "cases",
            "interviews",
            "referrals",
            "domains",
            "profile",
            "orientations",
        )
    }
    leaves = dict(_leaves(counted))
    leaves |= dict(_leaves({"recoding": report["recoding"]}))
    assert not any(isinstance(v, int) and 1 <= v < LIMIT for v in leaves.values())
    assert all(leaves[path] is None for path in report["suppressed"] if path in leaves)
    assert all(path in report["suppressed"] for path, v in leaves.items() if v is None)
    # Each profile table, fine or recoded, leaves every unpublished count a wide enough range.
    for part in report["profile"]:
        assert_profile_table_protected(report, figures, part)
    # Each breakdown with a published total leaves its suppressed cells a wide enough range.
    tables = [
        (f"{part}.total", report[part][key], figures[part][key])
        for part, key in (
            ("interviews", "by_place"),
            ("referrals", "by_source"),
            ("orientations", "by_result"),
        )
    ]
    for total_path, published, exact in tables:
        hidden = {k for k, v in published.items() if v is None}
        total_published = total_path not in report["suppressed"]
        ranges = disclosure.feasible_range_1d(exact, hidden, total_published)
        assert all(disclosure.is_safe(b, LIMIT) for b in ranges.values())


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"a": 5, "b": 100, "c": 40}, {"a", "c"}),
        ({"a": 5, "b": 5, "c": 100, "d": 40}, {"a", "b", "d"}),
        ({"a": 6, "b": 8, "c": 100}, {"a", "b"}),
        ({"a": 0, "b": 100}, set()),
        ({"a": 1, "b": 11}, None),
    ],
)
def test_one_dimension_examples(values, expected):
    assert disclosure.protect_1d(values, True, LIMIT) == expected


# --- Two dimensions against an independent oracle -------------------------------------------


def _oracle_ranges(cells, rows, cols, grand, hidden):
    """Each hidden entry's bounds, solved here from scratch (the test's own LP, HiGHS)."""
    import numpy as np
    from scipy.optimize import linprog

    unknowns = sorted(hidden, key=str)
    index = {key: j for j, key in enumerate(unknowns)}
    exact = {("cell", r, c): v for (r, c), v in cells.items()}
    exact |= {("row", r): v for r, v in rows.items()}
    exact |= {("col", c): v for c, v in cols.items()}
    exact[("total",)] = grand
    sums = [([("cell", r, c) for c in cols], ("row", r)) for r in rows]
    sums += [([("cell", r, c) for r in rows], ("col", c)) for c in cols]
    sums += [([("row", r) for r in rows], ("total",)), ([("col", c) for c in cols], ("total",))]
    a_eq, b_eq = [], []
    for parts, margin in sums:
        line, rhs = np.zeros(len(unknowns)), 0.0
        for key, sign in [*((p, 1) for p in parts), (margin, -1)]:
            if key in index:
                line[index[key]] += sign
            else:
                rhs -= sign * exact[key]
        a_eq.append(line)
        b_eq.append(rhs)
    ranges = {}
    for key, j in index.items():
        objective = np.zeros(len(unknowns))
        objective[j] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        ranges[key] = (round(low.fun), None if high.status == 3 else round(-high.fun))
    return ranges


def _margins(cells):
    rows = {r: sum(v for (rr, _), v in cells.items() if rr == r) for r, _ in cells}
    cols = {c: sum(v for (_, cc), v in cells.items() if cc == c) for _, c in cells}
    return rows, cols, sum(cells.values())


def _reference_protect_2d(cells, rows, cols, grand):
    """The first solver, which re-solved every hidden entry after each extra suppression."""
    hidden = {("cell", r, c) for (r, c), v in cells.items() if 1 <= v < LIMIT}
    hidden |= {("row", r) for r, v in rows.items() if 1 <= v < LIMIT}
    hidden |= {("col", c) for c, v in cols.items() if 1 <= v < LIMIT}
    hidden |= {("total",)} if 1 <= grand < LIMIT else set()
    if not hidden:
        return hidden
    while True:
        order, _ = disclosure._table_variables(cells, rows, cols, grand, hidden)
        ranges = _oracle_ranges(cells, rows, cols, grand, hidden)
        unsafe = [key for key in order if not disclosure.is_safe(ranges[key], LIMIT)]
        if not unsafe:
            return hidden
        key = unsafe[0]
        row_keys, col_keys = sorted(rows, key=str), sorted(cols, key=str)
        if key[0] == "cell":
            near = [(key[1], c) for c in col_keys] + [(r, key[2]) for r in row_keys]
        elif key[0] == "row":
            near = [(key[1], c) for c in col_keys]
        elif key[0] == "col":
            near = [(r, key[1]) for r in row_keys]
        else:
            near = list(cells)
        open_cells = [rc for rc in near if ("cell", *rc) not in hidden and cells[rc] > 0]
        open_cells = open_cells or [
            rc for rc in cells if ("cell", *rc) not in hidden and cells[rc] > 0
        ]
        if open_cells:
            hidden.add(("cell", *min(open_cells, key=lambda rc: (cells[rc], str(rc)))))
            continue
        margins = [("row", r) for r in row_keys if rows[r] > 0]
        margins += [("col", c) for c in col_keys if cols[c] > 0]
        margins += [("total",)] if grand > 0 else []
        missing = [m for m in margins if m not in hidden]
        if not missing:
            return hidden
        value = {("row", r): v for r, v in rows.items()} | {("total",): grand}
        value |= {("col", c): v for c, v in cols.items()}
        hidden.add(min(missing, key=lambda m: (value[m], str(m))))


small_grids = st.integers(2, 5).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda cols: st.lists(
            st.one_of(st.integers(0, 12), st.integers(0, 40)),
            min_size=rows * cols,
            max_size=rows * cols,
        ).map(lambda v: {(r, c): v[r * cols + c] for r in range(rows) for c in range(cols)})
    )
)


@BOUNDED
@given(small_grids)
def test_a_crossed_table_never_publishes_a_small_count_nor_a_recoverable_one(cells):
    rows, cols, grand = _margins(cells)
    chosen = disclosure.protect_2d(cells, rows, cols, grand, LIMIT)
    published = [v for (r, c), v in cells.items() if ("cell", r, c) not in chosen]
    published += [v for r, v in rows.items() if ("row", r) not in chosen]
    published += [v for c, v in cols.items() if ("col", c) not in chosen]
    published += [] if ("total",) in chosen else [grand]
    assert not any(1 <= v < LIMIT for v in published)
    for key, (low, high) in _oracle_ranges(cells, rows, cols, grand, chosen).items():
        assert high is None or high - low >= LIMIT, (key, low, high)


@BOUNDED
@given(small_grids)
def test_the_solver_reusing_its_work_hides_exactly_what_the_first_one_hid(cells):
    """Same published figures as the solver that re-solved everything after each step."""
    rows, cols, grand = _margins(cells)
    chosen = disclosure.protect_2d(cells, rows, cols, grand, LIMIT)
    assert chosen == _reference_protect_2d(cells, rows, cols, grand)
