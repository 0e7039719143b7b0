"""Drill « charge »: 50 social workers at once behind gunicorn, zero errors, p50 and p95.

locust runs headless (no web interface, no port of its own) against 127.0.0.1 only, for
STRESS_DURATION seconds (300 at most), with the journeys of stress/locustfile.py.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass

from stress.app import ROOT
from stress.drills import Drill
from stress.report import StressError, french_number, say

SPAWN_RATE = 5  # users a second: 50 users have all started after ~10 s
# From this duration on, every simulated user must have signed in (Argon2 makes sign-in
# the slowest step: on a loaded machine the last of 50 takes tens of seconds).
FULL_SIGN_IN_SECONDS = 60


@dataclass(frozen=True)
class Figures:
    requests: int
    failures: int
    p50: int
    p95: int
    per_second: float
    sign_ins: int
    sign_in_p50: int  # the password step (Argon2, deliberately slow)
    sign_in_p95: int
    load_average: float  # of the machine, at the end of the drill


def _rows(prefix: str) -> dict[str, dict[str, str]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def _failures(prefix: str) -> list[str]:
    try:
        with open(f"{prefix}_failures.csv", encoding="utf-8") as failures:
            return [f"{row['Occurrences']} × {row['Error']}" for row in csv.DictReader(failures)]
    except FileNotFoundError:
        return []


def figures(prefix: str) -> Figures:
    rows = _rows(prefix)
    total = rows["Aggregated"]
    sign_in = rows.get("/connexion/code/ (TOTP)", {})
    password = rows.get("/connexion/ (mot de passe)", {})
    return Figures(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p50=int(float(total["50%"])),
        p95=int(float(total["95%"])),
        per_second=float(total["Requests/s"]),
        sign_ins=int(sign_in.get("Request Count", 0)) - int(sign_in.get("Failure Count", 0)),
        sign_in_p50=int(float(password.get("50%", 0))),
        sign_in_p95=int(float(password.get("95%", 0))),
        load_average=os.getloadavg()[0],
    )


def run(stack) -> list[str]:
    options = stack.options
    prefix = str(stack.workdir / "charge")
    say(
        f"charge : {options.users} ASS simulées pendant {options.load_seconds} s "
        f"(connexion mot de passe + TOTP, tableau de bord, dossiers, file, saisies)"
    )
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "stress" / "locustfile.py"),
        "--headless", "--only-summary", "--loglevel", "WARNING",
        "--users", str(options.users), "--spawn-rate", str(SPAWN_RATE),
        "--run-time", f"{options.load_seconds}s", "--stop-timeout", "10",
        "--host", stack.app.base_url, "--csv", prefix,
    ]  # fmt: skip
    env = {**stack.app.env, "STRESS_ACCOUNTS": str(stack.accounts_file)}
    env.pop("DJANGO_SETTINGS_MODULE")  # locust never loads Django
    with open(stack.workdir / "locust.log", "wb") as log:
        try:
            subprocess.run(  # noqa: S603 - our own Python and locust
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                timeout=options.load_seconds + 120, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as error:
            raise StressError("locust ne s'est pas arrêté à temps.") from error
    if not os.path.exists(f"{prefix}_stats.csv"):
        raise StressError(f"locust n'a rien mesuré ; voir {stack.workdir / 'locust.log'}.")
    result = figures(prefix)
    lines = [
        f"{french_number(result.requests)} requêtes, {result.failures} erreur(s), "
        f"{french_number(result.per_second, 1)} requêtes/s",
        f"temps de réponse : médiane (p50) {french_number(result.p50)} ms, "
        f"95e centile (p95) {french_number(result.p95)} ms",
    ]
    for name, row in sorted(_rows(prefix).items()):
        if name != "Aggregated":
            lines.append(
                f"  {name} : {french_number(int(row['Request Count']))} requêtes, "
                f"p50 {french_number(float(row['50%']))} ms, "
                f"p95 {french_number(float(row['95%']))} ms"
            )
    problems = _failures(prefix)
    signed_in = f"{result.sign_ins} connexions réussies sur {options.users}"
    if result.sign_ins < options.users and options.load_seconds >= FULL_SIGN_IN_SECONDS:
        problems.append(signed_in)
    elif result.sign_ins < options.users:  # a short run may end before the last sign-ins
        lines.append(f"{signed_in} (exercice court : les autres n'ont pas fini à temps)")
    crashes = stack.app.server_errors()
    problems += [f"erreur du serveur : {error}" for error in crashes]
    if result.failures or problems or not result.requests:
        raise StressError("\n".join(["la charge a échoué :", *lines, *problems]))
    stack.load_figures = result
    return lines


DRILL = Drill(name="charge", title="Charge : des ASS au travail en même temps", run=run)
