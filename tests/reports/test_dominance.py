"""The dominance rule on amounts (n = 2, k = 85) and its secondary suppression (±10 %)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polesocial.reports import dominance

D = Decimal


def test_a_constructed_table_suppresses_the_dominated_cell_and_protects_it():
    # Amounts granted by funder, each employee's files summed.
    table = {
        "CNAS": {1: D("1200"), 2: D("150"), 3: D("100")},  # 2 largest: 93 % -> suppressed
        "Opérateur": {4: D("300"), 5: D("300"), 6: D("250"), 7: D("200")},  # 57 %: published
        "CAF": {8: D("90"), 9: D("80"), 10: D("70"), 11: D("60")},  # 57 %: published
        "Employeur": {12: D("500"), 13: D("400"), 14: D("50")},  # 94.7 %: suppressed
    }
    result = dominance.control(table)
    assert result.primary == {"CNAS", "Employeur"}
    # CNAS (1450) and Employeur (950) protect each other: 950 >= 10 % of 1450 and back.
    assert result.secondary == frozenset()
    assert result.cells["Opérateur"] == D("1050") and result.cells["CAF"] == D("300")
    assert result.total == D("3750")


def test_a_lone_dominated_cell_takes_the_smallest_cell_that_protects_it():
    table = {
        "CNAS": {1: D("2000"), 2: D("100")},  # suppressed
        "CAF": {3: D("60"), 4: D("60"), 5: D("60")},  # 180: below 10 % of 2100
        "Opérateur": {6: D("200"), 7: D("200"), 8: D("200")},  # 600
    }
    result = dominance.control(table)
    assert result.primary == {"CNAS"}
    assert result.secondary == {"CAF", "Opérateur"}
    assert result.total == D("2880")
    assert dominance.recomputable(result, {"CNAS": D("2100"), "CAF": D("180"),
                                           "Opérateur": D("600")}) == []  # fmt: skip


def test_one_or_two_contributors_are_always_dominated_and_zero_is_published():
    assert dominance.dominated({1: D("10"), 2: D("1000")})
    assert not dominance.dominated({})
    result = dominance.control({"A": {}, "B": {1: D("50")}})
    assert result.cells["A"] == D("0") and result.cells["B"] is None
    assert result.total is None  # nothing else to hide it behind


amounts = st.decimals(min_value=1, max_value=5000, places=2, allow_nan=False)
tables = st.dictionaries(
    st.sampled_from(["CNAS", "CAF", "Opérateur", "Employeur", "FNAS", "SRIAS"]),
    st.dictionaries(st.integers(1, 40), amounts, max_size=6),
    min_size=1,
)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_no_published_cell_is_dominated_and_no_suppressed_amount_is_recomputable(table):
    result = dominance.control(table)
    sums = {key: sum(parts.values(), D(0)) for key, parts in table.items()}
    for key, value in result.cells.items():
        if value is not None:
            assert not dominance.dominated(table[key]) and value == sums[key]
    assert dominance.recomputable(result, sums) == []
    if result.total is not None:
        assert result.total == sum(sums.values(), D(0))


# --- Linked tables of one measure: by funder, by scheme (each in one funder), by employer --


def reader_bounds(result, funder_of, employers):
    """What a reader can tell of each suppressed amount, solved here on the finest table
    (one unknown amount ≥ 0 per scheme and employer) under every published amount: funder
    cells (sums of their schemes), scheme cells, employer cells and the total. Independent
    of dominance.ranges, which works on the margins only."""
    import numpy as np
    from scipy.optimize import linprog

    schemes = sorted(funder_of)
    pairs = [(s, e) for s in schemes for e in employers]
    column = {pair: j for j, pair in enumerate(pairs)}

    def members(breakdown, key):
        if breakdown == "by_scheme":
            return [(key, e) for e in employers]
        if breakdown == "by_employer":
            return [(s, key) for s in schemes]
        if breakdown == "by_funder":
            return [(s, e) for s in schemes if funder_of[s] == key for e in employers]
        return pairs  # the total

    def vector(breakdown, key):
        row = np.zeros(len(pairs))
        for pair in members(breakdown, key):
            row[column[pair]] = 1.0
        return row

    published = [
        (vector(b, key), float(value))
        for b, table in result.items()
        for key, value in table.cells.items()
        if value is not None
    ]
    total = next(iter(result.values())).total
    if total is not None:
        published.append((vector("total", ""), float(total)))
    a_eq = np.array([row for row, _ in published]) if published else None
    b_eq = np.array([value for _, value in published]) if published else None
    bounds = {}
    hidden = [(b, key) for b, t in result.items() for key, v in t.cells.items() if v is None]
    if total is None:
        hidden.append(("total", ""))
    for breakdown, key in hidden:
        c = vector(breakdown, key)
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, "the published amounts must be consistent"
        bounds[(breakdown, key)] = (low.fun, None if high.status == 3 else -high.fun)
    return bounds


def true_amounts(tables):
    amounts = {
        (b, key): float(sum(parts.values(), D(0)))
        for b, table in tables.items()
        for key, parts in table.items()
    }
    amounts[("total", "")] = sum(v for (b, _), v in amounts.items() if b == "by_funder")
    return amounts


def assert_not_recomputable(result, tables, funder_of, employers):
    amounts = true_amounts(tables)
    for cell, (low, high) in reader_bounds(result, funder_of, employers).items():
        x = amounts[cell]
        if x <= 0:
            continue
        assert high is None or high >= 1.1 * x - 1e-6, f"{cell}: at most {high} for {x}"
        assert low <= 0.9 * x + 1e-6, f"{cell}: at least {low} for {x}"


def linked_tables(files):
    """Files (scheme, employer, employee, amount) -> the three tables of one measure."""
    tables = {"by_funder": {}, "by_scheme": {}, "by_employer": {}}
    for scheme, employer, employee, amount in files:
        for b, key in (("by_funder", FUNDER_OF[scheme]), ("by_scheme", scheme),
                       ("by_employer", employer)):  # fmt: skip
            cell = tables[b].setdefault(key, {})
            cell[employee] = cell.get(employee, D(0)) + amount
    return tables


FUNDER_OF = {"Secours": "operator", "Prêt": "operator", "Vacances": "cnas", "Rentrée": "cnas",
             "Logement": "employer", "Énergie": "caf"}  # fmt: skip
EMPLOYERS = ["Ligny", "Revigny", "Stenay"]


def test_a_dominated_scheme_is_not_given_away_by_its_funders_published_amount():
    """Controlled table by table, « Prêt » (one borrower) hidden behind « Énergie » in the
    scheme table could be recomputed exactly: operator's amount − « Secours »."""
    files = [("Secours", "Ligny", e, D("300")) for e in range(1, 9)]  # 2400, spread
    files += [("Prêt", "Ligny", 20, D("3000"))]  # one borrower
    files += [("Énergie", "Ligny", e, D("400")) for e in range(30, 38)]  # 3200, spread
    files += [("Vacances", "Ligny", e, D("250")) for e in range(40, 48)]  # 2000, spread
    tables = linked_tables(files)
    funder_of = {s: f for s, f in FUNDER_OF.items() if s in tables["by_scheme"]}
    one_by_one = {b: dominance.control(table) for b, table in tables.items()}
    assert one_by_one["by_funder"].cells["operator"] == D("5400")  # published
    assert one_by_one["by_scheme"].cells["Secours"] == D("2400")  # published: 3000 = 5400 − 2400
    with pytest.raises(AssertionError, match="Prêt"):
        assert_not_recomputable(one_by_one, tables, funder_of, EMPLOYERS)
    linked = dominance.control_linked(tables, funder_of)
    assert linked["by_scheme"].cells["Prêt"] is None
    assert_not_recomputable(linked, tables, funder_of, EMPLOYERS)


