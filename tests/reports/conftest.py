"""Shared fixtures of the report tests."""

import datetime as dt

import pytest

from tests.factories import SocialWorkerFactory
from tests.reports.data import (
    AGE,
    CATEGORY,
    FAMILY,
    STATUS,
    YEAR,
    bulk_cases,
    employers_with_headcounts,
    profile_people,
)


@pytest.fixture
def seed_year():
    """590 employees followed in 2025 among 11,367, as in seed 001, plus distractors."""
    worker = SocialWorkerFactory()
    employers = employers_with_headcounts(YEAR, [5000, 4000, 2367], team=worker.team)
    # An employer without a convention: its headcount is not the operator's.
    employers_with_headcounts(YEAR - 1, [999])
    people = profile_people(YEAR, STATUS, CATEGORY, FAMILY, AGE)
    cases = bulk_cases(YEAR, people, worker=worker, employers=employers)
    # An earlier case of the same employees, with another snapshot: the latest one counts.
    earlier = [
        {**p, "category": "A", "status": "contractuel", "opened_on": dt.date(YEAR - 1, 5, 1)}
        for p in people[:40]
    ]
    for p in earlier:
        p["closed_on"] = dt.date(YEAR, 2, 1)
    bulk_cases(YEAR, earlier, worker=worker, employers=employers)
    # Cases outside the year: closed before it, opened after it.
    other = profile_people(YEAR, {"titulaire": 3}, {"A": 3}, {"other": 3}, {"under_25": 3})
    bulk_cases(
        YEAR,
        other[:2],
        worker=worker,
        employers=employers,
        opened_on=dt.date(YEAR - 2, 1, 1),
        closed_on=dt.date(YEAR - 1, 12, 31),
    )
    bulk_cases(
        YEAR, other[2:], worker=worker, employers=employers, opened_on=dt.date(YEAR + 1, 1, 5)
    )
    return worker, cases
