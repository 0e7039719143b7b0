"""The benchmark harness runs end to end on tiny volumes. No timing is ever asserted here:
speed is measured by `make bench`, as ratios, never in the test suite."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASURES = {
    "audit_append",
    "audit_verify",
    "crypto_round_trip",
    "employer_list",
    "employer_list_filtered",
    "employer_detail",
    "invoice_run",
    "annual_report",
}


def test_the_benchmark_runs_on_small_volumes(tmp_path):
    output = tmp_path / "results.json"
    # A process of its own: the harness sets up Django and its own temporary database
    # (PostgreSQL when DATABASE_URL is set, as in CI's second run).
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench", "--small", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert "Mesure" in result.stdout and "Plancher" in result.stdout and "Ratio" in result.stdout
    report = json.loads(output.read_text())
    assert {row["key"] for row in report["measures"]} == MEASURES
    for row in report["measures"]:
        assert row["value"] > 0 and row["floor"] > 0 and row["ratio"] > 0
    assert report["volumes"]["journal_entries"] == report["plan"]["journal_entries"]
    pages = report["sql_queries"]
    assert set(pages) == {"health", "employer_list", "employer_list_filtered", "employer_detail"}
    for page in pages.values():
        assert len(page["counts"]) == 2 and all(n > 0 for n in page["counts"].values())


def test_the_national_size_bench_runs_end_to_end_at_a_tiny_size(tmp_path):
    """`python -m bench.scale` at the generator's tiny size, on SQLite: generation, every
    measure with its floor checked equal, commands' memory, gunicorn under a few clients."""
    output = tmp_path / "results.json"
    env = {**os.environ, "BENCH_ROUNDS": "1", "BENCH_CLIENTS": "5", "BENCH_REPEAT": "1"}
    env.pop("DATABASE_URL", None)  # the bench makes its own databases
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.scale", "--sizes", "tiny", "--databases", "sqlite",
         "--output", str(output), "--no-readme"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(output.read_text())
    ratios = report["ratios"]
    for name in ("operator_report", "employer_report", "employer_report_first",
                 "employer_report_stored", "invoice_run", "case_list_page"):  # fmt: skip
        assert ratios[f"sqlite.tiny.{name}"] > 0
    assert report["volumes"]["sqlite.tiny"]["casework.Case"] > 0
    assert report["volumes"]["sqlite.tiny"]["aid.AidPayment"] > 0
    run = report["runs"][0]
    assert run["load"]["errors"] == []
    assert all(command["exit_code"] == 0 for command in run["commands"])
    assert "| Mesure (ratio au plancher) |" in result.stdout
