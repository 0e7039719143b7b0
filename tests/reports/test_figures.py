"""The report's figures from generated years: the seed's 590 of 11,367, and query counts."""

import pytest

from polesocial.reports.queries import Scope, resolve_scope
from polesocial.reports.report import SCHEMA, build_report
from tests.factories import SocialWorkerFactory
from tests.reports.data import (
    AGE,
    CATEGORY,
    FAMILY,
    STATUS,
    YEAR,
    born_for_age,
    bulk_cases,
    employers_with_headcounts,
)

pytestmark = pytest.mark.django_db


def test_seed_year_gives_the_seed_figures(seed_year):
    report = build_report(YEAR, resolve_scope("operator"), controlled=False)
    assert report["schema"] == SCHEMA
    assert report["headcount"] == 11367
    assert report["employees_followed"] == 590
    assert report["share_followed"] == pytest.approx(590 / 11367, abs=1e-4)
    assert report["profile"] == {
        "status": STATUS,
        "category": CATEGORY,
        "family_situation": FAMILY,
        "age": AGE,
    }
    assert report["suppressed"] == [] or all(
        not p.startswith("profile") for p in report["suppressed"]
    )
    assert report["cases"]["opened"] == 590
    assert report["domains"]["budget"] == 630  # the 40 earlier cases were open in the year too


def test_seed_year_under_disclosure_control(seed_year):
    """6 A is primary; 18 B goes with it (the smallest cell that widens A's range to 1..23)."""
    report = build_report(YEAR, resolve_scope("operator"), controlled=True)
    assert report["disclosure_control"] == {"applied": True, "threshold": 11}
    assert report["profile"]["category"] == {"A": None, "B": None, "C": 566}
    assert report["profile"]["status"] == STATUS
    assert report["employees_followed"] == 590
    assert {"profile.category.A", "profile.category.B"} <= set(report["suppressed"])


def test_worker_and_team_scopes_use_their_fte_shares(seed_year):
    from polesocial.organisations.models import Employer, FteShare

    worker, _ = seed_year
    employer = Employer.objects.get(headcounts__total=2367)
    FteShare.objects.create(worker=worker, employer=employer, year=YEAR, share="0.5")
    for scope in (Scope("worker", worker.pk, ""), Scope("team", worker.team_id, "")):
        report = build_report(YEAR, scope, controlled=False)
        assert report["headcount"] == 2367
        assert report["employees_followed"] == 590
        assert report["disclosure_control"] == {"applied": False, "threshold": 11}


def _year_of(n: int, worker, employers):
    people = [
        {
            "status": "titulaire",
            "category": "C",
            "family_situation": "single",
            "birth_date": born_for_age("35_44", YEAR),
        }
        for _ in range(n)
    ]
    bulk_cases(YEAR, people, worker=worker, employers=employers, domains=("budget", "housing"))


@pytest.mark.parametrize("kind", ["operator", "employer", "worker", "team"])
def test_number_of_queries_does_not_grow_with_data(kind, assert_queries_do_not_grow):
    worker = SocialWorkerFactory()
    employers = employers_with_headcounts(YEAR, [300, 200], team=worker.team)
    scope_id = {
        "operator": None,
        "employer": employers[0].pk,
        "worker": worker.pk,
        "team": worker.team_id,
    }[kind]
    scope = resolve_scope(kind, scope_id)
    assert_queries_do_not_grow(
        lambda: build_report(YEAR, scope, controlled=True),
        lambda n: _year_of(n, worker, employers),
        rows=6,
    )


def test_hours_name_each_employer_and_the_function_s_own_time():
    from polesocial.billing.models import TimeEntry
    from tests.factories import EmployerFactory

    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    TimeEntry.objects.create(
        worker=worker, employer=employer, date=f"{YEAR}-03-02", minutes=90, kind="interview"
    )
    TimeEntry.objects.create(
        worker=worker, employer=None, date=f"{YEAR}-03-03", minutes=30, kind="management"
    )
    report = build_report(YEAR, Scope("worker", worker.pk, "ASS"), controlled=False)
    assert report["hours"]["by_employer"] == {str(employer.pk): 1.5, "none": 0.5}
    assert report["hours"]["by_kind"] == {"interview": 1.5, "management": 0.5}


def test_hours_by_kind_sum_the_minutes_exactly_and_round_once():
    """57,999 min over three employers are 966.65 h, not 3 × 322.22 = 966.66 h."""
    from polesocial.billing.models import TimeEntry
    from tests.factories import EmployerFactory

    worker = SocialWorkerFactory()
    for _ in range(3):
        TimeEntry.objects.create(
            worker=worker,
            employer=EmployerFactory(team=worker.team),
            date=f"{YEAR}-03-02",
            minutes=19_333,
            kind="interview",
        )
    report = build_report(YEAR, Scope("worker", worker.pk, "ASS"), controlled=False)
    assert report["hours"]["by_kind"] == {"interview": 966.65}
    assert sorted(report["hours"]["by_employer"].values()) == [322.22] * 3
