"""Pooled years for small employers: the three-year report (README.md, "Cumul sur trois ans").

Where an employer's year publishes less than half of its person cells (`offers_pooled`),
its page offers the report of the three years ending with that year, under the same rules
(report.control), then protected together with the three yearly reports (`link`): the
reader sees all four, and no published pooled figure may narrow a cell hidden in any of
them. Definitions over the period:
- employees followed: distinct employees with a case open at some time in the period; the
  profile classes each of them by their latest case of the last year they were followed,
  age on 31 December of that year (so a pooled profile cell is at most the sum of the
  yearly cells);
- cases opened, closed, interviews, referrals, orientations: those of the period (the sum
  of the years); cases open at the end: those of the last year; domains: distinct cases
  followed in the period;
- headcount: the last year's; collective actions and hours are not pooled.

The reader's view (`ReaderView`) is the set of linear relations between the figures of
the four reports that the definitions imply (a table adds up to its total, a group to its
members, a pooled event count to the years', a pooled distinct count lies between the
largest year and the sum of the years); each hidden figure's integer range is solved by
mixed-integer programming (scipy.optimize.milp, HiGHS). The control hides further pooled
figures (the smallest linked one first) until every hidden figure of the four reports
keeps a range of at least the threshold.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery

from polesocial.casework.enums import (
    Domain,
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    InterviewPlace,
    OrientationResult,
    ReferralSource,
)
from polesocial.reports import disclosure, measure, queries, recoding
from polesocial.reports.queries import Scope

YEARS = 3
FAR = 1_000_000  # stands for no upper bound in the solver

# --- Figures over a period ---------------------------------------------------------------


def period(year: int) -> tuple[int, ...]:
    return tuple(range(year - YEARS + 1, year + 1))


def _open_in(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_on__lte": end}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": start})
    )


def _age_band(age: int) -> str:
    for limit, band in ((25, "under_25"), (35, "25_34"), (45, "35_44"), (55, "45_54")):
        if age < limit:
            return band
    return "55_and_over"


def pooled_profile(years: tuple[int, ...], scope: Scope) -> tuple[int, dict]:
    """Distinct employees followed over the years, and their profile from the latest case
    of the last year each was followed (one query per year, no name read)."""
    from polesocial.casework.models import Case

    last: dict[int, tuple] = {}
    for year in years:
        cases = queries.followed_cases(year, scope)
        latest = Subquery(
            cases.filter(employee=OuterRef("employee"))
            .order_by("-opened_on", "-pk")
            .values("pk")[:1]
        )
        rows = Case.objects.filter(pk__in=cases.filter(pk=latest).values("pk")).values_list(
            "employee_id",
            "snapshot_status",
            "snapshot_category",
            "snapshot_family_situation",
            "snapshot_birth_year",
        )
        for employee, *snapshot in rows:
            last[employee] = (year, *snapshot)
    profile = {
        "status": dict.fromkeys(EmploymentStatus.values, 0),
        "category": dict.fromkeys(GradeCategory.values, 0),
        "family_situation": dict.fromkeys(FamilySituation.values, 0),
        "age": dict.fromkeys(queries.AGE_BANDS, 0),
    }
    for year, status, category, family, birth_year in last.values():
        for part, code in (
            ("status", status),
            ("category", category),
            ("family_situation", family),
            ("age", _age_band(year - birth_year)),
        ):
            if code in profile[part]:
                profile[part][code] += 1
    return len(last), profile


def pooled_figures(year: int, scope: Scope) -> dict:
    """Exact figures of the three years ending with `year` (module docstring)."""
    from polesocial.casework.models import Case, CaseDomain, Interview, Orientation

    years = period(year)
    start, end = dt.date(years[0], 1, 1), dt.date(year, 12, 31)
    case_filter = queries._case_filter(scope)
    counts = Case.objects.filter(case_filter).aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=start, opened_on__lte=end)),
        closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
        open_at_year_end=Count(
            "pk", filter=Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        ),
    )
    followed, profile = pooled_profile(years, scope)
    domain_rows = CaseDomain.objects.filter(
        queries._case_filter(scope, "case__") & _open_in(start, end, "case__")
    )
    domains = queries._grouped(domain_rows, "domain", Domain.values)
    domain_groups = domain_rows.aggregate(
        **{
            group: Count("case", distinct=True, filter=Q(domain__in=members))
            for group, members in recoding.domain_groups().items()
        }
    )

    def breakdown(rows, field, codes, key):
        values = queries._grouped(rows, field, codes)
        return {"total": sum(values.values()), key: values}

    interviews = Interview.objects.filter(
        queries._case_filter(scope, "case__"), occurred_on__gte=start, occurred_on__lte=end
    )
    # Referrals: the sum of the years' own figures, which leave out spam and hold back an
    # employee's own requests below the threshold (queries.referrals): a pooled count of
    # them would give away what each year keeps from his employer.
    each_year = [queries.referrals(y, scope)["by_source"] for y in years]
    by_source = {code: sum(counts[code] for counts in each_year) for code in ReferralSource.values}
    orientations = Orientation.objects.filter(
        queries._case_filter(scope, "case__"), oriented_on__gte=start, oriented_on__lte=end
    )
    return {
        "headcount": queries.headcount(year, scope),
        "employees_followed": followed,
        "cases": counts,
        "interviews": breakdown(interviews, "place", InterviewPlace.values, "by_place"),
        "referrals": {"total": sum(by_source.values()), "by_source": by_source},
        "domains": domains,
        "domain_groups": domain_groups,
        "profile": profile,
        "orientations": breakdown(orientations, "result", OrientationResult.values, "by_result"),
    }


# --- When to offer it --------------------------------------------------------------------


def offers_pooled(report: dict, figures: dict) -> bool:
    """A controlled employer report publishing less than half of its non-zero person cells."""
    if not report["disclosure_control"]["applied"] or report["scope"]["kind"] != "employer":
        return False
    suppressed, nonzero = measure.report_share(report, figures).persons
    return nonzero > 0 and (nonzero - suppressed) * 2 < nonzero


# --- The reader's view of the four reports -----------------------------------------------

EVENT_TABLES = (
    ("interviews", "by_place"),
    ("referrals", "by_source"),
    ("orientations", "by_result"),
)


class Inconsistent(ValueError):
    """The exact figures break a relation of the reader's view (a definition changed)."""


