"""The annual report as JSON (schema `polesocial.annual_report/1`, see README.md).

`build_report(year, scope, controlled=...)` runs the aggregate queries (queries.py) and,
for a report that leaves the social service (an employer's, anything an employer contact
sees), applies the disclosure control (disclosure.py): suppressed cells are `null` and
their JSON paths are listed in `suppressed`.
"""

from __future__ import annotations

import copy

from polesocial.reports import disclosure, dominance, queries, recoding
from polesocial.reports.queries import Scope

SCHEMA = "polesocial.annual_report/1"
PROFILE_PARTS = ("status", "category", "family_situation", "age")
# Parts made of a total and a breakdown that adds up to it.
TOTAL_TABLES = (
    ("interviews", "by_place"),
    ("referrals", "by_source"),
    ("orientations", "by_result"),
)


def raw_figures(year: int, scope: Scope) -> dict:
    """Exact counts of the scope for the year (the parts of the report that are figures)."""
    counts = queries.case_counts(year, scope)
    figures = {
        "headcount": queries.headcount(year, scope),
        "employees_followed": counts["followed"],
        "cases": {key: counts[key] for key in ("opened", "closed", "open_at_year_end")},
        "interviews": queries.interviews(year, scope),
        "referrals": queries.referrals(year, scope),
        "domains": queries.domains(year, scope),
        "domain_groups": queries.domain_groups(year, scope),
        "profile": queries.profile(year, scope),
        "orientations": queries.orientations(year, scope),
        "collective_actions": queries.collective_actions(year, scope),
        "hours": queries.hours(year, scope),
        "appointments": queries.appointments(year, scope),
    }
    return figures


def share(followed: int | None, headcount: int | None) -> float | None:
    if followed is None or not headcount:
        return None
    return round(followed / headcount, 4)


def assemble(year: int, scope: dict, figures: dict, *, controlled: bool) -> dict:
    """The report from exact figures, with the disclosure control applied when asked."""
    figures = copy.deepcopy(figures)
    report = {
        "schema": SCHEMA,
        "year": year,
        "scope": scope,
        "disclosure_control": {"applied": controlled, "threshold": disclosure.threshold()},
        "headcount": figures["headcount"],
        "employees_followed": figures["employees_followed"],
        "share_followed": share(figures["employees_followed"], figures["headcount"]),
        **{
            key: figures[key]
            for key in (
                "cases",
                "interviews",
                "referrals",
                "domains",
                "profile",
                "orientations",
                "collective_actions",
                "hours",
                "appointments",
            )
            if key in figures
        },
        "recoding": {},
        "suppressed": [],
    }
    if controlled:
        control(report, figures.get("domain_groups"))
    return report


def build_report(year: int, scope: Scope, *, controlled: bool) -> dict:
    report = assemble(year, scope.as_json(), raw_figures(year, scope), controlled=controlled)
    return with_aid(report, year, scope, controlled=controlled)


def with_aid(report: dict, year: int, scope: Scope, *, controlled: bool) -> dict:
    """Add the aid amounts, under the dominance rule when controlled (dominance.py)."""
    report["aid"], hidden = dominance.aid_section(year, scope, controlled=controlled)
    report["suppressed"] += hidden
    return report


# Breakdowns with a total recoded by a hierarchy (recoding.LEVELS); the others stay fine.
RECODED_BREAKDOWNS = {"referrals": "source"}


