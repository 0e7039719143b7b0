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
    assert not any(isinstance(v, int) and 1 <= v < LIMIT for v in leaves.values())
    assert all(leaves[path] is None for path in report["suppressed"] if path in leaves)
    # Each breakdown with a published total leaves its suppressed cells a wide enough range.
    tables = [
        ("employees_followed", report["profile"][p], figures["profile"][p])
        for p in report["profile"]
    ]
    tables += [
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
