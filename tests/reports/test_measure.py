"""How much the employers' reports hide, measured on the demo, and the protection of the
profile as the reader sees it all at once (four tables sharing the employees followed,
bounded by the published headcount), solved in integers here."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from hypothesis import given
from scipy.optimize import Bounds, LinearConstraint, milp

from polesocial.reports import measure
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import PROFILE_PARTS, assemble, raw_figures
from tests.reports.test_disclosure import BOUNDED, LIMIT, _leaves, employer_figures

pytestmark = pytest.mark.django_db

# Before this measure existed (main at 24eb37c), the demo's 2026 employer reports hid 98 of
# 119 non-zero person cells (82 %).
BEFORE = 98 / 119


def reader_ranges(report: dict, figures: dict) -> dict:
    """Integer range of every unpublished person count, from everything published about the
    profile: the published fine cells and groups, `employees_followed` if published (else an
    unknown total T that each table adds up to), T <= the headcount if published; a
    suppressed cell is at least 1, a fine cell merged into a group at least 0."""
    unknowns: list[tuple] = []
    lower: list[int] = []
    for part in PROFILE_PARTS:
        recoded = report["recoding"].get(f"profile.{part}")
        merged = (
            {c for m in recoded["groups"].values() if len(m) > 1 for c in m} if recoded else set()
        )
        for code, value in report["profile"][part].items():
            if value is None:
                unknowns.append((part, code))
                lower.append(0 if code in merged else 1)
    total_hidden = report["employees_followed"] is None
    if total_hidden:
        unknowns.append(("total",))
        lower.append(0)
    index = {key: j for j, key in enumerate(unknowns)}
    rows, low, high = [], [], []

    def known(terms: dict, value: int, upper: int | None = None) -> None:
        line = np.zeros(len(unknowns))
        for key, coef in terms.items():
            line[index[key]] += coef
        rows.append(line)
        low.append(-np.inf if upper is not None else value)
        high.append(upper if upper is not None else value)

    for part in PROFILE_PARTS:
        published = report["profile"][part]
        terms = {(part, c): 1 for c, v in published.items() if v is None}
        rest = sum(v for v in published.values() if v is not None)
        if total_hidden:
            known({**terms, ("total",): -1}, -rest)
        else:
            known(terms, report["employees_followed"] - rest)
        recoded = report["recoding"].get(f"profile.{part}")
        for group, members in (recoded["groups"] if recoded else {}).items():
            if recoded["values"][group] is not None:
                inside = {(part, c): 1 for c in members if published[c] is None}
                shown = sum(published[c] for c in members if published[c] is not None)
                if inside:
                    known(inside, recoded["values"][group] - shown)
    if total_hidden and report["headcount"] is not None:
        known({("total",): 1}, 0, upper=report["headcount"])
    if not unknowns:
        return {}
    constraints = [LinearConstraint(np.array(rows), low, high)] if rows else []
    bounds = Bounds(lower, np.inf)
    targets = [[key] for key in unknowns if key[0] == "total" or lower[index[key]] == 1]
    for part in PROFILE_PARTS:
        recoded = report["recoding"].get(f"profile.{part}")
        for group, members in (recoded["groups"] if recoded else {}).items():
            if recoded["values"][group] is None and len(members) > 1:
                targets.append([(part, c) for c in members if (part, c) in index])
    ranges = {}
    for keys in targets:
        objective = np.zeros(len(unknowns))
        for key in keys:
            objective[index[key]] = 1
        kwargs = {"constraints": constraints, "bounds": bounds, "integrality": 1}
        least = milp(objective, **kwargs)
        most = milp(-objective, **kwargs)
        assert least.status == 0, (keys, least.message)
        hi = None if most.status == 3 else round(-most.fun)
        ranges[tuple(keys)] = (round(least.fun), hi)
    return ranges


def assert_profile_protected(report: dict, figures: dict) -> None:
    leaves = dict(_leaves({"profile": report["profile"], **report["recoding"]}))
    leaves["employees_followed"] = report["employees_followed"]
    assert not any(isinstance(v, int) and 1 <= v < LIMIT for v in leaves.values())
    for keys, (lo, hi) in reader_ranges(report, figures).items():
        assert hi is None or hi - lo >= LIMIT, (keys, lo, hi)


@BOUNDED
@given(employer_figures())
def test_the_whole_profile_read_at_once_never_narrows_a_hidden_count(figures):
    report = assemble(2025, {"kind": "employer", "id": 1, "name": "x"}, figures, controlled=True)
    assert_profile_protected(report, figures)


def test_withholding_the_employees_followed_publishes_the_tables_that_the_total_would_lose():
    """23 followed, 19 titulaires and 4 contractuels: with the total, both statuses are
    hidden; without it, the 19 titulaires, 21 in category C… are published."""
    profile = {
        "status": {"titulaire": 19, "stagiaire": 0, "contractuel": 4},
        "category": {"A": 0, "B": 2, "C": 21},
        "family_situation": {"single": 9, "couple": 7, "single_parent": 6, "other": 1},
        "age": {"under_25": 1, "25_34": 2, "35_44": 9, "45_54": 9, "55_and_over": 2},
    }
    figures = {
        "headcount": 412,
        "employees_followed": 23,
        "cases": {"opened": 20, "closed": 10, "open_at_year_end": 13},
        "interviews": {"total": 0, "by_place": {"phone": 0}},
        "referrals": {"total": 0, "by_source": {"employee": 0}},
        "domains": {"budget": 0},
        "profile": profile,
        "orientations": {"total": 0, "by_result": {"pending": 0}},
    }
    report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
    assert report["employees_followed"] is None
    assert report["profile"]["status"]["titulaire"] == 19
    assert report["profile"]["category"]["C"] == 21
    assert_profile_protected(report, figures)
    # A headcount of 30 bounds the hidden total to [22, 30]: too narrow, the total stays.
    small = assemble(
        2026,
        {"kind": "employer", "id": 1, "name": ""},
        {**figures, "headcount": 30},
        controlled=True,
    )
    assert small["employees_followed"] == 23
    assert_profile_protected(small, {**figures, "headcount": 30})


def test_the_demo_employer_reports_hide_fewer_person_cells_at_equal_protection(capsys):
    from polesocial.organisations.models import Employer

    call_command("demo", stdout=StringIO())
    year = 2026
    for employer in Employer.objects.order_by("pk"):
        scope = resolve_scope("employer", employer.pk)
        figures = raw_figures(year, scope)
        assert_profile_protected(assemble(year, scope.as_json(), figures, controlled=True), figures)
    share = measure.employer_reports_share(year)
    out = StringIO()
    call_command("disclosure_measure", "--year", str(year), stdout=out)
    assert measure.describe(share)[0] in out.getvalue()
    with capsys.disabled():
        print("\n" + out.getvalue())
    suppressed, nonzero = share.persons
    assert suppressed / nonzero < BEFORE
