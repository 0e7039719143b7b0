"""Drill « facturation »: two wet invoice runs with --issue, started together, one quarter.

Two `manage.py invoice_run --wet-run --issue` processes for the last ended quarter (only an
ended quarter may be invoiced; its demo invoices are first cancelled by credit notes, so
that its time is to bill again) start at the same moment,
as two officers or a cron and an officer would. Before issue 12, item 1, every employer got
two invoices. Now the second run waits for the first's lock, then finds its invoices and
bills nothing: one invoice per employer and period, no time entry on two invoices, both
commands end without error.
"""

from __future__ import annotations

import json
import subprocess
import sys

from stress.app import ROOT
from stress.drills import Drill
from stress.report import StressError, french_number, say

RUNS = 2
RUN_SECONDS = 600


def _look(stack, *args: str) -> dict:
    out = stack.app.run(
        "-m", "stress.drills.concurrency_db", *args, what="La lecture de la base"
    )  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def _runs_at_once(stack, year: int, quarter: int) -> list[subprocess.CompletedProcess]:
    command = [
        sys.executable, "manage.py", "invoice_run", "--year", str(year),
        "--quarter", str(quarter), "--wet-run", "--issue",
    ]  # fmt: skip
    processes = [
        subprocess.Popen(  # noqa: S603 - our own Python and manage.py
            command,
            cwd=ROOT,
            env=stack.app.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(RUNS)
    ]
    results = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=RUN_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            raise StressError(f"une préparation dure plus de {RUN_SECONDS} s.") from None
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def run(stack) -> list[str]:
    period = _look(stack, "quarter")
    year, quarter = period["year"], period["quarter"]
    _look(stack, "credit", str(year), str(quarter))
    before = _look(stack, "invoices", str(year), str(quarter))
    say(f"{RUNS} préparations avec émission du trimestre {quarter} de {year}, au même moment")
    results = _runs_at_once(stack, year, quarter)
    failed = [result for result in results if result.returncode]
    if failed:
        tail = "\n".join(failed[0].stderr.strip().splitlines()[-8:])
        raise StressError(f"{len(failed)} préparation(s) sur {RUNS} en échec :\n{tail}")
    after = _look(stack, "invoices", str(year), str(quarter))
    issued = after["issued"] - before["issued"]
    summaries = [result.stdout.strip().splitlines()[-1] for result in results]
    problems = []
    if after["doubled"]:
        problems.append(f"{after['doubled']} employeur(s) avec deux factures pour une période")
    if after["entries_twice"]:
        problems.append(f"{after['entries_twice']} temps sur deux factures")
    if issued <= 0:
        problems.append("aucune facture émise : l'exercice ne prouve rien")
    if problems:
        raise StressError("Facturation en double : " + " ; ".join(problems) + ".")
    return [
        f"{RUNS} préparations simultanées avec émission : {french_number(issued)} factures "
        f"émises pour {french_number(after['employers'])} employeurs, une par employeur et "
        "période, aucun temps facturé deux fois",
        *(f"préparation {n} : {summary}" for n, summary in enumerate(summaries, start=1)),
    ]


DRILL = Drill(
    name="facturation",
    title="Concurrence : deux préparations de facturation simultanées avec émission",
    run=run,
)
