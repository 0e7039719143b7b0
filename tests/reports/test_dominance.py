"""The dominance rule on amounts (n = 2, k = 85) and its secondary suppression (±10 %)."""

from decimal import Decimal

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
