"""How much the employers' reports hide, measured on the demo, and the protection of the
profile as the reader sees it all at once (four tables sharing the employees followed,
bounded by the published headcount), solved in integers here."""

import datetime as dt
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from bench.disclosure import TARGET, demo_year
from polesocial.reports import exports, measure, pooling, presentation, recoding
from polesocial.reports.measure import Share
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import PROFILE_PARTS, assemble, raw_figures
from tests.reports.data import profile_figures
from tests.reports.test_disclosure import BOUNDED, LIMIT, _leaves, employer_figures

pytestmark = pytest.mark.django_db

# Before this measure existed (main at 24eb37c), the demo's 2026 employer reports hid 98 of
# 119 non-zero person cells (82 %).
BEFORE = 98 / 119
# Main at b2c6149, before the profile hierarchies had non-nested levels: 86 of 122 (70 %).
BEFORE_MORE_LEVELS = 86 / 122
# The demo with one year of case work only (main at c092627): the pooled report, where
# offered, hid 63 of 118 person cells (53 %), the same as each year alone.
BEFORE_HISTORY = 63 / 118
FAR = 100_000  # an upper bound standing for none: a range reaching it is unbounded


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
    # The reader takes the total to be at most the headcount (random data may break that).
    headcount = report["headcount"]
    if total_hidden and headcount is not None and headcount >= figures["employees_followed"]:
        known({("total",): 1}, 0, upper=headcount)
    if not unknowns:
        return {}
    constraints = [LinearConstraint(np.array(rows), low, high)] if rows else []
    bounds = Bounds(lower, FAR)
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
        assert least.status == most.status == 0, (keys, least.message, most.message)
        hi = None if -most.fun > FAR / 2 else round(-most.fun)
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


def test_the_total_is_published_with_coarser_tables_when_that_hides_fewer_cells():
    """55 followed (a three-year pool): withholding the total would publish 40 titulaires,
    45 in category C, three family situations and three age bands, but hide five cells;
    with the total, the statuses, family situations and ages are grouped and only the
    categories A and B against C (10 and 45) are hidden."""
    profile = {
        "status": {"titulaire": 40, "stagiaire": 3, "contractuel": 12},
        "category": {"A": 5, "B": 5, "C": 45},
        "family_situation": {"single": 17, "couple": 18, "single_parent": 18, "other": 2},
        "age": {"under_25": 1, "25_34": 5, "35_44": 17, "45_54": 17, "55_and_over": 15},
    }
    figures = profile_figures(profile, 55, 356)
    report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
    assert report["employees_followed"] == 55
    assert report["recoding"]["profile.status"]["values"] == {
        "titulaire_stagiaire": 43,
        "contractuel": 12,
    }
    assert report["recoding"]["profile.category"]["values"] == {"A_B": None, "C": None}
    assert set(report["recoding"]["profile.family_situation"]["values"].values()) == {17, 18, 20}
    assert None not in report["recoding"]["profile.age"]["values"].values()
    assert Share.ratio(measure.report_share(report, figures).persons) == 2 / 10
    assert_profile_protected(report, figures)


def test_a_dozen_employees_with_one_followed_withholds_the_headcount_too():
    """One employee followed of 11: with the headcount published, the reader would know the
    hidden one lies between 1 and 11 (ten apart): the headcount is withheld as well."""
    one = {"contractuel": 1, "C": 1, "other": 1, "55_and_over": 1}
    profile = {
        "status": {"titulaire": 0, "stagiaire": 0, "contractuel": 0},
        "category": {"A": 0, "B": 0, "C": 0},
        "family_situation": {"single": 0, "couple": 0, "single_parent": 0, "other": 0},
        "age": {"under_25": 0, "25_34": 0, "35_44": 0, "45_54": 0, "55_and_over": 0},
    }
    for table in profile.values():
        table.update({k: v for k, v in one.items() if k in table})
    for headcount, withheld in ((11, True), (12, False)):
        figures = profile_figures(profile, 1, headcount)
        report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
        assert report["employees_followed"] is None
        assert (report["headcount"] is None) is withheld
        assert_profile_protected(report, figures)


