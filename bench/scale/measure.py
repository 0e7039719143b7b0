"""One database at one size: every measure against its floor, written as JSON.

Run by `python -m bench.scale` in a process of its own (DATABASE_URL names the generated
database; settings `bench.scale.settings`: the demo's keys, DEBUG off), as
`python -m bench.scale.measure OUTPUT.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.timing import compare

ROOT = Path(__file__).resolve().parents[2]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.scale.settings")
    import django

    django.setup()


def ratio_row(name: str, timing, unit_label: str, floor_label: str, **details) -> dict:
    return {
        "name": name,
        "seconds": round(timing.measure, 4),
        "floor_seconds": round(timing.floor, 4),
        "ratio": round(timing.ratio, 2),
        "unit": unit_label,
        "floor": floor_label,
        **details,
    }


class Failure(RuntimeError):
    """A measure whose floor disagrees with the product: the figures mean nothing."""


# Volumes ------------------------------------------------------------------------------


def volumes() -> dict[str, int]:
    from django.apps import apps

    labels = (
        "organisations.Employer", "organisations.Headcount", "organisations.Convention",
        "organisations.SocialWorker", "casework.Employee", "casework.Referral",
        "casework.Case", "casework.Interview", "casework.Orientation",
        "aid.AidRequest", "aid.AidDecision", "aid.AidPayment",
        "collective.CollectiveAction", "collective.BodyMeeting", "billing.TimeEntry",
        "privacy.AuditEntry",
    )  # fmt: skip
    counts = {label: apps.get_model(label).objects.count() for label in labels}
    from django.db.models import Sum

    from polesocial.organisations.models import Headcount

    year = dt.date.today().year - 1
    counts["headcount_total_last_year"] = (
        Headcount.objects.filter(year=year).aggregate(t=Sum("total"))["t"] or 0
    )
    return counts


# Reports ------------------------------------------------------------------------------


def _largest_employer() -> int:
    from django.db.models import Count

    from polesocial.casework.models import Case

    return (
        Case.objects.values_list("snapshot_employer")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()[0]
    )


def reports() -> list[dict]:
    from bench.scale import floors
    from polesocial.reports import queries
    from polesocial.reports.report import build_report, raw_figures

    year = dt.date.today().year - 1
    rows = []
    for name, kind, pk, controlled in (
        ("operator_report", "operator", None, False),
        ("employer_report", "employer", _largest_employer(), True),
    ):
        scope = queries.resolve_scope(kind, pk)
        figures = raw_figures(year, scope)
        floor_figures = floors.report_figures(year, pk)
        aid = floors.product_aid_amounts(year, scope)
        differences = floors.same_report_figures(figures, floor_figures, aid)
        if differences:
            raise Failure(f"{name} : le plancher ne donne pas les mêmes chiffres : {differences}")
        timing = compare(
            lambda scope=scope, controlled=controlled: build_report(
                year, scope, controlled=controlled
            ),
            lambda pk=pk: floors.report_figures(year, pk),
            number=1,
            repeat=REPEAT,
        )
        rows.append(
            ratio_row(
                name,
                timing,
                "s/bilan",
                "une requête SQL écrite à la main donnant les mêmes chiffres",
                year=year,
                scope=kind,
                employer=pk,
                disclosure_control=controlled,
                cases_followed=figures["employees_followed"],
            )
        )
        if kind == "employer":
            rows.extend(served_report(year, scope, figures))
    return rows


def served_report(year: int, scope, figures: dict) -> list[dict]:
    """The employer's report of a closed year as its page serves it (reports/views.py):
    the first display computes it and keeps it (StoredReport, reports/cache.py), every
    later one reads it back. Both timed against the same floor as the computation; the
    report served is checked to be the one computed from the figures equal to the floor."""
    from django.test import Client

    from bench.scale import floors, load
    from polesocial.organisations.models import Employer
    from polesocial.reports import cache
    from polesocial.reports.models import StoredReport
    from polesocial.reports.report import assemble, with_aid

    if not cache.is_closed(year):
        raise Failure(f"le bilan de {year} n'est pas celui d'une année close.")
    employer = Employer.objects.select_related("team__counsellor").get(pk=scope.id)
    counsellor = employer.team.counsellor  # reads her teams' employers' reports, controlled
    client = Client()
    client.cookies["sessionid"] = load.session_for(counsellor)
    url = f"/bilans/employer/{scope.id}/{year}/"
    kept = StoredReport.objects.filter(scope_kind="employer", scope_id=scope.id, year=year)

    def display() -> None:
        answer = client.get(url)
        if answer.status_code != 200:
            raise Failure(f"{url} répond {answer.status_code}.")

    def first_display() -> None:
        kept.delete()  # nothing kept: the page computes the report (and its observation)
        display()

    first_display()
    stored = json.loads(kept.get(variant="offer").content)["report"]
    # As the page builds it (reports/views.py): the figures' report, then its aid amounts
    # under the dominance rule (their raw amounts are the floor's, checked in reports()).
    computed_report = assemble(year, scope.as_json(), figures, controlled=True)
    computed = json.loads(
        json.dumps(with_aid(computed_report, year, scope, controlled=True), ensure_ascii=False)
    )
    if stored != computed:
        raise Failure(
            "bilan servi : la page ne sert pas le bilan calculé des chiffres du plancher."
        )
    rows = []
    computed_at = None
    for name, operation, note in (
        ("employer_report_first", first_display, "premier affichage : calculé puis gardé"),
        ("employer_report_stored", display, "année close : lu dans StoredReport"),
    ):
        if operation is display:
            computed_at = kept.get(variant="offer").computed_at
        timing = compare(
            operation, lambda: floors.report_figures(year, scope.id), number=1, repeat=REPEAT
        )
        rows.append(
            ratio_row(
                name,
                timing,
                "s/page",
                "une requête SQL écrite à la main donnant les mêmes chiffres",
                year=year,
                scope="employer",
                employer=scope.id,
                url=url,
                served=note,
            )
        )
    # Read back, never computed again: the report kept before the timed displays is theirs.
    if not kept.filter(variant="offer", computed_at=computed_at).exists():
        raise Failure("bilan servi : la page a recalculé le bilan de l'année close.")
    return rows


# Invoice run ---------------------------------------------------------------------------


def invoice_run() -> dict:
    from bench.scale import floors
    from polesocial.billing.models import Invoice
    from polesocial.billing.rules import quarter_bounds
    from polesocial.billing.services import invoice_run as run
    from polesocial.organisations.models import Employer

    year = dt.date.today().year - 4  # the first quarter of the generated history
    _start, end = quarter_bounds(year, 1)
    expected = floors.unbilled_minutes(end)
    drafts = run(actor=None, year=year, quarter=1)
    billed = floors.drafted_minutes(Invoice.objects.filter(pk__in=[d.pk for d in drafts]))
    if billed != expected or not billed:
        raise Failure("facturation : les brouillons ne facturent pas les minutes du plancher.")
    # Timed: a re-run (it replaces its drafts) against the floor, which reads the same
    # entries through the same link table.
    timing = compare(
        lambda: run(actor=None, year=year, quarter=1),
        lambda: floors.unbilled_minutes(end),
        number=1,
        repeat=REPEAT,
    )
    return ratio_row(
        "invoice_run",
        timing,
        "s/facturation",
        "un agrégat SQL des minutes non facturées du trimestre par employeur",
        employers=Employer.objects.count(),
        drafts=len(drafts),
        year=year,
        quarter=1,
        per_employer_ms=round(timing.measure * 1000 / max(1, len(drafts)), 2),
    )


# Retention and subject access ----------------------------------------------------------


def retention() -> dict:
    from django.utils import timezone

    from bench.scale import floors
    from polesocial.casework.services.retention import active_cutoff, retention_plan

    today = timezone.localdate()
    plan = retention_plan(today=today)
    expected = floors.inactive_employees(active_cutoff(today))
    if len(plan.inactive_employees) != expected:
        raise Failure(
            f"conservation : {len(plan.inactive_employees)} agents inactifs, plancher {expected}."
        )
    timing = compare(
        lambda: retention_plan(today=today),
        lambda: floors.inactive_employees(active_cutoff(today)),
        number=1,
        repeat=REPEAT,
    )
    return ratio_row(
        "retention_plan",
        timing,
        "s/plan",
        "une requête SQL comptant les agents sans contact depuis deux ans",
        inactive_employees=expected,
        to_archive=len(plan.to_archive),
    )


def subject_access() -> dict:
    from django.db.models import Count

    from bench.scale import floors
    from polesocial.casework.models import Employee
    from polesocial.casework.subject_access import subject_export
    from polesocial.users.enums import Role
    from polesocial.users.models import User

    employee = Employee.objects.annotate(n=Count("cases")).order_by("-n", "pk").first()
    dpo = User.objects.filter(role=Role.DPO).first()
    export = subject_export(actor=dpo, employee=employee)
    counted = {
        "casework.Employee", "casework.Referral", "casework.Consent", "casework.Case",
        "casework.Interview", "casework.Orientation",
    }  # fmt: skip
    rows = sum(len(s["lignes"]) for s in export["données"] if s["table"] in counted)
    if rows != floors.employee_rows(employee.pk):
        raise Failure("droit d'accès : l'export ne compte pas les lignes du plancher.")
    timing = compare(
        lambda: subject_export(actor=dpo, employee=employee),
        lambda: floors.employee_rows(employee.pk),
        number=1,
        repeat=REPEAT,
    )
    return ratio_row(
        "subject_export",
        timing,
        "s/export",
        "une requête SQL comptant les lignes qui le concernent",
        employee=employee.pk,
        rows=rows,
    )


# Commands: wall time and peak memory ------------------------------------------------------


def run_command(args: list[str]) -> dict:
    """`manage.py args` in a child process: its wall time and its own peak memory (measured
    by bench/scale/peak.py, a small process of its own: see why there)."""
    started = time.perf_counter()
    process = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "-m", "bench.scale.peak", sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    stderr = process.stderr.decode(errors="replace")
    peak_kb = int(process.stdout.decode().split()[-1])
    return {
        "command": " ".join(args),
        "seconds": round(time.perf_counter() - started, 2),
        "peak_memory_mb": round(peak_kb / 1024, 1),
        "exit_code": process.returncode,
        "error": stderr.strip().splitlines()[-1] if process.returncode and stderr else "",
    }


def commands() -> list[dict]:
    from django.db.models import Count

    from polesocial.casework.models import Employee

    year = dt.date.today().year
    employee = Employee.objects.annotate(n=Count("cases")).order_by("-n", "pk").first()
    return [
        run_command(["annual_report", "--year", str(year - 1), "--output", os.devnull]),
        run_command(
            [
                "annual_report",
                "--year",
                str(year - 1),
                "--employer",
                str(_largest_employer()),
                "--output",
                os.devnull,
            ]
        ),  # fmt: skip
        run_command(["invoice_run", "--year", str(year - 4), "--quarter", "2"]),
        run_command(["retention"]),
        run_command(["subject_export", "--employee", str(employee.pk), "--output", os.devnull]),
    ]


def main(argv: list[str]) -> int:
    setup()
    from bench.scale import load

    output = Path(argv[0])
    result: dict = {"volumes": volumes(), "measures": [], "commands": [], "pages": {}}
    steps = (
        ("bilans", lambda: result["measures"].extend(reports())),
        ("facturation", lambda: result["measures"].append(invoice_run())),
        ("conservation", lambda: result["measures"].append(retention())),
        ("droit d'accès", lambda: result["measures"].append(subject_access())),
        ("commandes", lambda: result["commands"].extend(commands())),
        ("pages", lambda: result.update(load.pages())),
    )
    for label, step in steps:
        started = time.perf_counter()
        print(f"  … {label}", file=sys.stderr, flush=True)
        step()
        print(f"    {label} : {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
