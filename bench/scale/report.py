"""The national-size bench's verdicts and its French table (README.md, « Performance »)."""

from __future__ import annotations

import re

from bench.scale.measure import ROOT
from bench.timing import french_number

README = ROOT / "README.md"
START, END = "<!-- bench:scale:start -->", "<!-- bench:scale:end -->"
LABELS = {
    "operator_report": "bilan de l'opérateur",
    "employer_report": "bilan d'un employeur (secret statistique) : calcul",
    "employer_report_first": "bilan d'un employeur, sa page au premier affichage (calculé, gardé)",
    "employer_report_stored": "bilan d'un employeur, sa page d'année close (relu du bilan gardé)",
    "invoice_run": "facturation d'un trimestre, tous employeurs",
    "retention_plan": "plan de conservation (agents sans contact)",
    "subject_export": "export du droit d'accès d'un agent",
    "dashboard_page": "tableau de bord (p95)",
    "case_list_page": "liste des dossiers (p95)",
    "name_search_page": "recherche par nom (p95)",
    "case_page": "page d'un dossier (p95)",
    "queue_page": "file des saisines (p95)",
}
REPORT_TARGET, PAGE_TARGET, RUN_TARGET = 1.5, 3.0, 3.0
MEMORY_TARGET_MB, GENERATION_TARGET_S = 300, 600


def targets(report: dict) -> list[str]:
    """Each target of issue 20 missed, in French (empty when all are met)."""
    missed = []
    for run in report["runs"]:
        where = f"{run['database']} · {run['size']}"
        names = {m["name"] for m in run["measures"]}
        # The employer's target is its closed year's page (the report kept); runs made
        # before that measure existed are judged on the computation.
        employer = (
            "employer_report_stored" if "employer_report_stored" in names else "employer_report"
        )
        for m in run["measures"]:
            limit = REPORT_TARGET if "report" in m["name"] else RUN_TARGET
            if m["name"] in ("operator_report", employer, "invoice_run") and m["ratio"] > limit:
                missed.append(f"{where} : {LABELS[m['name']]} × {m['ratio']} (cible ≤ {limit})")
        for name, page in run["pages"].items():
            if page["ratio_p95"] > PAGE_TARGET:
                missed.append(
                    f"{where} : {LABELS.get(name, name)} × {page['ratio_p95']} (cible ≤ 3)"
                )
        if run["load"]["errors"]:
            missed.append(f"{where} : {len(run['load']['errors'])} erreurs sous charge")
        for command in [*run["commands"], run["generation"]]:
            if command["peak_memory_mb"] >= MEMORY_TARGET_MB:
                missed.append(
                    f"{where} : {command['command']} {command['peak_memory_mb']} Mo (cible < 300)"
                )
        if run["size"] == "national" and run["generation"]["seconds"] > GENERATION_TARGET_S:
            missed.append(f"{where} : génération en {run['generation']['seconds']:.0f} s")
    missed += linearity(report)[0]
    return missed


def linearity(report: dict) -> tuple[list[str], list[str]]:
    """The invoice run's cost per employer may not grow tenfold with ten times the
    employers: judged only between a region and a national run of the same code (their
    commit). Returns (missed, not judged), in French."""
    invoice_runs = {
        (run["database"], run["size"]): (run.get("commit"), m["per_employer_ms"])
        for run in report["runs"]
        for m in run["measures"]
        if m["name"] == "invoice_run"
    }
    missed, not_judged = [], []
    for database in sorted({db for db, _size in invoice_runs}):
        small = invoice_runs.get((database, "region"))
        large = invoice_runs.get((database, "national"))
        if not (small and large):
            continue
        if small[0] is None or small[0] != large[0] or small[0].endswith("+modifié"):
            not_judged.append(
                f"{database} : linéarité de la facturation (exécutions régionale et nationale "
                f"d'un code différent ou non noté : {small[0] or 'non noté'}, "
                f"{large[0] or 'non noté'})"
            )
        elif large[1] > 2 * small[1]:
            missed.append(
                f"{database} : facturation non linéaire ({small[1]} ms par employeur à "
                f"l'échelle régionale, {large[1]} ms à l'échelle nationale)"
            )
    return missed, not_judged


