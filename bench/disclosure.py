"""`python -m bench.disclosure`: how much the demo's employer reports hide (issue 22).

On a new SQLite database in a temporary folder: `migrate`, `demo`, then
`disclosure_measure` for the demo's year (`demo_year`), once as each employer's year is
published and once with the three-year pooled report where its page offers it. Prints both
measures and writes them to bench/results-disclosure.json (not kept). The target is 40 % of
the non-zero person cells or less; missing it is reported, never an error (like every
figure of the bench). tests/reports/test_measure.py asserts the same measure on the demo of
the tests' fixed reference date. The demo is drawn again from each reference date, so the
figure moves by a few cells from one day to the next (README of polesocial/reports).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "results-disclosure.json"
TARGET = 0.40
FIRST_LINE = re.compile(r"(\d+) sur (\d+)")


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def demo_year(reference: dt.date) -> int:
    """The calendar year holding most of the demo's twelve months of activity up to its
    reference date: that year from July, the year before until June (in January the
    reference year holds a few days: its reports would measure nothing)."""
    return reference.year if reference >= dt.date(reference.year, 7, 1) else reference.year - 1


def measure(year: int | None = None) -> dict:
    reference = os.environ.get("DEMO_REFERENCE_DATE")  # the demo's « today », if fixed
    year = year or demo_year(dt.date.fromisoformat(reference) if reference else dt.date.today())
    with tempfile.TemporaryDirectory(prefix="bench-disclosure-") as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder) / 'demo.sqlite3'}"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        _manage(env, "migrate", "-v0")
        _manage(env, "demo")
        result: dict = {"year": year, "target": TARGET}
        for name, extra in (("yearly", ()), ("pooled", ("--cumul",))):
            text = _manage(env, "disclosure_measure", "--year", str(year), *extra)
            suppressed, nonzero = map(int, FIRST_LINE.search(text.splitlines()[1]).groups())
            result[name] = {
                "suppressed": suppressed,
                "nonzero": nonzero,
                "share": round(suppressed / nonzero, 4) if nonzero else 0.0,
                "output": text,
            }
    result["met"] = result["pooled"]["share"] <= TARGET
    return result


def main() -> int:
    result = measure()
    OUTPUT.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    for name, label in (("yearly", "année seule"), ("pooled", "cumul là où il est proposé")):
        part = result[name]
        print(
            f"Secret statistique, bilans employeurs {result['year']} de la démo ({label}) : "
            f"{part['suppressed']} cases de personnes masquées sur {part['nonzero']} "
            f"({part['share']:.0%})".replace("%", " %")
        )
    verdict = "atteinte" if result["met"] else "manquée"
    print(f"Cible ≤ 40 % (bilan que chaque employeur lit) : {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
