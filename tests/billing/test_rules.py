import datetime as dt
from decimal import Decimal

import pytest

from polesocial.billing import rules


@pytest.mark.parametrize(
    ("minutes", "rate", "expected"),
    [(750, "60", "750.00"), (440, "60", "440.00"), (47, "60", "47.00"), (1, "55.55", "0.93")],
)
def test_hourly_amount_is_rounded_half_up_once(minutes, rate, expected):
    assert rules.hourly_amount(minutes, Decimal(rate)) == Decimal(expected)


def test_half_a_cent_rounds_up():
    assert rules.cents(Decimal("0.005")) == Decimal("0.01")
    assert rules.hourly_amount(1, Decimal("0.30")) == Decimal("0.01")  # 0.005


@pytest.mark.parametrize(
    ("minutes", "expected"), [(60, 1), (210, 1), (211, 2), (420, 2), (-60, -1)]
)
def test_each_started_half_day_is_a_session(minutes, expected):
    assert rules.sessions(minutes) == expected


def test_sessions_are_counted_per_worker_and_day():
    day = dt.date(2026, 3, 2)
    rows = [(1, day, 120), (1, day, 120), (2, day, 60), (1, day + dt.timedelta(1), 30)]
    assert rules.session_count(rows) == 2 + 1 + 1


def test_fte_share_is_spread_evenly_and_adds_up_to_the_year():
    parts = [rules.fte_period_amount(Decimal("1000.00"), i, 3) for i in (1, 2, 3)]
    assert parts == [Decimal("333.33"), Decimal("333.34"), Decimal("333.33")]
    assert sum(parts) == Decimal("1000.00")


def test_periods_ending_in_a_quarter():
    assert [p.label for p in rules.periods_ending_in_quarter(2026, 1, "monthly")] == [
        "janvier 2026",
        "février 2026",
        "mars 2026",
    ]
    assert rules.periods_ending_in_quarter(2026, 1, "half_yearly") == []
    (year,) = rules.periods_ending_in_quarter(2026, 4, "yearly")
    assert (year.start, year.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    (q2,) = rules.periods_ending_in_quarter(2026, 2, "quarterly")
    assert (q2.start, q2.end, q2.label) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
        "2e trimestre 2026",
    )


def test_billable_kinds_never_management_nor_initial_review_with_a_contribution():
    kinds = ["interview", "initial_review", "management"]
    assert rules.billable_kinds(kinds, has_contribution=False) == ["interview", "initial_review"]
    assert rules.billable_kinds(kinds, has_contribution=True) == ["interview"]


def test_planned_hours_and_utilisation():
    planned = rules.planned_hours(Decimal("0.8"), Decimal("0.5"))
    assert planned == Decimal("642.8")
    assert rules.utilisation(642 * 60 + 48, planned) == Decimal("100")
    assert rules.utilisation(10, Decimal("0")) is None


def test_format_minutes():
    assert [rules.format_minutes(m) for m in (750, 47, 60, -65)] == [
        "12 h 30",
        "47 min",
        "1 h",
        "-1 h 05",
    ]