def test_the_demo_employer_reports_hide_fewer_person_cells_at_equal_protection(capsys):
    from polesocial.organisations.models import Employer

    call_command("demo", stdout=StringIO())
    year = 2026
    for employer in Employer.objects.order_by("pk"):
        scope = resolve_scope("employer", employer.pk)
        figures = raw_figures(year, scope)
        assert_profile_protected(assemble(year, scope.as_json(), figures, controlled=True), figures)
    share = pooling.employer_reports_share(year)
    out = StringIO()
    call_command("disclosure_measure", "--year", str(year), stdout=out)
    text = out.getvalue()
    assert measure.describe(share)[0] in text
    # Per employer, the person cells by table; the employers following fewer than 11 apart
    # (primary suppression hides all their cells).
    lines = [line for line in text.splitlines() if " agents suivis : personnes " in line]
    assert len(lines) == Employer.objects.count()
    assert any(
        line.startswith("  Commune de Saint-Aubin-des-Prés — effectif 412, 22 agents suivis")
        for line in lines
    )
    small = measure.Share()
    for _, figures, one, _ in pooling.employer_shares(year):
        if figures["employees_followed"] < LIMIT:
            small.merge(one)
    assert small.persons[0] == small.persons[1]
    assert measure.describe_small(small, share, LIMIT)[0] in text
    with capsys.disabled():
        print("\n" + out.getvalue())
    suppressed, nonzero = share.persons
    assert suppressed / nonzero < BEFORE
    assert suppressed / nonzero < BEFORE_MORE_LEVELS
    # Small employers read their three-year pooled report instead (2024-2026: the demo holds
    # two earlier, closed years of case work). Each one offered is protected with the three
    # yearly reports: no hidden figure of the four has a range under the threshold (solved).
    pooled_share, offered = measure.Share(), []
    for employer in Employer.objects.order_by("pk"):
        scope = resolve_scope("employer", employer.pk)
        figures = raw_figures(year, scope)
        report = assemble(year, scope.as_json(), figures, controlled=True)
        if pooling.offers_pooled(report, figures):
            report, figures = pooling.pooled_report(year, scope)
            yearly = []
            for y in pooling.period(year):
                exact = raw_figures(y, scope)
                yearly.append((assemble(y, scope.as_json(), exact, controlled=True), exact))
            assert pooling.build_view((report, figures), yearly).unsafe(LIMIT) == []
            offered.append(employer.name)
        pooled_share.merge(measure.report_share(report, figures))
    assert "Commune de Brissac-la-Forêt" in offered
    pooled = StringIO()
    call_command("disclosure_measure", "--year", str(year), "--cumul", stdout=pooled)
    with capsys.disabled():
        print("\n" + pooled.getvalue())
    assert measure.describe(pooled_share)[0] in pooled.getvalue()
    # Read as each employer reads it, the demo hides 39 % of its person cells (48 of 124 on
    # the tests' reference date; 53 % a year at a time): within the issue's 40 %, fewer than
    # the year alone, and fewer than before the history.
    assert Share.ratio(pooled_share.persons) <= TARGET
    assert Share.ratio(pooled_share.persons) < Share.ratio(share.persons)
    assert Share.ratio(pooled_share.persons) < BEFORE_HISTORY


def test_the_bench_measures_the_year_holding_most_of_the_demos_twelve_months():
    assert demo_year(dt.date(2026, 12, 3)) == demo_year(dt.date(2026, 7, 1)) == 2026
    assert demo_year(dt.date(2027, 1, 15)) == demo_year(dt.date(2027, 6, 30)) == 2026


# --- Referral sources and domains grouped by the documented hierarchy ------------------------


def _figures(**parts) -> dict:
    base = {
        "headcount": 400,
        "employees_followed": 0,
        "cases": {"opened": 0, "closed": 0, "open_at_year_end": 0},
        "interviews": {"total": 0, "by_place": {"phone": 0}},
        "referrals": {"total": 0, "by_source": {"employee": 0}},
        "domains": {"budget": 0},
        "profile": {
            "status": {"titulaire": 0},
            "category": {"C": 0},
            "family_situation": {"single": 0},
            "age": {"under_25": 0},
        },
        "orientations": {"total": 0, "by_result": {"pending": 0}},
    }
    return base | parts


SOURCES = [
    "employee",
    "employer_hr",
    "line_manager",
    "occupational_health",
    "operator_service",
    "external_medico_social",
    "elected_official",
    "mobility_adviser",
]


def test_referral_sources_are_published_by_who_asked_when_each_source_alone_is_secret():
    """47 referrals: 18 from the employee, 13 from the employer's side (9 HR, 3 managers, 1
    elected official), 16 from services: the three groups are published, no source alone."""
    sources = dict(zip(SOURCES, [18, 9, 3, 9, 2, 3, 1, 2], strict=True))
    figures = _figures(referrals={"total": 47, "by_source": sources})
    report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
    assert report["recoding"]["referrals.by_source"]["values"] == {
        "employee": 18,
        "employer_side": 13,
        "services": 16,
    }
    assert report["referrals"]["total"] == 47
    assert report["referrals"]["by_source"]["employee"] == 18
    assert report["referrals"]["by_source"]["employer_hr"] is None
    table = next(t for t in presentation.tables(report) if t.key == "referrals")
    assert [label for _, label, _, _ in table.rows] == [
        "L'agent lui-même",
        "L'employeur (RH, encadrement, élus)",
        "La prévention, les services médico-sociaux et ceux de l'opérateur",
    ]
    assert table.note in exports.to_csv(report).decode()
    assert "Le service RH de l'employeur + Un·e encadrant·e + Un·e élu·e" in table.note


