"""The report's figures as labelled tables (French), shared by the page and the exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from polesocial.casework.enums import (
    Domain,
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    InterviewPlace,
    OrientationResult,
    ReferralSource,
)
from polesocial.reports.recoding import GROUP_LABELS

AGE_LABELS = {
    "under_25": "Moins de 25 ans",
    "25_34": "25 à 34 ans",
    "35_44": "35 à 44 ans",
    "45_54": "45 à 54 ans",
    "55_and_over": "55 ans et plus",
}
CASE_LABELS = {
    "opened": "Dossiers ouverts dans l'année",
    "closed": "Dossiers clos dans l'année",
    "open_at_year_end": "Dossiers en cours au 31 décembre",
}
SCOPE_LABELS = {"operator": "Opérateur", "employer": "Employeur", "team": "Équipe", "worker": "ASS"}

DEFINITIONS = [
    (
        "Agents suivis",
        "agents distincts ayant eu un dossier ouvert à un moment de l'année "
        "(ouvert au plus tard le 31 décembre, non clos avant le 1er janvier).",
    ),
    (
        "Effectif",
        "somme des effectifs de l'année des employeurs du périmètre : pour l'opérateur, les "
        "employeurs ayant une convention active dans l'année ; pour une ASS ou une équipe, "
        "les employeurs où elles ont une quote-part d'ETP cette année-là.",
    ),
    (
        "Part des agents suivis",
        "agents suivis ÷ effectif ; non publiée si l'un des deux est masqué.",
    ),
    (
        "Profil",
        "agents suivis distincts, d'après la photographie de leur dernière ouverture de "
        "dossier ; âge au 31 décembre.",
    ),
    (
        "Domaines",
        "dossiers suivis dans l'année par domaine ; un dossier peut en avoir plusieurs.",
    ),
    (
        "Secret statistique",
        "dans un bilan qui sort du service social (employeur), un effectif de 1 à 10 n'est "
        "pas publié (« s »), ainsi que le moins possible d'autres cases pour qu'il ne puisse "
        "être retrouvé par différence ; un tableau du profil qui perdrait des cases est "
        "publié avec des modalités voisines regroupées (indiqué sous le tableau) ; les "
        "origines des saisines et les domaines sont regroupés selon une hiérarchie fixe "
        "(un domaine regroupé compte les dossiers ayant au moins un de ses domaines).",
    ),
]


@dataclass
class Table:
    key: str
    title: str
    rows: list[tuple[str, str, int | float | Decimal | None, str]] = field(default_factory=list)
    total: int | Decimal | None | bool = False  # False: no total row
    unit: str = ""
    note: str = ""  # how the categories were merged, when the table is recoded

    @property
    def chart_rows(self):
        return [(label, value) for _, label, value, _ in self.rows]


def group_label(group: str, labels: dict) -> str:
    return labels.get(group) or GROUP_LABELS.get(group, group)


def recoding_note(groups: dict, labels: dict) -> str:
    merged = [
        f"{group_label(g, labels)} ({' + '.join(labels[c] for c in members)})"
        for g, members in groups.items()
        if len(members) > 1
    ]
    return (
        "Catégories regroupées pour que plus de cases soient publiées sans rompre le secret "
        "statistique : " + " ; ".join(merged) + "."
    )


def percent(part: int | None, whole: int | None, digits: int = 0) -> str:
    if part is None or not whole:
        return "—"
    value = 100 * part / whole
    text = f"{value:.{digits}f}".replace(".", ",")
    return f"{text} %"


def _sum(values) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def tables(report: dict) -> list[Table]:
    followed = report["employees_followed"]
    result = [
        Table(
            "cases",
            "Dossiers",
            [(k, CASE_LABELS[k], v, "") for k, v in report["cases"].items()],
        )
    ]
    profile = report["profile"]
    for key, title, labels in (
        ("status", "Statut des agents suivis", dict(EmploymentStatus.choices)),
        ("category", "Catégorie des agents suivis", dict(GradeCategory.choices)),
        (
            "family_situation",
            "Situation familiale des agents suivis",
            dict(FamilySituation.choices),
        ),
        ("age", "Âge des agents suivis au 31 décembre", AGE_LABELS),
    ):
        recoded = report.get("recoding", {}).get(f"profile.{key}")
        if recoded:
            values = recoded["values"]
            result.append(
                Table(
                    f"profile.{key}",
                    title,
                    [
                        (g, group_label(g, labels), v, percent(v, followed))
                        for g, v in values.items()
                    ],
                    total=followed,
                    note=recoding_note(recoded["groups"], labels),
                )
            )
            continue
        result.append(
            Table(
                f"profile.{key}",
                title,
                [(c, labels[c], v, percent(v, followed)) for c, v in profile[key].items()],
                total=followed,
            )
        )
    domains = dict(Domain.choices)
    recoded = report.get("recoding", {}).get("domains")
    result.append(
        Table(
            "domains",
            "Domaines d'intervention (dossiers)",
            [(g, group_label(g, domains), v, "") for g, v in recoded["values"].items()]
            if recoded
            else [(c, domains[c], v, "") for c, v in report["domains"].items()],
            note=recoding_note(recoded["groups"], domains) if recoded else "",
        )
    )
    for key, breakdown, title, labels in (
        ("interviews", "by_place", "Entretiens par lieu", dict(InterviewPlace.choices)),
        ("referrals", "by_source", "Saisines par origine", dict(ReferralSource.choices)),
        ("orientations", "by_result", "Orientations par résultat", dict(OrientationResult.choices)),
    ):
        part = report[key]
        recoded = report.get("recoding", {}).get(f"{key}.{breakdown}")
        values = recoded["values"] if recoded else part[breakdown]
        result.append(
            Table(
                key,
                title,
                [
                    (c, group_label(c, labels), v, percent(v, part["total"]))
                    for c, v in values.items()
                ],
                total=part["total"],
                note=recoding_note(recoded["groups"], labels) if recoded else "",
            )
        )
    if "collective_actions" in report:
        from polesocial.collective.enums import ActionKind

        part = report["collective_actions"]
        result.append(
            Table(
                "collective_actions",
                "Actions collectives par nature",
                [(c, dict(ActionKind.choices)[c], v, "") for c, v in part["by_kind"].items()],
                total=part["total"],
            )
        )
    if "appointments" in report:
        labels = {"cancelled": "Annulés", "missed": "Non honorés"}
        result.append(
            Table(
                "appointments",
                "Rendez-vous annulés ou non honorés",
                [(c, labels[c], v, "") for c, v in report["appointments"].items()],
            )
        )
    if report.get("aid"):
        result += _aid_tables(report["aid"])
    if "hours" in report:
        labels = _time_kind_labels()
        result.append(
            Table(
                "hours",
                "Heures par nature",
                [(c, labels.get(c, c), v, "") for c, v in report["hours"]["by_kind"].items()],
                unit="h",
            )
        )
    return result


AID_MEASURES = {
    "requested": "Aides matérielles demandées",
    "granted": "Aides matérielles accordées",
    "paid": "Aides matérielles versées",
}


AID_BREAKDOWNS = {
    "by_funder": "par financeur",
    "by_scheme": "par dispositif",
    "by_employer": "par employeur",
}


def _aid_labels(aid: dict) -> dict[str, dict[str, str]]:
    """French labels of the cells of each breakdown: funders, schemes' and employers' names
    (one query each, whatever the number of cells)."""
    from polesocial.aid.enums import Funder
    from polesocial.aid.models import AidScheme
    from polesocial.organisations.models import Employer

    def ids(breakdown: str) -> set[int]:
        keys = {key for part in aid.values() if isinstance(part, dict)
                for key in (part.get(breakdown) or {})}  # fmt: skip
        return {int(key) for key in keys if key.isdigit()}

    schemes = AidScheme.objects.filter(pk__in=ids("by_scheme")).values_list("pk", "name")
    employers = Employer.objects.filter(pk__in=ids("by_employer")).values_list("pk", "name")
    return {
        "by_funder": dict(Funder.choices),
        "by_scheme": {str(pk): name for pk, name in schemes},
        "by_employer": {str(pk): name for pk, name in employers} | {"None": "Sans employeur"},
    }


def _aid_tables(aid: dict) -> list[Table]:
    """Aid amounts by funder, scheme and employer, as the report publishes them (dominance
    rule and its secondary suppression when controlled, reports.dominance: a suppressed
    amount reads « s »); euros to the cent."""
    labels = _aid_labels(aid)

    def euros(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    tables = []
    for measure, title in AID_MEASURES.items():
        part = aid.get(measure)
        if not part:
            continue
        for breakdown, by in AID_BREAKDOWNS.items():
            cells = part.get(breakdown)
            if not cells:
                continue
            names = labels[breakdown]
            rows = [(c, names.get(c, c), euros(v), "") for c, v in cells.items()]
            if breakdown != "by_funder":  # names in alphabetical order
                rows.sort(key=lambda row: (row[1].lower(), row[0]))
            key = f"aid.{measure}" if breakdown == "by_funder" else f"aid.{measure}.{breakdown}"
            tables.append(
                Table(key, f"{title} {by}", rows, total=euros(part.get("total")), unit="€")
            )
    return tables


def _time_kind_labels() -> dict[str, str]:
    """French labels of billing's time kinds (codes shown as such if billing changes)."""
    try:
        from polesocial.billing.enums import TimeKind
    except ImportError:
        return {}
    return dict(TimeKind.choices)