class ReaderView:
    """Unknowns and linear relations of what a reader of several reports knows."""

    def __init__(self):
        self.names: dict[tuple, int] = {}
        self.exact: list[int] = []
        self.lower: list[int] = []
        self.upper: list[int] = []
        self.rows: list[tuple[dict[int, int], float, float]] = []  # (coefs, low, high)
        self.targets: list[tuple] = []
        self.merged: set[tuple] = set()  # targets merged into a published level's group

    def atom(self, key: tuple, exact: int, published: int | None, *, merged: bool = False):
        """One figure: fixed when published, else at least 1 (0 when merged in a group).

        A fine cell merged into a group is a target too (unless it is 0): its range must
        stay as wide as a suppressed cell's. The years and the pooled report may publish
        different levels of a table (a group one year, its fine cells pooled): without it, a
        pooled cell minus the other years gave a merged cell back exactly (9 referrals from
        HR in 2025: the pooled 20 minus 11 in 2024 and 0 in 2026)."""
        if key in self.names:
            return self.names[key]
        self.names[key] = len(self.exact)
        self.exact.append(exact)
        if published is None:
            self.lower.append(0 if merged else 1)
            self.upper.append(FAR)
            # A merged cell that is 0 is no secret (a fine table publishes its zeros); the
            # members it would pin down are targets of their own.
            if not (merged and exact == 0):
                self.targets.append(key)
            if merged:
                self.merged.add(key)
        else:
            self.lower.append(published)
            self.upper.append(published)
        return self.names[key]

    def relation(self, terms: dict[tuple, int], low: float, high: float) -> None:
        coefs: dict[int, int] = {}
        for key, coef in terms.items():
            j = self.names[key]
            coefs[j] = coefs.get(j, 0) + coef
        self.rows.append((coefs, low, high))

    def equal(self, left: list[tuple], right: list[tuple]) -> None:
        terms = {k: 1 for k in left}
        for k in right:
            terms[k] = terms.get(k, 0) - 1
        self.relation(terms, 0, 0)

    def at_most(self, left: list[tuple], right: list[tuple]) -> None:
        """sum(left) <= sum(right)"""
        terms = {k: 1 for k in left}
        for k in right:
            terms[k] = terms.get(k, 0) - 1
        self.relation(terms, -FAR * len(terms), 0)

    def _problem(self):
        """The view as a mixed-integer program: (constraints, bounds, number of figures)."""
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint

        n = len(self.exact)
        rows = max(len(self.rows), 1)
        matrix, low, high = np.zeros((rows, n)), np.zeros(rows), np.zeros(rows)
        for i, (coefs, lo, hi) in enumerate(self.rows):
            for j, coef in coefs.items():
                matrix[i, j] = coef
            low[i], high[i] = lo, hi
        return [LinearConstraint(matrix, low, high)], Bounds(self.lower, self.upper), n

    def first_unsafe(self, limit: int, memory: dict) -> tuple | None:
        """The first target whose integer range is narrower than `limit`, or None.

        `memory` carries what earlier views proved: `safe` (a target once safe stays safe
        when more figures are hidden, the feasible set only grows) and `seen` (the lowest
        and highest value each figure took over the solutions found, all still feasible).
        """
        safe: set = memory.setdefault("safe", set())
        seen: dict = memory.setdefault("seen", {})
        for key, j in self.names.items():
            seen.setdefault(key, (self.exact[j], self.exact[j]))
        pending = [k for k in self.targets if k not in safe]
        if not pending:
            return None
        problem = self._problem()
        for key in pending:
            self._widen(key, limit, seen, problem)
            lo, hi = seen[key]
            if hi - lo >= limit:
                safe.add(key)
            else:
                return key
        return None

    def is_safe(self, key: tuple, limit: int) -> bool:
        """Whether one figure's integer range is at least `limit` wide (two solves at most)."""
        seen = {k: (self.exact[j], self.exact[j]) for k, j in self.names.items()}
        self._widen(key, limit, seen, self._problem())
        lo, hi = seen[key]
        return hi - lo >= limit

    def _widen(self, key: tuple, limit: int, seen: dict, problem) -> None:
        """Minimise then maximise `key`, recording every figure's values in the solutions."""
        import numpy as np
        from scipy.optimize import milp

        constraints, bounds, n = problem
        keys = list(self.names)
        j = self.names[key]
        for sign in (1, -1):
            lo, hi = seen[key]
            if hi - lo >= limit:
                return
            objective = np.zeros(n)
            objective[j] = sign
            result = milp(objective, constraints=constraints, bounds=bounds, integrality=1)
            if result.status == 2:
                raise Inconsistent(f"No figures satisfy the reader's view ({key}).")
            if result.status != 0:
                continue
            for i, value in enumerate(result.x):
                a, b = seen[keys[i]]
                seen[keys[i]] = (min(a, round(value)), max(b, round(value)))

    def unsafe(self, limit: int) -> list[tuple]:
        """Every target whose integer range is narrower than `limit`."""
        memory: dict = {}
        found = []
        while (key := self.first_unsafe(limit, memory)) is not None:
            found.append(key)
            memory["safe"].add(key)  # not safe: set aside to look at the others
        return found


