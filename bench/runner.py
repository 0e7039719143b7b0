"""Runs every measure on a fresh database, prints a French table and writes the JSON.

The exit code is 0 whatever the figures: only a measure that cannot run (an exception,
a page that does not answer 200, a verification that does not conclude) gives 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from bench.database import SETTINGS, setup_django, temporary_database
from bench.timing import french_duration, french_number, french_ratio

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results-micro.json"  # results.json: the national-size bench
SMALL_OUTPUT = HERE / "results-small.json"
ROW_ORDER = (
    "employer_list",
    "employer_list_filtered",
    "employer_detail",
    "invoice_run",
    "annual_report",
)


_STARTED = time.perf_counter()


def progress(message: str, *, ongoing: bool = True) -> None:
    elapsed = french_number(time.perf_counter() - _STARTED, 1)
    print(f"[{elapsed} s] {message}{'…' if ongoing else ''}", file=sys.stderr, flush=True)


def run(*, small: bool = False, output: Path | None = DEFAULT_OUTPUT) -> dict:
    """Run the whole benchmark and return the report (also written to `output`)."""
    started = time.perf_counter()
    load = os.getloadavg()[0]
    setup_django()
    from bench import activity, measures, runs, volumes

    plan = measures.Plan.small() if small else measures.Plan()
    with temporary_database() as database:
        progress(f"base créée et migrée : {database}", ongoing=False)
        organisation = volumes.create_organisation()
        progress(
            f"création de {french_number(plan.employers_first)} employeurs, conventions, "
            "effectifs, temps et dossiers"
        )
        volumes.grow(organisation, plan.employers_first)
        client = measures.signed_in_client(organisation.counsellor)
        queries_first = measures.count_queries(organisation, client)
        progress(f"mesure : pages à {french_number(plan.employers_first)} employeurs")
        page_rows = measures.pages(organisation, client, plan)
        progress(
            f"mesure : facturation et bilan à {french_number(plan.employers_first)} employeurs"
        )
        run_rows, runs_first = runs.measure_runs(organisation, plan)

        progress("mesure : ajout au journal d'audit")
        rows = [measures.audit_append(organisation, plan)]
        progress(
            f"journal rempli par audit_log jusqu'à {french_number(plan.journal_entries)} entrées"
        )
        volumes.grow_journal(organisation, plan.journal_entries)
        progress("mesure : vérification du journal")
        rows.append(measures.verify_journal(plan))
        progress("mesure : chiffrement")
        rows.append(measures.encryption_round_trip(plan))

        progress(f"création jusqu'à {french_number(plan.employers)} employeurs")
        volumes.grow(organisation, plan.employers)
        queries = measures.count_queries(organisation, client)
        progress(f"mesure : pages à {french_number(plan.employers)} employeurs")
        page_rows += measures.pages(organisation, client, plan)
        progress(f"mesure : facturation et bilan à {french_number(plan.employers)} employeurs")
        more_rows, runs_last = runs.measure_runs(organisation, plan)
        run_rows += more_rows
        rows += sorted(page_rows + run_rows, key=lambda row: ROW_ORDER.index(row.key))
        labels = {key: label for key, (label, _url) in measures.page_urls(organisation).items()}

    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "mode": "réduit (--small)" if small else "complet",
        "settings": SETTINGS,
        "database": database,
        "machine": {**_machine(), "load_average_at_start": round(load, 2)},
        "plan": asdict(plan),
        "volumes": {
            "employers": [plan.employers_first, plan.employers],
            "conventions_per_employer": volumes.CONVENTIONS_PER_EMPLOYER,
            "headcounts_per_employer": len(volumes.HEADCOUNT_YEARS),
            "journal_entries": next(r for r in rows if r.key == "audit_verify").details["entries"],
            "activity": {
                "year": activity.REPORT_YEAR,
                "time_entries_per_employer": "10 à 40 (4e trimestre)",
                "cases_per_employer": "1 à 3",
                **organisation.activity,
            },
        },
        "measures": [row.as_json() for row in rows],
        "sql_queries": _query_report(labels, plan, queries_first, queries),
        "sql_queries_runs": _runs_query_report(runs.RUN_LABELS, plan, runs_first, runs_last),
        "duration_seconds": round(time.perf_counter() - started, 1),
    }
    print(render(report))
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"\nRésultats écrits dans {output}")
    return report


def _machine() -> dict:
    import django

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def _query_report(labels: dict, plan, first: dict, last: dict) -> dict:
    report = {}
    for key, label in labels.items():
        counts = {str(plan.employers_first): first[key]["count"]}
        counts[str(plan.employers)] = last[key]["count"]
        report[key] = {
            "label": label,
            "url": last[key]["url"],
            "counts": counts,
            "stable": first[key]["count"] == last[key]["count"],
            "repeated": last[key]["repeated"],
            "queries": last[key]["queries"],
        }
    return report


SHOWN_SHAPES = 6  # per-employer query shapes printed per run (all are in the JSON)
_RUN_QUERY_PARTS = ("per_employer_shapes", "shapes", "queries")


def _runs_query_report(labels: dict, plan, first: dict, last: dict) -> dict:
    report = {}
    for key, label in labels.items():
        sizes = {str(plan.employers_first): first[key], str(plan.employers): last[key]}
        report[key] = {
            "label": label,
            "counts": {size: entry["count"] for size, entry in sizes.items()},
            "per_employer": {
                size: round(entry["count"] / entry["employers"], 2) for size, entry in sizes.items()
            },
            "stable": first[key]["count"] == last[key]["count"],
            # The shapes of the queries at the larger volume (the report's in full).
            **{name: value for name, value in last[key].items() if name in _RUN_QUERY_PARTS},
        }
    return report


# Rendering ----------------------------------------------------------------------------


def _value(value: float, unit: str) -> str:
    decimals = (1 if value >= 10 else 2) if unit.startswith("ms") else (0 if value >= 100 else 1)
    return f"{french_number(value, decimals)} {unit}"


def _table(header: list[str], lines: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=True)]

    def line(cells):
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    rule = "  ".join("─" * width for width in widths)
    return [line(header), rule, *(line(cells) for cells in lines)]


def render(report: dict) -> str:
    measures = report["measures"]
    out = [
        "",
        f"Banc de performance de Pôle social — {report['mode']}",
        f"Base : {report['database']} · Python {report['machine']['python']} · "
        f"Django {report['machine']['django']} · {report['machine']['cpus']} cœurs",
    ]
    load, cpus = report["machine"]["load_average_at_start"], report["machine"]["cpus"] or 1
    if load > cpus:
        out.append(
            f"Machine chargée au départ (charge {french_number(load, 1)} pour {cpus} cœurs) : "
            "les ratios restent comparables, les valeurs absolues beaucoup moins."
        )
    out.append("")
    lines = [
        [
            f"{n}. {row['label']}",
            _value(row["value"], row["unit"]),
            _value(row["floor"], row["floor_unit"]),
            french_ratio(row["ratio"]),
        ]
        for n, row in enumerate(measures, start=1)
    ]
    out += _table(["Mesure", "Valeur", "Plancher", "Ratio"], lines)
    out += ["", "Planchers (mesurés dans la même exécution, en alternance avec la mesure) :"]
    out += _floor_legend(measures)
    out += [
        "Ratio = durée d'une opération / durée d'une opération du plancher "
        "(médianes des répétitions) : plus il est bas, mieux c'est.",
        "",
    ]

    queries = report["sql_queries"]
    sizes = list(next(iter(queries.values()))["counts"])
    header = ["Requêtes SQL par page", *(f"{french_number(int(s))} employeurs" for s in sizes)]
    lines = [
        [
            entry["label"],
            *(str(entry["counts"][s]) for s in sizes),
            "stable" if entry["stable"] else "EN HAUSSE avec le volume",
        ]
        for entry in queries.values()
    ]
    out += _table([*header, "Verdict"], lines)
    suspects = [(entry, r) for entry in queries.values() for r in entry["repeated"]]
    if suspects:
        out += [
            "",
            "Requêtes de même forme répétées dans une page (doublon ; N+1 probable si leur "
            "nombre suit celui des lignes affichées) :",
        ]
        out += [
            f"  {entry['label']} : {r['count']} fois « {_shorten(r['sql'])} »"
            for entry, r in suspects
        ]
    else:
        out += ["", "Aucune requête de même forme répétée dans une page (pas de N+1 détecté)."]
    out += ["", *_render_runs_queries(report["sql_queries_runs"])]
    out += ["", f"Durée totale : {french_duration(report['duration_seconds'])}"]
    return "\n".join(out)


def _render_runs_queries(queries: dict) -> list[str]:
    sizes = list(next(iter(queries.values()))["counts"])
    header = ["Requêtes SQL par exécution", *(f"{french_number(int(s))} employeurs" for s in sizes)]
    lines = []
    for entry in queries.values():
        if entry["stable"]:
            verdict = "stable"
        else:
            per_employer = french_number(entry["per_employer"][sizes[-1]], 1)
            verdict = f"EN HAUSSE avec le volume ({per_employer} par employeur)"
        counts = (french_number(entry["counts"][s]) for s in sizes)
        lines.append([entry["label"], *counts, verdict])
    out = _table([*header, "Verdict"], lines)
    for entry in queries.values():
        shapes = entry["per_employer_shapes"]
        if not shapes:
            continue
        out += ["", f"{entry['label']} : requêtes exécutées au moins une fois par employeur (N+1)"]
        out += [
            f"  {french_number(r['count'])} fois « {_shorten(r['sql'], 110)} »"
            for r in shapes[:SHOWN_SHAPES]
        ]
        if len(shapes) > SHOWN_SHAPES:
            out.append(
                f"  … et {len(shapes) - SHOWN_SHAPES} autres formes "
                "(toutes dans le JSON, sql_queries_runs)"
            )
    return out


def _floor_legend(measures: list[dict]) -> list[str]:
    """One line per floor; consecutive measures sharing a floor share the line."""
    groups: list[list] = []
    for n, row in enumerate(measures, start=1):
        if groups and groups[-1][1] == row["floor_label"]:
            groups[-1][0].append(n)
        else:
            groups.append([[n], row["floor_label"]])
    return [
        f"  {numbers[0]}{f' à {numbers[-1]}' if len(numbers) > 1 else ''}. {label}"
        for numbers, label in groups
    ]


def _shorten(sql: str, limit: int = 160) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


# Command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Mesures de performance de Pôle social, en ratios contre un plancher "
        "mesuré dans la même exécution.",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="volumes et répétitions minimes : vérifie que le banc tourne, sans valeur de mesure",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"fichier JSON des résultats (par défaut {DEFAULT_OUTPUT.relative_to(HERE.parent)}, "
        f"ou {SMALL_OUTPUT.relative_to(HERE.parent)} avec --small)",
    )
    args = parser.parse_args(argv)
    output = args.output or (SMALL_OUTPUT if args.small else DEFAULT_OUTPUT)
    try:
        run(small=args.small, output=output)
    except Exception:
        traceback.print_exc()
        print("\nLe banc n'a pas pu s'exécuter jusqu'au bout (voir ci-dessus).", file=sys.stderr)
        return 1
    return 0
