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
        "profile": queries.profile(year, scope),
        "orientations": queries.orientations(year, scope),
        "collective_actions": queries.collective_actions(year, scope),
        "hours": queries.hours(year, scope),
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
            )
            if key in figures
        },
        "recoding": {},
        "suppressed": [],
    }
    if controlled:
        control(report)
    return report


def build_report(year: int, scope: Scope, *, controlled: bool) -> dict:
    report = assemble(year, scope.as_json(), raw_figures(year, scope), controlled=controlled)
    # Aid amounts, under the dominance rule when controlled (dominance.py).
    report["aid"], hidden = dominance.aid_section(year, scope, controlled=controlled)
    report["suppressed"] += hidden
    return report


def control(report: dict) -> None:
    """Apply primary and secondary suppression in place (README.md, "Secret statistique")."""
    limit = report["disclosure_control"]["threshold"]
    suppressed: list[str] = []

    def hide(container: dict, key: str, path: str) -> None:
        if container[key] is not None:
            container[key] = None
            suppressed.append(path)

    if disclosure.is_sensitive(report["headcount"], limit):
        hide(report, "headcount", "headcount")

    # The profile tables share one total: the employees followed. Each is published at the
    # finest grouping that loses no cell (recoding.py), its suppression chosen at that level.
    followed = report["employees_followed"]
    total_published = not disclosure.is_sensitive(followed, limit)
    profile = report["profile"]

    def choices(published: bool) -> dict:
        return {
            part: recoding.choose(
                profile[part],
                part,
                lambda table: disclosure.protect_1d(table, published, limit),
            )
            for part in PROFILE_PARTS
        }

    chosen = choices(total_published)
    if any(choice is None for choice in chosen.values()):
        total_published = False
        chosen = choices(False)
    if not total_published:
        hide(report, "employees_followed", "employees_followed")
    for part in PROFILE_PARTS:
        level, hidden = chosen[part]
        values = recoding.grouped(profile[part], level)
        for group, members in level.items():
            if len(members) == 1 and group == members[0]:
                if group in hidden:
                    hide(profile[part], group, f"profile.{part}.{group}")
                continue
            if values[group] == 0:  # an empty group: its members are published zeros
                continue
            for code in members:  # merged: the fine cells are not published, zeros too
                hide(profile[part], code, f"profile.{part}.{code}")
        if not recoding.is_fine(level):
            published = {g: (None if g in hidden else v) for g, v in values.items()}
            report["recoding"][f"profile.{part}"] = {"groups": level, "values": published}
            suppressed.extend(f"recoding.profile.{part}.values.{g}" for g in level if g in hidden)

    if report["employees_followed"] is None or report["headcount"] is None:
        hide(report, "share_followed", "share_followed")

    for key in report["cases"]:
        if disclosure.is_sensitive(report["cases"][key], limit):
            hide(report["cases"], key, f"cases.{key}")

    for part, breakdown in TOTAL_TABLES:
        table = report[part]
        total_published = not disclosure.is_sensitive(table["total"], limit)
        cells = disclosure.protect_1d(table[breakdown], total_published, limit)
        if cells is None:
            total_published = False
            cells = disclosure.protect_1d(table[breakdown], False, limit)
        if not total_published:
            hide(table, "total", f"{part}.total")
        for code in table[breakdown]:
            if code in cells:
                hide(table[breakdown], code, f"{part}.{breakdown}.{code}")

    # Cases per domain do not add up (a case can have several domains): primary only.
    for code, value in report["domains"].items():
        if disclosure.is_sensitive(value, limit):
            hide(report["domains"], code, f"domains.{code}")

    report["suppressed"] = suppressed


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