def add_report(view: ReaderView, name: str, report: dict, figures: dict) -> None:
    """The figures of one report and the relations inside it."""
    recoded = report["recoding"]

    def table(path: tuple, exact: dict, published: dict, total_key: tuple | None, kind="sum"):
        groups = recoded.get(".".join(path))
        merged = (
            {c for m in groups["groups"].values() if len(m) > 1 for c in m} if groups else set()
        )
        keys = []
        for code, value in exact.items():
            key = (name, *path, code)
            view.atom(key, value, published[code], merged=code in merged)
            keys.append(key)
        if total_key is not None:
            view.equal(keys, [total_key])
        if groups:
            for group, members in groups["groups"].items():
                if len(members) == 1:
                    continue
                member_keys = [(name, *path, c) for c in members]
                gkey = (name, *path, "group", group)
                if kind == "sum":
                    view.atom(gkey, sum(exact[c] for c in members), groups["values"][group])
                    view.equal(member_keys, [gkey])
                else:  # distinct cases: between the largest member and their sum
                    view.atom(gkey, figures["domain_groups"][group], groups["values"][group])
                    for k in member_keys:
                        view.at_most([k], [gkey])
                    view.at_most([gkey], member_keys)

    followed = (name, "employees_followed")
    view.atom(followed, figures["employees_followed"], report["employees_followed"])
    for part in measure.PROFILE_PARTS:
        table(("profile", part), figures["profile"][part], report["profile"][part], followed)
    for key in figures["cases"]:
        view.atom((name, "cases", key), figures["cases"][key], report["cases"][key])
    for part, breakdown in EVENT_TABLES:
        total = (name, part, "total")
        view.atom(total, figures[part]["total"], report[part]["total"])
        table((part, breakdown), figures[part][breakdown], report[part][breakdown], total)
    table(("domains",), figures["domains"], report["domains"], None, kind="distinct")


