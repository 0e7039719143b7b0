"""Global recoding before suppression: a breakdown (profile, referral sources, domains)
published with adjacent categories merged when its fine table would lose cells (README.md,
"Regroupements").

Each breakdown has levels, from the finest (every code its own group) to coarser ones; a
level maps group codes to the fine codes they merge. Levels need not nest (ages cut at 35,
45 or 55; stagiaires grouped with titulaires or with contractuels): each is a partition of
the table's codes, only one is published, and the protection tests offer each level alone
(tests/reports/test_recoding.py). For each table, the control keeps the
finest level whose suppression hides no non-zero cell, else the level that publishes the
most non-zero cells (on a tie, the one that hides fewer, then the finer). Only one level of
a table is published: the fine cells of a merged group are null (zeros too, unless the
group is 0), so nothing can be differenced between levels.

Referral sources and domains are grouped by a documented hierarchy (SOURCE_LEVELS,
DOMAIN_LEVELS): who asked (the employee, the employer's side, prevention and medico-social
services, the operator's services), and what the case is about (working life, health,
material life, family). A domain group counts the distinct cases having at least one of
its domains (queries.domain_groups), not the sum of its cells.
"""

from __future__ import annotations

from collections.abc import Mapping

Level = dict[str, list[str]]  # group code -> fine codes it merges (in order)

LEVELS: dict[str, list[Level]] = {
    "age": [
        {
            "under_25": ["under_25"],
            "25_34": ["25_34"],
            "35_44": ["35_44"],
            "45_54": ["45_54"],
            "55_and_over": ["55_and_over"],
        },
        {
            "under_35": ["under_25", "25_34"],
            "35_44": ["35_44"],
            "45_54": ["45_54"],
            "55_and_over": ["55_and_over"],
        },
        {
            "under_35": ["under_25", "25_34"],
            "35_54": ["35_44", "45_54"],
            "55_and_over": ["55_and_over"],
        },
        {
            "under_35": ["under_25", "25_34"],
            "35_44": ["35_44"],
            "45_and_over": ["45_54", "55_and_over"],
        },
        {"under_35": ["under_25", "25_34"], "35_and_over": ["35_44", "45_54", "55_and_over"]},
        {"under_45": ["under_25", "25_34", "35_44"], "45_and_over": ["45_54", "55_and_over"]},
        {"under_55": ["under_25", "25_34", "35_44", "45_54"], "55_and_over": ["55_and_over"]},
    ],
    "category": [
        {"A": ["A"], "B": ["B"], "C": ["C"]},
        {"A_B": ["A", "B"], "C": ["C"]},
    ],
    "family_situation": [
        {
            "single": ["single"],
            "couple": ["couple"],
            "single_parent": ["single_parent"],
            "other": ["other"],
        },
        {
            "single": ["single"],
            "single_parent": ["single_parent"],
            "couple_other": ["couple", "other"],
        },
        {"without_partner": ["single", "single_parent"], "couple_other": ["couple", "other"]},
    ],
    "status": [
        {"titulaire": ["titulaire"], "stagiaire": ["stagiaire"], "contractuel": ["contractuel"]},
        {"titulaire_stagiaire": ["titulaire", "stagiaire"], "contractuel": ["contractuel"]},
        {"titulaire": ["titulaire"], "stagiaire_contractuel": ["stagiaire", "contractuel"]},
    ],
}

SOURCE_LEVELS: list[Level] = [
    {
        code: [code]
        for code in (
            "employee",
            "employer_hr",
            "line_manager",
            "occupational_health",
            "operator_service",
            "external_medico_social",
            "elected_official",
            "mobility_adviser",
        )
    },
    {
        "employee": ["employee"],
        "employer_side": ["employer_hr", "line_manager", "elected_official"],
        "prevention_medico_social": ["occupational_health", "external_medico_social"],
        "operator_side": ["operator_service", "mobility_adviser"],
    },
    {
        "employee": ["employee"],
        "employer_side": ["employer_hr", "line_manager", "elected_official"],
        "services": [
            "occupational_health",
            "external_medico_social",
            "operator_service",
            "mobility_adviser",
        ],
    },
    {
        "employee": ["employee"],
        "not_employee": [
            "employer_hr",
            "line_manager",
            "elected_official",
            "occupational_health",
            "external_medico_social",
            "operator_service",
            "mobility_adviser",
        ],
    },
]