def control(report: dict, domain_groups: dict | None = None) -> None:
    """Apply primary and secondary suppression in place (README.md, "Secret statistique").

    `domain_groups`: distinct cases per merged domain group (queries.domain_groups); without
    them (a figures file from before) the domains stay fine.
    """
    limit = report["disclosure_control"]["threshold"]
    suppressed: list[str] = []

    def hide(container: dict, key: str, path: str) -> None:
        if container[key] is not None:
            container[key] = None
            suppressed.append(path)

    def publish(container: dict, path: str, level, hidden, values: dict) -> None:
        """One level of a breakdown: its fine cells, or its groups under `recoding`."""
        for group, members in level.items():
            if len(members) == 1 and group == members[0]:
                if group in hidden:
                    hide(container, group, f"{path}.{group}")
                continue
            if values[group] == 0:  # an empty group: its members are published zeros
                continue
            for code in members:  # merged: the fine cells are not published, zeros too
                hide(container, code, f"{path}.{code}")
        if not recoding.is_fine(level):
            published = {g: (None if g in hidden else v) for g, v in values.items()}
            report["recoding"][path] = {"groups": level, "values": published}
            suppressed.extend(f"recoding.{path}.values.{g}" for g in level if g in hidden)

    if disclosure.is_sensitive(report["headcount"], limit):
        hide(report, "headcount", "headcount")

    # The profile tables share one total: the employees followed. Each is published at the
    # finest grouping that loses no cell (recoding.py), its suppression chosen at that level;
    # the total is withheld when that lets more cells be published (profile_choices).
    profile = report["profile"]
    total_published, chosen = profile_choices(
        profile, report["employees_followed"], report["headcount"], limit
    )
    if not total_published:
        hide(report, "employees_followed", "employees_followed")
        headcount = report["headcount"]
        if headcount is not None and headcount - lowest_total(chosen, profile) < limit:
            # The headcount bounds the withheld total too closely (a dozen employees, a
            # few followed): withheld too, whoever reads the report.
            hide(report, "headcount", "headcount")
    for part in PROFILE_PARTS:
        level, hidden = chosen[part]
        values = recoding.grouped(profile[part], level)
        publish(profile[part], f"profile.{part}", level, hidden, values)

    if report["employees_followed"] is None or report["headcount"] is None:
        hide(report, "share_followed", "share_followed")

    for key in report["cases"]:
        if disclosure.is_sensitive(report["cases"][key], limit):
            hide(report["cases"], key, f"cases.{key}")

    for part, breakdown in TOTAL_TABLES:
        table = report[part]
        fine = dict(table[breakdown])
        hierarchy = RECODED_BREAKDOWNS.get(part, part)
        total_published = not disclosure.is_sensitive(table["total"], limit)

        def protect(published):
            return lambda values: disclosure.protect_1d(values, published, limit)

        choice = recoding.choose(fine, hierarchy, protect(total_published))
        if choice is None:
            total_published = False
            choice = recoding.choose(fine, hierarchy, protect(False))
        if not total_published:
            hide(table, "total", f"{part}.total")
        level, hidden = choice or ({code: [code] for code in fine}, set(fine))
        publish(
            table[breakdown], f"{part}.{breakdown}", level, hidden, recoding.grouped(fine, level)
        )

    # Cases per domain do not add up (a case can have several domains): primary only. A
    # group counts distinct cases; published from 12 (threshold + 1), so that a member
    # hidden elsewhere (the observation's trend) keeps a range of 11 within it.
    fine = dict(report["domains"])
    merged = recoding.domain_groups()

    def table_of(level):
        if recoding.is_fine(level) or domain_groups is None:
            return recoding.grouped(fine, level)
        return {g: fine[m[0]] if len(m) == 1 else domain_groups[g] for g, m in level.items()}

    def protect_domains(values):
        return {g for g, v in values.items() if disclosure.is_sensitive(v, limit + (g in merged))}

    if domain_groups is None:
        level = recoding.levels("domain", fine)[0]
        hidden = protect_domains(fine)
    else:
        level, hidden = recoding.choose(fine, "domain", protect_domains, table_of) or (
            recoding.levels("domain", fine)[0],
            protect_domains(fine),
        )
    publish(report["domains"], "domains", level, hidden, table_of(level))

    # Cancelled and missed appointments: two counts without a published total, primary only.
    for code, value in report.get("appointments", {}).items():
        if disclosure.is_sensitive(value, limit):
            hide(report["appointments"], code, f"appointments.{code}")

    report["suppressed"] = suppressed