def link(view: ReaderView, pooled: str, years: list[str], figures: dict) -> None:
    """Relations between the pooled report and the yearly ones (module docstring)."""
    last = years[-1]
    for y in years:
        view.at_most([(y, "employees_followed")], [(pooled, "employees_followed")])
    view.at_most([(pooled, "employees_followed")], [(y, "employees_followed") for y in years])
    for part, codes in figures["profile"].items():
        for code in codes:
            view.at_most(
                [(pooled, "profile", part, code)], [(y, "profile", part, code) for y in years]
            )
    for key in ("opened", "closed"):
        view.equal([(pooled, "cases", key)], [(y, "cases", key) for y in years])
    view.equal([(pooled, "cases", "open_at_year_end")], [(last, "cases", "open_at_year_end")])
    for part, breakdown in EVENT_TABLES:
        view.equal([(pooled, part, "total")], [(y, part, "total") for y in years])
        for code in figures[part][breakdown]:
            view.equal(
                [(pooled, part, breakdown, code)], [(y, part, breakdown, code) for y in years]
            )
    for code in figures["domains"]:
        for y in years:
            view.at_most([(y, "domains", code)], [(pooled, "domains", code)])
        view.at_most([(pooled, "domains", code)], [(y, "domains", code) for y in years])


# --- The pooled report -------------------------------------------------------------------


def _hide(report: dict, key: tuple) -> None:
    """Suppress one pooled figure given by its reader-view key."""
    path = key[1:]
    if "group" in path:
        at = path.index("group")
        table = ".".join(path[:at])
        report["recoding"][table]["values"][path[at + 1]] = None
        report["suppressed"].append(f"recoding.{table}.values.{path[at + 1]}")
        return
    container = report
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = None
    report["suppressed"].append(".".join(path))
    if path == ("employees_followed",) and report["share_followed"] is not None:
        report["share_followed"] = None
        report["suppressed"].append("share_followed")


def _show(report: dict, key: tuple, value: int) -> None:
    """Publish a pooled figure the other published figures already determine."""
    path = key[1:]
    if "group" in path:
        at = path.index("group")
        table = ".".join(path[:at])
        report["recoding"][table]["values"][path[at + 1]] = value
        report["suppressed"].remove(f"recoding.{table}.values.{path[at + 1]}")
        return
    container = report
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = value
    report["suppressed"].remove(".".join(path))


def build_view(pooled: tuple[dict, dict] | None, yearly: list[tuple[dict, dict]]) -> ReaderView:
    view = ReaderView()
    names = [str(report["year"]) for report, _ in yearly]
    for (report, figures), name in zip(yearly, names, strict=True):
        add_report(view, name, report, figures)
    if pooled is not None:
        add_report(view, "pooled", *pooled)
        link(view, "pooled", names, pooled[1])
    return view


def protect_linked(pooled: tuple[dict, dict], yearly: list[tuple[dict, dict]]) -> list[tuple]:
    """Hide pooled figures until no hidden figure of the four reports is narrowed, then
    publish again those a later suppression made unnecessary (`_give_back`).

    Returns the hidden figures that were already too narrow in the yearly reports alone
    (none expected: each yearly report is protected on its own), which pooling ignores.
    """
    report, _ = pooled
    limit = report["disclosure_control"]["threshold"]
    try:
        already = set(build_view(None, yearly).unsafe(limit))
    except Inconsistent:  # cannot reason about it: publish nothing pooled
        already = set()
    memory: dict = {"safe": set(already)}
    hidden: dict[tuple, int] = {}  # what the linking hid, with its value
    while True:
        view = build_view(pooled, yearly)
        try:
            target = view.first_unsafe(limit, memory)
            consistent = True
        except Inconsistent:
            target, consistent = ("pooled", "employees_followed"), False
        if target is None:
            break
        lo, hi = memory["seen"].get(target, (None, None))
        if (
            consistent
            and target[0] == "pooled"
            and target not in view.merged
            and lo is not None
            and lo == hi
            and not disclosure.is_sensitive(lo, limit)
        ):
            # Determined by what is published (the years, say): hiding it protects nothing.
            _show(report, target, lo)
            memory["safe"].add(target)
            hidden.pop(target, None)
            continue
        choice = _unlocking(view, target, limit if consistent else None)
        if choice is None:
            return sorted(already)
        hidden[choice] = view.lower[view.names[choice]]
        _hide(report, choice)
    _give_back(pooled, yearly, hidden, already)
    return sorted(already)


