"""Federation: merging two operators' aggregates equals the report over their union."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from polesocial.organisations.models import Operator
from polesocial.reports.federation import AGGREGATES_SCHEMA, export_aggregates, merge
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import assemble, raw_figures
from polesocial.users.enums import Role
from tests.factories import OperatorFactory, SocialWorkerFactory
from tests.reports.data import YEAR, bulk_cases, employers_with_headcounts, profile_people

pytestmark = pytest.mark.django_db(transaction=False)


def _operator_a():
    worker = SocialWorkerFactory()
    employers = employers_with_headcounts(YEAR, [1200, 800], team=worker.team)
    people = profile_people(
        YEAR,
        {"titulaire": 30, "contractuel": 12},
        {"C": 42},
        {"single": 20, "couple": 22},
        {"35_44": 25, "45_54": 17},
    )
    bulk_cases(YEAR, people, worker=worker, employers=employers, domains=("budget", "housing"))


def _operator_b():
    worker = SocialWorkerFactory()
    employers = employers_with_headcounts(YEAR, [3000], team=worker.team)
    people = profile_people(
        YEAR,
        {"titulaire": 15, "stagiaire": 5},
        {"B": 8, "C": 12},
        {"single_parent": 20},
        {"25_34": 20},
    )
    bulk_cases(YEAR, people, worker=worker, employers=employers, domains=("health",))
    bulk_cases(
        YEAR,
        people[:3],
        worker=worker,
        employers=employers,
        opened_on=dt.date(YEAR, 9, 1),
        domains=("work",),
    )


class Rollback(Exception):
    pass


def _aggregates_of(build, siret):
    """The aggregates file of an installation holding only what `build` makes."""
    result = {}
    try:
        with transaction.atomic():
            OperatorFactory()
            Operator.objects.update(siret=siret)
            build()
            result.update(export_aggregates(YEAR))
            raise Rollback
    except Rollback:
        pass
    return result


def test_merging_two_operators_equals_the_report_over_their_union(tmp_path):
    a = _aggregates_of(_operator_a, "20000000000018")
    b = _aggregates_of(_operator_b, "30000000000017")
    assert a["schema"] == AGGREGATES_SCHEMA and a["operator"]["siren"] == "200000000"
    for name, document in (("a.json", a), ("b.json", b)):
        (tmp_path / name).write_text(json.dumps(document))
    call_command(
        "merge_aggregates",
        str(tmp_path / "a.json"),
        str(tmp_path / "b.json"),
        "--output",
        str(tmp_path / "synthesis.json"),
    )
    synthesis = json.loads((tmp_path / "synthesis.json").read_text())
    OperatorFactory()
    _operator_a()
    _operator_b()
    union = assemble(
        YEAR, synthesis["scope"], raw_figures(YEAR, resolve_scope("operator")), controlled=False
    )
    if "hours" in union:  # employer ids are local to an installation: not exported
        union["hours"].pop("by_employer")
    assert synthesis == union
    assert synthesis["employees_followed"] == 62
    assert synthesis["headcount"] == 5000


def test_merge_refuses_the_same_siren_twice_and_other_schemas():
    a = _aggregates_of(_operator_a, "20000000000018")
    with pytest.raises(ValueError, match="même opérateur"):
        merge([a, a])
    with pytest.raises(ValueError, match="Schéma"):
        merge([a, {**a, "schema": "polesocial.aggregates/0"}])
    with pytest.raises(ValueError, match="Version"):
        merge([{**a, "report_schema": "polesocial.annual_report/0"}])


def test_commands_write_files(tmp_path):
    OperatorFactory()
    Operator.objects.update(siret="20000000000018")
    _operator_a()
    out = tmp_path / "agg.json"
    call_command("export_aggregates", "--year", str(YEAR), "--output", str(out))
    assert json.loads(out.read_text())["figures"]["employees_followed"] == 42
    with pytest.raises(CommandError):
        call_command("merge_aggregates", str(out), str(out), "--output", str(tmp_path / "s.json"))
    for fmt in ("json", "csv", "ods", "pdf"):
        target = tmp_path / f"report.{fmt}"
        call_command("annual_report", "--year", str(YEAR), "--format", fmt, "--output", str(target))
        assert target.stat().st_size > 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["employees_followed"] == 42 and report["disclosure_control"]["applied"] is False


def test_the_national_adviser_uploads_aggregates(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = _aggregates_of(_operator_a, "20000000000018")
    b = _aggregates_of(_operator_b, "30000000000017")
    client = client_as(Role.NATIONAL_ADVISER)
    files = [
        SimpleUploadedFile(n, json.dumps(d).encode(), "application/json")
        for n, d in (("a.json", a), ("b.json", b))
    ]
    page = client.post(reverse("reports:federation"), {"files": files}).content.decode()
    assert "Synthèse 2025" in page and "62" in page
    again = [SimpleUploadedFile("a.json", json.dumps(a).encode()) for _ in range(2)]
    page = client.post(reverse("reports:federation"), {"files": again}).content.decode()
    assert "même opérateur" in page