files_strategy = st.lists(
    st.tuples(
        st.sampled_from(sorted(FUNDER_OF)),
        st.sampled_from(EMPLOYERS),
        st.integers(1, 12),  # the employee: his files are summed
        st.decimals(min_value=1, max_value=5000, places=2, allow_nan=False),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(files_strategy)
def test_linked_amount_tables_publish_no_dominated_cell_and_no_recomputable_one(files):
    """Over random files (scheme, employer, employee, amount): no published cell of any of
    the three tables is dominated, every published amount is the true one, and no
    suppressed amount can be bounded within ±10 % from everything published."""
    tables = linked_tables(files)
    funder_of = {s: f for s, f in FUNDER_OF.items() if s in tables["by_scheme"]}
    result = dominance.control_linked(tables, funder_of)
    for breakdown, table in result.items():
        for key, value in table.cells.items():
            if value is not None:
                assert not dominance.dominated(tables[breakdown][key])
                assert value == sum(tables[breakdown][key].values(), D(0))
    employers = sorted(tables["by_employer"])
    assert_not_recomputable(result, tables, funder_of, employers)


@settings(max_examples=40, deadline=None)
@given(files_strategy, st.randoms(use_true_random=False))
def test_the_aid_section_does_not_depend_on_the_order_the_database_returns_its_rows(
    files, shuffler
):
    """A report is compared year after year and kept once its year is closed: the same
    files read in another order (a table rebuilt by a migration) give the same section and
    the same list of suppressed amounts."""
    from unittest import mock

    rows = [(FUNDER_OF[s], s, employer, employee, amount)
            for s, employer, employee, amount in files]  # fmt: skip
    shuffled = list(rows)
    shuffler.shuffle(shuffled)

    def section(order):
        by_measure = {measure: list(order) for measure in dominance.MEASURES}
        with mock.patch.object(dominance, "aid_rows", lambda year, scope: by_measure):
            return dominance.aid_section(2026, None, controlled=True)

    assert section(shuffled) == section(rows)