def _table(key: tuple) -> tuple:
    """The table a reader-view key belongs to, without the report's name: ("profile",
    "status") for a status cell or group, ("employees_followed",) for the total."""
    path = key[1:]
    if "group" in path:
        return path[: path.index("group")]
    return path[:-1] or path


def _unlocking(view: ReaderView, target: tuple, limit: int | None) -> tuple | None:
    """The published pooled figure to hide for `target`: among the figures of its table
    (then of its part, then all), the smallest whose hiding alone makes the target safe,
    else (or when the view cannot be solved, `limit` None) the smallest of the nearest."""
    candidates = [
        key
        for key, j in view.names.items()
        if key[0] == "pooled" and view.lower[j] == view.upper[j] and view.lower[j] > 0
    ]
    if not candidates:
        return None
    table = _table(target)
    tiers = [
        [k for k in candidates if _table(k) == table],
        [k for k in candidates if k[1] == target[1] or k[1] == "employees_followed"],
        candidates,
    ]
    near = sorted(
        next(tier for tier in tiers if tier), key=lambda k: (view.lower[view.names[k]], str(k))
    )
    if limit is None:
        return near[0]
    for key in near:
        j = view.names[key]
        value = view.lower[j]
        view.lower[j], view.upper[j] = 1, FAR
        try:
            unlocks = view.is_safe(target, limit)
        finally:
            view.lower[j] = view.upper[j] = value
        if unlocks:
            return key
    return near[0]


def _give_back(pooled: tuple[dict, dict], yearly, hidden: dict[tuple, int], already: set):
    """Publish again, the largest first, each pooled figure the linking hid that the view
    no longer needs hidden (a later suppression may have protected its target too)."""
    report, _ = pooled
    limit = report["disclosure_control"]["threshold"]
    for key in sorted(hidden, key=lambda k: (-hidden[k], str(k))):
        _show(report, key, hidden[key])
        try:
            unsafe = build_view(pooled, yearly).first_unsafe(limit, {"safe": set(already)})
        except Inconsistent:
            unsafe = key
        if unsafe is not None:
            _hide(report, key)


def pooled_report(year: int, scope: Scope) -> tuple[dict, dict]:
    """The controlled three-year report ending with `year`, and its exact figures."""
    from polesocial.reports.report import assemble, raw_figures

    figures = pooled_figures(year, scope)
    report = assemble(year, scope.as_json(), figures, controlled=True)
    years = period(year)
    report["pooled"] = {"first_year": years[0], "last_year": year}
    yearly = []
    for y in years:
        exact = raw_figures(y, scope)
        yearly.append((assemble(y, scope.as_json(), exact, controlled=True), exact))
    protect_linked((report, figures), yearly)
    return report, figures


# --- The measure over every employer (measure.py gives the share of one report) ----------


def employer_shares(year: int, *, pooled: bool = False):
    """Yield (employer, exact figures, share, whether pooled) for every employer's controlled
    report of `year` (measure.py gives the share of one report).

    With `pooled`, an employer whose year publishes less than half of its person cells is
    measured on the three-year pooled report its page offers instead.
    """
    from polesocial.organisations.models import Employer
    from polesocial.reports.queries import resolve_scope
    from polesocial.reports.report import assemble, raw_figures

    for employer in Employer.objects.order_by("pk"):
        scope = resolve_scope("employer", employer.pk)
        figures = raw_figures(year, scope)
        report = assemble(year, scope.as_json(), figures, controlled=True)
        offered = pooled and offers_pooled(report, figures)
        if offered:
            report, figures = pooled_report(year, scope)
        yield employer, figures, measure.report_share(report, figures), offered


def employer_reports_share(year: int, *, pooled: bool = False) -> measure.Share:
    """The share over the controlled reports of every employer for `year` (employer_shares)."""
    total = measure.Share()
    for _, _, share, _ in employer_shares(year, pooled=pooled):
        total.merge(share)
    return total