def _cell(run: dict | None, name: str) -> str:
    if run is None:
        return "—"
    for m in run["measures"]:
        if m["name"] == name:
            return f"× {french_number(m['ratio'], 1)} ({french_number(m['seconds'], 2)} s)"
    page = run["pages"].get(name)
    if page:
        return f"× {french_number(page['ratio_p95'], 1)} ({french_number(page['p95_ms'])} ms)"
    return "—"


def _run_line(column: tuple[str, str], run: dict) -> str:
    db, size = column
    name = f"{'SQLite' if db == 'sqlite' else 'PostgreSQL'} · {size}"
    load = run.get("load_average")
    if "measured_at" not in run or load is None:
        return f"- {name} : —"
    when = run["measured_at"].replace("T", " ")[:16]
    commit = f", code {run['commit']}" if run.get("commit") else ", code non noté"
    return (
        f"- {name} : {when} UTC{commit}, charge {french_number(load['start'], 2)} puis "
        f"{french_number(load['end'], 2)}"
    )


def markdown(report: dict) -> str:
    runs = {(r["database"], r["size"]): r for r in report["runs"]}
    columns = sorted(runs, key=lambda k: (k[0] != "sqlite", k[1] != "region"))
    head = "| Mesure (ratio au plancher) | " + " | ".join(
        f"{'SQLite' if db == 'sqlite' else 'PostgreSQL'} · {size}" for db, size in columns
    )
    lines = [head + " |", "|---" * (len(columns) + 1) + "|"]
    for name, label in LABELS.items():
        lines.append(f"| {label} | " + " | ".join(_cell(runs[c], name) for c in columns) + " |")
    lines.append(
        "| génération (`demo --scale`) | "
        + " | ".join(
            f"{french_number(runs[c]['generation']['seconds'])} s, "
            f"{french_number(runs[c]['generation']['peak_memory_mb'])} Mo"
            for c in columns
        )
        + " |"
    )
    lines.append(
        "| facturation, ms par employeur | "
        + " | ".join(
            next(
                (
                    french_number(m["per_employer_ms"], 1)
                    for m in runs[c]["measures"]
                    if m["name"] == "invoice_run"
                ),
                "—",
            )
            for c in columns
        )
        + " |"
    )
    lines.append(
        "| mémoire maximale des commandes | "
        + " | ".join(
            f"{french_number(max(x['peak_memory_mb'] for x in runs[c]['commands']))} Mo"
            for c in columns
        )
        + " |"
    )
    lines.append(
        "| erreurs sous charge | "
        + " | ".join(str(len(runs[c]["load"]["errors"])) for c in columns)
        + " |"
    )
    machine = report["machine"]
    lines.append("")
    minutes = report["duration_seconds"] // 60
    if report.get("merged"):
        lines.append(
            f"Exécutions réunies le {report['generated_at'][:10]} (`--merge`), sur "
            f"{machine['cpus']} cœurs ({machine['platform']}), {minutes} min en tout."
        )
    else:
        lines.append(
            f"Mesuré le {report['generated_at'][:10]} sur {machine['cpus']} cœurs "
            f"({machine['platform']}), charge moyenne {machine['load_average_at_start']} au "
            f"début et {machine['load_average_at_end']} à la fin, en {minutes} min."
        )
    if any("measured_at" in runs[c] for c in columns):
        lines.append("")
        lines.append(
            "Chaque exécution, sa fin et la charge moyenne (1 min) à son début et à sa fin :"
        )
        lines.extend(_run_line(c, runs[c]) for c in columns)
    if report.get("not_judged"):
        lines.append("")
        lines.append("Non jugé :")
        lines.extend(f"- {text}" for text in report["not_judged"])
    if report["targets"]:
        lines.append("")
        lines.append("Cibles manquées :")
        lines.extend(f"- {text}" for text in report["targets"])
    else:
        lines.append("")
        lines.append("Toutes les cibles sont atteintes.")
    return "\n".join(lines)


def write_readme(table: str) -> None:
    text = README.read_text()
    block = f"{START}\n{table}\n{END}"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
        README.write_text(text)