DOMAIN_LEVELS: list[Level] = [
    {
        code: [code]
        for code in (
            "work",
            "health",
            "budget",
            "family",
            "housing",
            "administrative",
            "disability",
            "retirement",
            "violence",
            "addiction",
            "other",
        )
    },
    {
        "working_life": ["work", "disability", "retirement"],
        "health_group": ["health", "addiction", "violence"],
        "material_life": ["budget", "housing", "administrative"],
        "family_other": ["family", "other"],
    },
    {
        "work_health": ["work", "disability", "retirement", "health", "addiction", "violence"],
        "personal_life": ["budget", "housing", "administrative", "family", "other"],
    },
]
LEVELS["source"] = SOURCE_LEVELS
LEVELS["domain"] = DOMAIN_LEVELS


def domain_groups() -> dict[str, list[str]]:
    """Every merged domain group of the hierarchy (the groups queries.domain_groups counts)."""
    return {g: m for level in DOMAIN_LEVELS[1:] for g, m in level.items() if len(m) > 1}


GROUP_LABELS = {
    "employer_side": "L'employeur (RH, encadrement, élus)",
    "prevention_medico_social": "La prévention et les services médico-sociaux",
    "operator_side": "Les services de l'opérateur (dont la conseillère mobilité)",
    "services": "La prévention, les services médico-sociaux et ceux de l'opérateur",
    "not_employee": "Un tiers (employeur, prévention, services)",
    "working_life": "Vie professionnelle (travail, handicap, retraite)",
    "health_group": "Santé, addictions, violences",
    "material_life": "Vie matérielle (budget, logement, démarches)",
    "family_other": "Famille et autres",
    "work_health": "Travail et santé",
    "personal_life": "Vie personnelle et matérielle",
    "under_35": "Moins de 35 ans",
    "35_54": "35 à 54 ans",
    "35_and_over": "35 ans et plus",
    "45_and_over": "45 ans et plus",
    "under_45": "Moins de 45 ans",
    "under_55": "Moins de 55 ans",
    "55_and_over": "55 ans et plus",
    "A_B": "Catégories A et B",
    "C": "Catégorie C",
    "titulaire_stagiaire": "Titulaires et stagiaires",
    "contractuel": "Contractuels",
    "stagiaire_contractuel": "Stagiaires et contractuels (non titulaires)",
    "without_partner": "Sans conjoint (seuls, familles monoparentales)",
    "couple_other": "En couple ou autre situation",
}


def levels(part: str, codes) -> list[Level]:
    """The levels of a breakdown, the finest first (a breakdown without any, or whose codes
    are not the hierarchy's: its codes alone)."""
    found = LEVELS.get(part)
    if found and set(codes) == {c for members in found[0].values() for c in members}:
        return found
    return [{code: [code] for code in codes}]


def is_fine(level: Level) -> bool:
    return all(members == [group] for group, members in level.items())


def grouped(values: Mapping[str, int], level: Level) -> dict[str, int]:
    return {group: sum(values[code] for code in members) for group, members in level.items()}


def choose(
    values: Mapping[str, int], part: str, protect, table_of=None
) -> tuple[Level, set[str]] | None:
    """The level to publish and its suppressed groups; None if no level can be protected.

    `protect(grouped_values)` is the one-dimensional suppression (disclosure.protect_1d with
    the table's total and threshold): a set of groups, or None when it cannot keep the total.
    `table_of(level)` gives a level's group values when they are not the sums of their cells
    (domains: distinct cases).
    """
    best = None
    for rank, level in enumerate(levels(part, values)):
        table = table_of(level) if table_of else grouped(values, level)
        hidden = protect(table)
        if hidden is None:
            continue
        lost = sum(1 for group in hidden if table[group] > 0)
        if lost == 0:
            return level, hidden
        published = sum(1 for group, value in table.items() if value > 0 and group not in hidden)
        score = (published, -lost, -rank)
        if best is None or score > best[0]:
            best = (score, level, hidden)
    return None if best is None else (best[1], best[2])
