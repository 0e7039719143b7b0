"""The social observation in every export (CSV, JSON, ODS, PDF), under disclosure control."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from pypdf import PdfReader

from polesocial.reports import exports
from polesocial.reports.models import ReportExport
from polesocial.reports.observation import build_observation
from polesocial.reports.queries import Scope
from polesocial.reports.report import build_report
from polesocial.users.enums import Role
from tests.factories import EmployerFactory, SocialWorkerFactory
from tests.reports.data import YEAR, bulk_cases, profile_people

pytestmark = pytest.mark.django_db

TITLES = (
    "Évolution des domaines d'intervention (dossiers par année)",
    "Domaines × catégorie (dossiers)",
    "Domaines × situation familiale (dossiers)",
)


@pytest.fixture
def employer():
    """An employer whose observation has small counts: 3 in category A, 5 in YEAR - 1."""
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    people = profile_people(
        YEAR,
        {"titulaire": 40},
        {"A": 3, "B": 12, "C": 25},
        {"single": 30, "other": 10},
        {"45_54": 40},
    )
    bulk_cases(YEAR, people, worker=worker, employers=[employer], domains=("budget", "housing"))
    for year, n, domain in ((YEAR - 2, 14, "health"), (YEAR - 1, 5, "work")):
        earlier = profile_people(YEAR, {"titulaire": n}, {"C": n}, {"couple": n}, {"45_54": n})
        bulk_cases(
            YEAR,
            earlier,
            worker=worker,
            employers=[employer],
            domains=(domain,),
            opened_on=dt.date(year, 1, 1),
            closed_on=dt.date(year, 6, 1),
        )
    return employer


def _render(employer, fmt: str, *, controlled: bool) -> bytes:
    scope = Scope("employer", employer.pk, employer.name)
    report = build_report(YEAR, scope, controlled=controlled)
    observation = build_observation(YEAR, scope, controlled=controlled)
    return exports.render(report, fmt, observation=observation)


def _small(values) -> list:
    return [v for v in values if isinstance(v, int) and 1 <= v <= 10]


# --- reading each format back -------------------------------------------------------------


def _csv_observation(content: bytes) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8")), delimiter=";"))
    return {(r[0], r[1]): r[3] for r in rows[2:] if r[0].startswith("observation.")}


def _ods_sheets(content: bytes) -> dict[str, list[list]]:
    """Each sheet's rows; a numeric cell as an int, any other as its text."""
    sheets = {}
    for table in load(io.BytesIO(content)).spreadsheet.getElementsByType(Table):
        lines = []
        for row in table.getElementsByType(TableRow):
            line = []
            for cell in row.getElementsByType(TableCell):
                value = cell.getAttribute("value")
                line.append(int(float(value)) if value is not None else teletype.extractText(cell))
            lines.append(line)
        sheets[table.getAttribute("name")] = lines
    return sheets


def _pdf_observation(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    section = text[text.index("Observation sociale") : text.index("Définitions")]
    return " ".join(section.split())  # header cells wrap on two lines


def _numbers(text: str) -> list[int]:
    return [int(token) for token in re.findall(r"\b\d+\b", text)]


# --- each export carries the observation tables --------------------------------------------


def test_the_csv_carries_the_observation_with_its_json_paths(employer):
    cells = _csv_observation(_render(employer, "csv", controlled=False))
    assert cells[("observation.domain_by_category", "cells.budget.A")] == "3"
    assert cells[("observation.domain_by_category", "rows.budget")] == "40"
    assert cells[("observation.domain_by_category", "columns.C")] == "50"  # budget and housing
    assert cells[("observation.domain_by_family_situation", "cells.housing.other")] == "10"
    assert cells[("observation.domains_by_year", f"{YEAR - 1}.work")] == "5"
    assert cells[("observation.domains_by_year", f"{YEAR - 2}.health")] == "14"
    content = _render(employer, "csv", controlled=False).decode("utf-8")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1] == ["rubrique", "code", "libellé", "valeur"]  # one header for all rows
    labelled = ["observation.domain_by_category", "cells.budget.A", "Budget × Catégorie A", "3"]
    assert labelled in rows
    assert ["observation.domains_by_year", f"{YEAR}.housing", f"Logement — {YEAR}", "40"] in rows


def test_the_json_adds_the_observation_and_keeps_the_schema(employer):
    import json

    exact = json.loads(_render(employer, "json", controlled=False))
    assert exact["schema"] == "polesocial.annual_report/1"
    assert list(exact)[-2:] == ["observation", "suppressed"]
    observation = exact["observation"]
    assert set(observation) == {
        "domains_by_year",
        "domain_by_category",
        "domain_by_family_situation",
    }
    assert observation["domain_by_category"]["cells"]["budget"] == {"A": 3, "B": 12, "C": 25}
    assert observation["domains_by_year"][str(YEAR - 1)]["work"] == 5


def test_the_ods_has_an_observation_sheet_laid_out_as_on_the_page(employer):
    sheets = _ods_sheets(_render(employer, "ods", controlled=False))
    assert list(sheets) == [f"Bilan {YEAR}", "Observation sociale"]
    grid = sheets["Observation sociale"]
    titles = [line[0] for line in grid if len(line) == 1 and line[0]]
    assert titles == list(TITLES)
    header = grid[grid.index([TITLES[1]]) + 1]
    assert header == ["Domaine", "Catégorie A", "Catégorie B", "Catégorie C", "Total"]
    assert ["Budget", 3, 12, 25, 40] in grid
    assert ["Total", 6, 24, 50, 80] in grid  # budget and housing, 40 cases each in YEAR
    # The figures' sheet is unchanged: the observation is not repeated there.
    assert not any(str(line[0]).startswith("observation.") for line in sheets[f"Bilan {YEAR}"])