def _cells(chosen: dict, profile: dict) -> tuple[int, int]:
    """(hidden, published) non-zero groups of the profile tables' choices."""
    hidden_count = published_count = 0
    for part, (level, hidden) in chosen.items():
        values = recoding.grouped(profile[part], level)
        for group, value in values.items():
            if value:
                hidden_count += group in hidden
                published_count += group not in hidden
    return hidden_count, published_count


def lowest_total(chosen: dict, profile: dict) -> int:
    """The least total a reader infers from the tables' choices with the total withheld:
    the largest table's published groups plus one per hidden non-zero group."""
    lowest = 0
    for part, (level, hidden) in chosen.items():
        values = recoding.grouped(profile[part], level)
        shown = sum(v for g, v in values.items() if g not in hidden)
        lowest = max(lowest, shown + sum(1 for g in hidden if values[g]))
    return lowest


def _prefer_total(published: dict, withheld: dict, profile: dict) -> bool:
    """Whether to publish the total: when that hides fewer non-zero cells (the total
    counted among the withheld choice's hidden ones), or as few and publishes as many."""
    hidden_with, shown_with = _cells(published, profile)
    hidden_without, shown_without = _cells(withheld, profile)
    hidden_without += 1
    if hidden_with != hidden_without:
        return hidden_with < hidden_without
    return shown_with + 1 >= shown_without


def profile_choices(
    profile: dict, followed: int, headcount: int | None, limit: int
) -> tuple[bool, dict]:
    """Whether `employees_followed` is published, and each profile table's (level, hidden).

    With the total published, each table is protected under it (disclosure.protect_1d). With
    it withheld, a table hides its primary cells, or its smallest non-zero group when it has
    none (a table published whole would give the total away). The reader then knows the
    total T lies in [lo, hi]: lo, the largest of a table's published groups plus one per
    hidden group; hi, the published headcount (T cannot exceed it) or unbounded. A hidden
    group alone in its table ranges over [lo - P, hi - P], two or more over [1, hi - P - k
    + 1] (P: the table's published groups, k: its hidden ones): all are safe when
    hi - lo >= threshold. The total is withheld only when that hides fewer non-zero cells
    (or as few, and publishes more), or when it cannot be published.
    """

    def with_total(table):
        return disclosure.protect_1d(table, True, limit)

    def without_total(table):
        primary = disclosure.protect_1d(table, False, limit)
        if primary or not any(table.values()):
            return primary
        return {min((g for g, v in table.items() if v), key=lambda g: (table[g], g))}

    def choose(protect) -> dict | None:
        chosen = {part: recoding.choose(profile[part], part, protect) for part in PROFILE_PARTS}
        return None if any(c is None for c in chosen.values()) else chosen

    published = None if disclosure.is_sensitive(followed, limit) else choose(with_total)
    if not followed and published is not None:
        return True, published
    withheld = choose(without_total)
    if withheld is not None and headcount is not None:
        if headcount - lowest_total(withheld, profile) < limit:
            withheld = None
    if published is not None and (withheld is None or _prefer_total(published, withheld, profile)):
        return True, published
    if withheld is not None:
        return False, withheld
    # Neither protects (the headcount bounds the withheld total too closely, or is below
    # it): the total withheld, each table at its primary cells, or its smallest non-zero
    # group when it has none — a table published whole would give the total away.
    fallback = {part: recoding.choose(profile[part], part, without_total) for part in PROFILE_PARTS}
    return False, fallback


def merge_figures(many: list[dict]) -> dict:
    """Exact figures of several reports added up (federation: the union of operators)."""

    def add(a, b):
        if isinstance(a, dict):
            return {key: add(a.get(key), b.get(key)) for key in {**a, **b}}
        if a is None:
            return b
        if b is None:
            return a
        return a + b

    merged: dict = {}
    for figures in many:
        merged = add(merged, figures) if merged else copy.deepcopy(figures)
    return merged
