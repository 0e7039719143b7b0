"""How much an employer's report says: the share of its non-zero person cells suppressed.

A person cell is a count of employees followed: `employees_followed` and each cell of the
four profile tables as published (the groups of a recoded table, the fine cells otherwise).
A cell counts when its exact value is not zero; it is suppressed when published `null`.
The wider measure adds every other count under the statistical secret (cases, interviews,
referrals, domains, orientations; groups of a recoded table as published). The headcount
(the employer's own figure) is left out of both.

`pooling.employer_reports_share(year)` measures the controlled reports of every employer
for a year with these shares (`disclosure_measure` command, tests/reports/test_measure.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from polesocial.reports import recoding

PROFILE_PARTS = ("status", "category", "family_situation", "age")
# Other counts under the secret: (part, breakdown key or None for a flat mapping).
OTHER_PARTS = (
    ("cases", None),
    ("interviews", "by_place"),
    ("referrals", "by_source"),
    ("domains", None),
    ("orientations", "by_result"),
)


@dataclass
class Share:
    """Suppressed and non-zero cells, per part (`employees_followed`, `profile.age`…)."""

    parts: dict[str, list[int]] = field(default_factory=dict)  # part -> [suppressed, nonzero]

    def add(self, part: str, exact: int, published: int | None) -> None:
        if exact:
            counts = self.parts.setdefault(part, [0, 0])
            counts[0] += published is None
            counts[1] += 1

    def merge(self, other: Share) -> None:
        for part, (suppressed, nonzero) in other.parts.items():
            counts = self.parts.setdefault(part, [0, 0])
            counts[0] += suppressed
            counts[1] += nonzero

    def total(self, parts=None) -> tuple[int, int]:
        chosen = [v for k, v in self.parts.items() if parts is None or k in parts]
        return sum(v[0] for v in chosen), sum(v[1] for v in chosen)

    @property
    def persons(self) -> tuple[int, int]:
        return self.total({"employees_followed", *(f"profile.{p}" for p in PROFILE_PARTS)})

    @property
    def all_counts(self) -> tuple[int, int]:
        return self.total()

    @staticmethod
    def ratio(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 0.0


def _table(share: Share, key: str, exact: dict, published: dict, recoded: dict | None) -> None:
    if recoded:
        grouped = recoding.grouped(exact, recoded["groups"])
        for group, value in grouped.items():
            share.add(key, value, recoded["values"][group])
        return
    for code, value in exact.items():
        share.add(key, value, published[code])


def report_share(report: dict, figures: dict) -> Share:
    """The cells of one controlled report (`figures`: its exact figures, report.raw_figures)."""
    share = Share()
    recoding_map = report.get("recoding", {})
    share.add("employees_followed", figures["employees_followed"], report["employees_followed"])
    for part in PROFILE_PARTS:
        key = f"profile.{part}"
        _table(
            share,
            key,
            figures["profile"][part],
            report["profile"][part],
            recoding_map.get(key),
        )
    for part, breakdown in OTHER_PARTS:
        exact, published, path = figures[part], report[part], part
        if breakdown is not None:
            share.add(f"{part}.total", exact["total"], published["total"])
            exact, published = exact[breakdown], published[breakdown]
            path = f"{part}.{breakdown}"
        _table(share, part, exact, published, recoding_map.get(path))
    return share


def _line(label: str, pair: tuple[int, int]) -> str:
    return f"{label} : {pair[0]} sur {pair[1]} ({Share.ratio(pair):.0%})".replace("%", " %")


def describe(share: Share) -> list[str]:
    """French lines for the command's output."""
    lines = [
        _line("Cases de personnes non nulles masquées (agents suivis et profil)", share.persons),
        _line("Toutes les cases d'effectifs non nulles masquées", share.all_counts),
    ]
    for part, (suppressed, nonzero) in sorted(share.parts.items()):
        lines.append(f"  {part} : {suppressed} sur {nonzero}")
    return lines


def fine_primary(figures: dict, limit: int) -> tuple[int, int]:
    """(cells from 1 to limit - 1, non-zero cells) among the exact person cells at their
    finest level: what primary suppression alone would hide without any recoding."""
    cells = [figures["employees_followed"]]
    cells += [v for part in PROFILE_PARTS for v in figures["profile"][part].values()]
    return sum(1 for v in cells if 0 < v < limit), sum(1 for v in cells if v)


def describe_small(
    small: Share, share: Share, limit: int, fine: tuple[int, int] | None = None
) -> list[str]:
    """What primary suppression alone forces: the person cells of the employers following
    fewer than `limit` employees (every one of them is 1 to limit - 1), the share over the
    others, and (`fine`, summed fine_primary) the fine cells under the threshold."""
    rest = (share.persons[0] - small.persons[0], share.persons[1] - small.persons[1])
    extra = []
    if fine is not None:
        extra.append(
            _line(
                f"  pour mémoire, cases fines de personnes non nulles de 1 à {limit - 1} "
                "(secret primaire, sans regroupement)",
                fine,
            )
        )
    return [
        _line(
            f"  dont employeurs de moins de {limit} agents suivis (toutes masquées par le "
            "secret primaire)",
            small.persons,
        ),
        _line(f"  employeurs d'au moins {limit} agents suivis", rest),
        *extra,
    ]


PERSON_LABELS = {
    "employees_followed": "agents suivis",
    "profile.status": "statut",
    "profile.category": "catégorie",
    "profile.family_situation": "situation familiale",
    "profile.age": "âge",
}


def describe_employer(name: str, figures: dict, share: Share, pooled: bool) -> str:
    """One employer's line: its exact headcount and employees followed (the command is an
    internal tool), its suppressed person cells by table, then all its counts."""
    suppressed, nonzero = share.persons
    wide = share.all_counts
    tables = ", ".join(
        f"{label} {share.parts[part][0]}/{share.parts[part][1]}"
        for part, label in PERSON_LABELS.items()
        if part in share.parts
    )
    cumul = " [cumul sur trois ans]" if pooled else ""
    return (
        f"  {name}{cumul} — effectif {figures['headcount']}, "
        f"{figures['employees_followed']} agents suivis : personnes {suppressed}/{nonzero}"
        + (f" ({tables})" if tables else "")
        + f", toutes cases {wide[0]}/{wide[1]}"
    )