def test_the_pdf_prints_the_observation_tables_in_french(employer):
    text = _pdf_observation(_render(employer, "pdf", controlled=False))
    for title in TITLES:
        assert title in text, title
    assert "Famille monoparentale" in text and "Catégorie A" in text
    assert re.search(r"Budget\s+3\s+12\s+25\s+40", text)


# --- an employer's (controlled) exports publish no observation cell in 1..10 --------------


def test_the_exact_observation_has_small_cells_so_the_checks_below_can_fail(employer):
    csv_values = _csv_observation(_render(employer, "csv", controlled=False)).values()
    assert _small(int(v) for v in csv_values)
    assert _small(_numbers(_pdf_observation(_render(employer, "pdf", controlled=False))))


def test_no_controlled_csv_cell_is_from_1_to_10(employer):
    cells = _csv_observation(_render(employer, "csv", controlled=True))
    assert len(cells) > 100  # every cell, margin and year is there
    assert cells[("observation.domain_by_category", "cells.budget.A")] == "s"
    assert cells[("observation.domains_by_year", f"{YEAR - 1}.work")] == "s"
    assert not _small(int(v) for v in cells.values() if v != "s")


def test_no_controlled_json_cell_is_from_1_to_10_and_nulls_are_listed(employer):
    import json

    report = json.loads(_render(employer, "json", controlled=True))

    def leaves(node, path):
        if isinstance(node, dict):
            for key, child in node.items():
                yield from leaves(child, f"{path}.{key}")
        else:
            yield path, node

    values = dict(leaves(report["observation"], "observation"))
    assert not _small(values.values())
    nulls = {path for path, value in values.items() if value is None}
    assert "observation.domain_by_category.cells.budget.A" in nulls
    assert nulls == {p for p in report["suppressed"] if p.startswith("observation.")}
    assert "employees_followed" not in report["suppressed"]  # the report's own paths stay


def test_no_controlled_ods_cell_is_from_1_to_10(employer):
    grid = _ods_sheets(_render(employer, "ods", controlled=True))["Observation sociale"]
    values = [v for line in grid for v in line]
    assert "s" in values
    assert not _small(values)


def test_no_controlled_pdf_cell_is_from_1_to_10(employer):
    text = _pdf_observation(_render(employer, "pdf", controlled=True))
    assert all(title in text for title in TITLES)
    assert re.search(r"\bs\b", text)
    assert not _small(_numbers(text))


def test_an_exact_observation_never_joins_a_controlled_report(employer):
    scope = Scope("employer", employer.pk, employer.name)
    report = build_report(YEAR, scope, controlled=True)
    exact = build_observation(YEAR, scope, controlled=False)
    with pytest.raises(ValueError, match="disclosure_control"):
        exports.render(report, "csv", observation=exact)


def test_the_command_exports_the_employers_controlled_observation(employer, tmp_path):
    import json

    from django.core.management import call_command

    output = tmp_path / "bilan.json"
    call_command(
        "annual_report", "--year", str(YEAR), "--employer", str(employer.pk),
        "--format", "json", "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    report = json.loads(output.read_text())
    assert report["observation"]["domain_by_category"]["cells"]["budget"]["A"] is None
    assert "observation.domain_by_category.cells.budget.A" in report["suppressed"]


# --- through the screens: the HR contact's downloads and background export -----------------


def test_the_employer_contacts_downloads_carry_the_controlled_observation(employer, client_as):
    client = client_as(Role.EMPLOYER_CONTACT)
    employer.accounts.add(client.user)
    args = ["employer", employer.pk, YEAR]
    content = client.get(reverse("reports:download", args=[*args, "csv"])).content
    cells = _csv_observation(content)
    assert cells[("observation.domain_by_category", "cells.budget.A")] == "s"
    assert not _small(int(v) for v in cells.values() if v != "s")
    report = client.get(reverse("reports:download", args=[*args, "json"])).json()
    assert report["observation"]["domain_by_category"]["cells"]["budget"]["A"] is None

    client.post(reverse("reports:export", args=args), {"format": "ods"})
    job = ReportExport.objects.get()
    assert job.controlled is True
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    grid = _ods_sheets(download.content)["Observation sociale"]
    assert "s" in [v for line in grid for v in line]
    assert not _small(v for line in grid for v in line)


def test_an_unknown_headcount_is_empty_in_the_csv_and_a_suppressed_one_reads_s(employer):
    def scalars(content: bytes) -> dict[str, str]:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8")), delimiter=";"))
        return {r[1]: r[3] for r in rows[1:] if r[0] == ""}

    unknown = scalars(_render(employer, "csv", controlled=True))  # no headcount recorded
    assert unknown["headcount"] == "" and unknown["share_followed"] == ""
    employer.headcounts.create(year=YEAR, total=7)  # 1..10: suppressed
    suppressed = scalars(_render(employer, "csv", controlled=True))
    assert suppressed["headcount"] == "s" and suppressed["share_followed"] == "s"
    assert suppressed["employees_followed"] == "40"


def test_the_pdf_prints_no_empty_table_and_says_when_the_headcount_is_unknown(employer):
    content = _render(employer, "pdf", controlled=False)  # no time recorded, no headcount
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "effectif : inconnu" in text
    assert "Heures par nature" not in text
    assert "Statut des agents suivis" in text
