"""Social observation: trends by domain and crossings, under the same disclosure control."""

import datetime as dt

import pytest

from polesocial.reports import disclosure
from polesocial.reports.observation import CROSSINGS, build_observation
from polesocial.reports.queries import Scope
from tests.factories import EmployerFactory, SocialWorkerFactory
from tests.reports.data import YEAR, bulk_cases, profile_people

pytestmark = pytest.mark.django_db


def test_trends_and_crossings_for_an_employer():
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    people = profile_people(
        YEAR,
        {"titulaire": 40},
        {"A": 3, "B": 12, "C": 25},
        {"single": 30, "other": 10},
        {"45_54": 40},
    )
    bulk_cases(YEAR, people, worker=worker, employers=[employer], domains=("budget", "housing"))
    earlier = profile_people(YEAR, {"titulaire": 14}, {"C": 14}, {"couple": 14}, {"45_54": 14})
    bulk_cases(
        YEAR,
        earlier,
        worker=worker,
        employers=[employer],
        domains=("health",),
        opened_on=dt.date(YEAR - 2, 1, 1),
        closed_on=dt.date(YEAR - 2, 6, 1),
    )
    scope = Scope("employer", employer.pk, employer.name)
    exact = build_observation(YEAR, scope, controlled=False)
    assert exact["domains_by_year"][str(YEAR)]["budget"] == 40
    assert exact["domains_by_year"][str(YEAR - 2)]["health"] == 14
    assert exact["domain_by_category"]["cells"]["budget"] == {"A": 3, "B": 12, "C": 25}

    controlled = build_observation(YEAR, scope, controlled=True)
    assert controlled["domain_by_category"]["cells"]["budget"]["A"] is None
    for key, _, _ in CROSSINGS:
        table, truth = controlled[key], exact[key]
        published = [v for row in table["cells"].values() for v in row.values()]
        published += [*table["rows"].values(), *table["columns"].values(), table["total"]]
        assert not any(v is not None and 1 <= v <= 10 for v in published)
        rows = {d: v for d, v in truth["rows"].items() if v}
        cells = {(d, c): truth["cells"][d][c] for d in rows for c in truth["columns"]}
        hidden = {("cell", d, c) for (d, c) in cells if table["cells"][d][c] is None}
        hidden |= {("row", d) for d in rows if table["rows"][d] is None}
        hidden |= {("col", c) for c in truth["columns"] if table["columns"][c] is None}
        hidden |= {("total",)} if table["total"] is None else set()
        ranges = disclosure.feasible_range_2d(cells, rows, truth["columns"], truth["total"], hidden)
        assert all(disclosure.is_safe(bounds, 11) for bounds in ranges.values())