def highlights(report: dict) -> list[tuple[str, str]]:
    """The figures the field reads first (seed 001): shares of the employees followed."""
    followed = report["employees_followed"]
    profile = report["profile"]
    recoded = report.get("recoding", {})

    def group(part: str, name: str, codes: list[str]) -> int | None:
        """A sum of fine cells, read from the published grouping when the table is recoded."""
        fine = _sum(profile[part][c] for c in codes)
        if fine is None and f"profile.{part}" in recoded:
            return recoded[f"profile.{part}"]["values"].get(name)
        return fine

    category, family = profile["category"], profile["family_situation"]
    return [
        (
            "Part des agents suivis dans l'effectif",
            percent(followed, report["headcount"], 1)
            if report["share_followed"] is not None
            else "—",
        ),
        (
            "Titulaires ou stagiaires",
            percent(group("status", "titulaire_stagiaire", ["titulaire", "stagiaire"]), followed),
        ),
        ("Catégorie C", percent(category["C"], followed)),
        ("Personnes seules", percent(family["single"], followed)),
        ("Familles monoparentales", percent(family["single_parent"], followed)),
        ("Âgés de 35 à 54 ans", percent(group("age", "35_54", ["35_44", "45_54"]), followed)),
    ]


def observation_tables(observation: dict) -> list[dict]:
    """Rows for the page: the trend (domain × year) and the two crossings."""
    domains = dict(Domain.choices)
    years = list(observation["domains_by_year"])
    trend = {
        "title": "Évolution des domaines d'intervention (dossiers par année)",
        "columns": years,
        "rows": [
            (domains[d], [observation["domains_by_year"][y][d] for y in years], None)
            for d in Domain.values
        ],
        "totals": None,
    }
    result = [trend]
    for key, title, labels in (
        ("domain_by_category", "Domaines × catégorie (dossiers)", dict(GradeCategory.choices)),
        (
            "domain_by_family_situation",
            "Domaines × situation familiale (dossiers)",
            dict(FamilySituation.choices),
        ),
    ):
        table = observation[key]
        columns = list(table["columns"])
        result.append(
            {
                "title": title,
                "columns": [labels[c] for c in columns],
                "rows": [
                    (domains[d], [table["cells"][d][c] for c in columns], table["rows"][d])
                    for d in table["cells"]
                ],
                "totals": ([table["columns"][c] for c in columns], table["total"]),
            }
        )
    return result