def test_domains_are_published_as_groups_of_distinct_cases_from_twelve():
    """Cases per domain are 1 to 10 each; the groups count distinct cases (a case with two
    domains of a group counts once) and are published from 12: health, addictions and
    violences (11 cases) is not."""
    domains = dict.fromkeys(recoding.DOMAIN_LEVELS[0], 0) | {
        "work": 9,
        "disability": 4,
        "health": 3,
        "budget": 8,
        "housing": 5,
    }
    domains |= {"addiction": 4, "violence": 4}
    groups = {
        "working_life": 12,
        "health_group": 11,
        "material_life": 13,
        "family_other": 0,
        "work_health": 14,
        "personal_life": 11,
    }
    figures = _figures(domains=domains, domain_groups=groups)
    report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
    recoded = report["recoding"]["domains"]
    assert recoded["values"] == {
        "working_life": 12,
        "health_group": None,
        "material_life": 13,
        "family_other": 0,
    }
    assert all(report["domains"][c] is None for c in ("work", "disability", "budget", "housing"))
    assert report["domains"]["family"] == 0  # an empty group's members are published zeros
    assert "recoding.domains.values.health_group" in report["suppressed"]
    # An internal report keeps the fine domains and says nothing of groups.
    internal = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=False)
    assert internal["domains"] == domains and internal["recoding"] == {}
    assert "domain_groups" not in internal


def _breakdown_ranges(exact: dict, published: dict, recoded: dict | None, total: int | None):
    """Integer range of each unpublished cell or group of a breakdown with a total, from
    the published cells, groups and total (the reader's view, solved here)."""
    hidden = [c for c, v in published.items() if v is None]
    if not hidden:
        return {}
    groups = recoded["groups"] if recoded else {c: [c] for c in exact}
    merged = {c for m in groups.values() if len(m) > 1 for c in m}
    index = {c: j for j, c in enumerate(hidden)}
    rows, rhs = [], []

    def known(codes, value):
        line = np.zeros(len(hidden))
        for code in codes:
            if code in index:
                line[index[code]] = 1
            else:
                value -= published[code]
        rows.append(line)
        rhs.append(value)

    if total is not None:
        known(list(exact), total)
    for group, members in groups.items():
        if recoded and recoded["values"][group] is not None:
            known(members, recoded["values"][group])
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    bounds = Bounds([0 if c in merged else 1 for c in hidden], FAR)
    targets = [[c] for c in hidden if c not in merged]
    targets += [
        [c for c in m if c in index]
        for g, m in groups.items()
        if recoded and recoded["values"][g] is None and len(m) > 1
    ]
    ranges = {}
    for codes in targets:
        objective = np.zeros(len(hidden))
        objective[[index[c] for c in codes]] = 1
        kwargs = {"constraints": constraints, "bounds": bounds, "integrality": 1}
        least, most = milp(objective, **kwargs), milp(-objective, **kwargs)
        assert least.status == most.status == 0, (codes, least.message, most.message)
        hi = None if -most.fun > FAR / 2 else round(-most.fun)
        ranges[tuple(codes)] = (round(least.fun), hi)
    return ranges


@st.composite
def referral_figures(draw):
    total = draw(st.integers(0, 70))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=7, max_size=7)))
    bounds = [0, *cuts, total]
    values = [b - a for a, b in zip(bounds, bounds[1:], strict=False)]
    return _figures(
        referrals={"total": total, "by_source": dict(zip(SOURCES, values, strict=True))}
    )


@BOUNDED
@given(referral_figures())
def test_grouped_referral_sources_never_publish_a_small_or_recoverable_count(figures):
    report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
    recoded = report["recoding"].get("referrals.by_source")
    published = dict(report["referrals"]["by_source"])
    shown = [*published.values(), report["referrals"]["total"]]
    shown += list(recoded["values"].values()) if recoded else []
    assert not any(isinstance(v, int) and 1 <= v < LIMIT for v in shown)
    ranges = _breakdown_ranges(
        figures["referrals"]["by_source"], published, recoded, report["referrals"]["total"]
    )
    for codes, (lo, hi) in ranges.items():
        assert hi is None or hi - lo >= LIMIT, (codes, lo, hi)
