"""The report as CSV (`;`, UTF-8), ODS (odfpy), PDF (WeasyPrint) and JSON."""

from __future__ import annotations

import csv
import io
import json

from django.template.loader import render_to_string

from polesocial.reports import presentation

FORMATS = ("json", "csv", "ods", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
}
SUPPRESSED = "s"  # the INSEE mark for a value withheld by the statistical secret


def filename(report: dict, fmt: str) -> str:
    scope = report["scope"]
    return f"bilan-{report['year']}-{scope['kind']}-{scope['id'] or 0}.{fmt}"


def rows(report: dict) -> list[list]:
    """Flat rows: part, code, label, value ('s' when suppressed)."""
    out: list[list] = [["rubrique", "code", "libellé", "valeur"]]

    def cell(value):
        return SUPPRESSED if value is None else value

    out.append(["", "headcount", "Effectif", cell(report["headcount"])])
    out.append(["", "employees_followed", "Agents suivis", cell(report["employees_followed"])])
    out.append(["", "share_followed", "Part des agents suivis", cell(report["share_followed"])])
    for table in presentation.tables(report):
        if table.total is not False:
            out.append([table.key, "total", "Total", cell(table.total)])
        for code, label, value, _ in table.rows:
            out.append([table.key, code, label, cell(value)])
    return out


def to_json(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode()


def to_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["bilan", report["year"], report["scope"]["name"]])
    writer.writerows(rows(report))
    return buffer.getvalue().encode("utf-8")


def to_ods(report: dict) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name=f"Bilan {report['year']}")
    for values in rows(report):
        row = TableRow()
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def to_pdf(report: dict, narratives: list | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/pdf.html",
        {
            "report": report,
            "tables": presentation.tables(report),
            "highlights": presentation.highlights(report),
            "definitions": presentation.DEFINITIONS,
            "narratives": narratives or [],
        },
    )
    return HTML(string=html).write_pdf()


def render(report: dict, fmt: str, narratives: list | None = None) -> bytes:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "ods":
        return to_ods(report)
    if fmt == "pdf":
        return to_pdf(report, narratives)
    raise ValueError(f"Unknown format {fmt!r}")
