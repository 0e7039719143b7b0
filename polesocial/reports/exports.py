"""The report as CSV (`;`, UTF-8), ODS (odfpy), PDF (WeasyPrint) and JSON.

Each format carries the social observation (observation.py) when it is given, under the
same disclosure control as the report: a suppressed cell reads « s », `null` in JSON.
"""

from __future__ import annotations

import csv
import io
import json

from django.template.loader import render_to_string

from polesocial.casework.enums import Domain, FamilySituation, GradeCategory
from polesocial.reports import presentation

FORMATS = ("json", "csv", "ods", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
}
SUPPRESSED = "s"  # the INSEE mark for a value withheld by the statistical secret
OBSERVATION_PARTS = ("domains_by_year", "domain_by_category", "domain_by_family_situation")
CROSSING_LABELS = {
    "domain_by_category": dict(GradeCategory.choices),
    "domain_by_family_situation": dict(FamilySituation.choices),
}


def filename(report: dict, fmt: str) -> str:
    scope = report["scope"]
    years = report["year"]
    if report.get("pooled"):
        years = f"{report['pooled']['first_year']}-{report['pooled']['last_year']}"
    return f"bilan-{years}-{scope['kind']}-{scope['id'] or 0}.{fmt}"


def cell(value):
    return SUPPRESSED if value is None else value


SCALARS = (
    ("headcount", "Effectif"),
    ("employees_followed", "Agents suivis"),
    ("share_followed", "Part des agents suivis"),
)


def scalar(report: dict, key: str):
    """A top-level figure: « s » when suppressed, empty when unknown (no headcount known)."""
    value = report[key]
    if value is None and key not in report["suppressed"]:
        return ""
    return cell(value)


def rows(report: dict, observation: dict | None = None) -> list[list]:
    """Flat rows: part, code, label, value ('s' when suppressed); the observation's last."""
    out: list[list] = [["rubrique", "code", "libellé", "valeur"]]

    if report.get("pooled"):
        first, last = report["pooled"]["first_year"], report["pooled"]["last_year"]
        out.append(["", "cumul", "Bilan cumulé sur trois ans", f"{first}-{last}"])
    for key, label in SCALARS:
        out.append(["", key, label, scalar(report, key)])
    for table in presentation.tables(report):
        if table.total is not False:
            out.append([table.key, "total", "Total", cell(table.total)])
        for code, label, value, _ in table.rows:
            out.append([table.key, code, label, cell(value)])
        if table.note:
            out.append([table.key, "regroupement", table.note, ""])
    if observation is not None:
        out.extend(observation_rows(observation))
    return out


def observation_rows(observation: dict) -> list[list]:
    """The observation as flat rows; part + code is the value's path in the JSON."""
    domains = dict(Domain.choices)
    out: list[list] = []
    for year, counts in observation["domains_by_year"].items():
        for code, value in counts.items():
            out.append(
                [
                    "observation.domains_by_year",
                    f"{year}.{code}",
                    f"{domains[code]} — {year}",
                    cell(value),
                ]
            )
    for key, labels in CROSSING_LABELS.items():
        table, part = observation[key], f"observation.{key}"
        for domain, counts in table["cells"].items():
            for code, value in counts.items():
                label = f"{domains[domain]} × {labels[code]}"
                out.append([part, f"cells.{domain}.{code}", label, cell(value)])
            out.append(
                [part, f"rows.{domain}", f"{domains[domain]} — total", cell(table["rows"][domain])]
            )
        for code, value in table["columns"].items():
            out.append([part, f"columns.{code}", f"Total — {labels[code]}", cell(value)])
        out.append([part, "total", "Total", cell(table["total"])])
    return out


def check_pair(report: dict, observation: dict) -> None:
    """Never join an exact observation to a controlled report, nor another year's or scope's."""
    for key in ("year", "scope", "disclosure_control"):
        if observation[key] != report[key]:
            raise ValueError(f"The observation's {key} differs from the report's.")


def with_observation(report: dict, observation: dict) -> dict:
    """The report with its social observation under `observation` (before `suppressed`,
    whose list gains the observation's paths, prefixed `observation.`)."""
    check_pair(report, observation)
    document = {key: value for key, value in report.items() if key != "suppressed"}
    document["observation"] = {part: observation[part] for part in OBSERVATION_PARTS}
    document["suppressed"] = [
        *report["suppressed"],
        *(f"observation.{path}" for path in observation["suppressed"]),
    ]
    return document


def to_json(report: dict, observation: dict | None = None) -> bytes:
    if observation is not None:
        report = with_observation(report, observation)
    return json.dumps(report, ensure_ascii=False, indent=2).encode()


def to_csv(report: dict, observation: dict | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["bilan", report["year"], report["scope"]["name"]])
    writer.writerows(rows(report, observation))
    return buffer.getvalue().encode("utf-8")


def observation_grid(observation: dict) -> list[list]:
    """The observation tables as on the page (a title, a header, rows, totals), one after
    another with a blank row between: the spreadsheet's second sheet."""
    out: list[list] = []
    for table in presentation.observation_tables(observation):
        totals = table["totals"]
        out.append([table["title"]])
        out.append(["Domaine", *table["columns"], *(["Total"] if totals else [])])
        for label, values, total in table["rows"]:
            out.append([label, *map(cell, values), *([cell(total)] if totals else [])])
        if totals:
            out.append(["Total", *map(cell, totals[0]), cell(totals[1])])
        out.append([""])  # a row holds at least one cell (ODF)
    return out[:-1]


def _sheet(name: str, lines: list[list]):
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    sheet = Table(name=name)
    for values in lines:
        row = TableRow()
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                element = TableCell(valuetype="float", value=value)
            else:
                element = TableCell(valuetype="string")
            element.addElement(P(text=str(value)))
            row.addElement(element)
        sheet.addElement(row)
    return sheet


def to_ods(report: dict, observation: dict | None = None) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet

    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(_sheet(f"Bilan {report['year']}", rows(report)))
    if observation is not None:
        document.spreadsheet.addElement(
            _sheet("Observation sociale", observation_grid(observation))
        )
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def pdf_html(report: dict, narratives: list | None = None, observation: dict | None = None) -> str:
    return render_to_string(
        "reports/pdf.html",
        {
            "report": report,
            "tables": presentation.tables(report),
            "highlights": presentation.highlights(report),
            "definitions": presentation.DEFINITIONS,
            "narratives": narratives or [],
            "observation": presentation.observation_tables(observation) if observation else [],
        },
    )


def to_pdf(report: dict, narratives: list | None = None, observation: dict | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=pdf_html(report, narratives, observation)).write_pdf()


def render(
    report: dict, fmt: str, narratives: list | None = None, *, observation: dict | None = None
) -> bytes:
    """The report in `fmt`; `observation` (same year, scope and control) joins every format."""
    if observation is not None:
        check_pair(report, observation)
    if fmt == "json":
        return to_json(report, observation)
    if fmt == "csv":
        return to_csv(report, observation)
    if fmt == "ods":
        return to_ods(report, observation)
    if fmt == "pdf":
        return to_pdf(report, narratives, observation)
    raise ValueError(f"Unknown format {fmt!r}")
