"""`python -m bench.scale`: the product at region and national size, on SQLite and PostgreSQL.

For each database and size: a new database, `migrate`, `demo --scale SIZE` (timed, peak
memory), then `bench.scale.measure` in a process of its own. Writes bench/results.json and
the table of README.md's performance section. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scale.measure import ROOT, run_command
from bench.scale.report import linearity, markdown, targets, write_readme

OUTPUT = ROOT / "bench" / "results.json"
SETTINGS = "bench.scale.settings"
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "55433"))


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--sizes", default="region,national", help="region,national")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--no-readme", action="store_true", help="Ne pas réécrire le tableau du README."
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="RÉSULTATS",
        help="Réunir les exécutions de plusieurs fichiers de résultats (bancs lancés à part, "
        "par exemple une taille par machine) en un seul, sans rien mesurer.",
    )
    return parser.parse_args(argv)


class Databases:
    """Where each run's database lives: a temporary folder (SQLite), a throwaway
    PostgreSQL cluster of our own (stress/cluster.py), never the project's databases."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="polesocial-bench-scale-"))
        self.cluster = None

    def url(self, vendor: str, size: str) -> str:
        if vendor == "sqlite":
            path = self.folder / f"{size}.sqlite3"
            path.unlink(missing_ok=True)
            return f"sqlite:///{path}"
        from stress.cluster import DB_USER, Cluster

        if self.cluster is None:
            self.cluster = Cluster(PG_PORT)
            self.cluster.create()
        name = f"polesocial_bench_{size}"
        self.cluster._run("dropdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", DB_USER,
                          "--if-exists", name)  # fmt: skip
        self.cluster._run("createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", DB_USER, name)
        return f"postgres://{DB_USER}@127.0.0.1:{PG_PORT}/{name}"

    def close(self):
        if self.cluster is not None:
            self.cluster.destroy()
        shutil.rmtree(self.folder, ignore_errors=True)


def code_version() -> str | None:
    """The commit the bench runs (with « +modifié » when the work tree differs from it), so
    that only runs of the same code are compared; None outside a git checkout."""
    git = shutil.which("git")

    def ask(*arguments: str) -> str:
        return subprocess.run(  # noqa: S603 - git, fixed arguments
            [git, *arguments], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = ask("rev-parse", "--short=12", "HEAD")
        changed = ask("status", "--porcelain", "--untracked-files=no")
    except (TypeError, OSError, subprocess.CalledProcessError):
        return None
    return f"{commit}+modifié" if changed else commit


def one_run(vendor: str, size: str, databases: Databases) -> dict:
    load_start = os.getloadavg()[0]
    url = databases.url(vendor, size)
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    say(f"{vendor} · {size} : migration")
    migrate = run_command(["migrate", "--noinput"])
    if migrate["exit_code"]:
        raise RuntimeError(f"migrate a échoué : {migrate['error']}")
    say(f"{vendor} · {size} : génération (manage.py demo --scale {size})")
    generation = run_command(["demo", "--scale", size])
    if generation["exit_code"]:
        raise RuntimeError(f"la génération a échoué : {generation['error']}")
    say(f"{vendor} · {size} : génération en {generation['seconds']:.0f} s")
    part = databases.folder / f"{vendor}-{size}.json"
    say(f"{vendor} · {size} : mesures")
    subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.scale.measure", str(part)], cwd=ROOT, check=True
    )
    result = json.loads(part.read_text())
    result["generation"] = generation
    result["database"] = vendor
    result["size"] = size
    result["commit"] = code_version()
    result["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")  # its end
    result["load_average"] = {"start": round(load_start, 2), "end": round(os.getloadavg()[0], 2)}
    return result


def main(argv=None) -> int:
    options = _arguments(argv)
    if options.merge:
        parts = [json.loads(path.read_text()) for path in options.merge]
        return _write(options, *_merged(parts), merged=True)
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    runs = []
    databases = Databases()
    try:
        for vendor in options.databases.split(","):
            for size in options.sizes.split(","):
                runs.append(one_run(vendor, size, databases))
    finally:
        databases.close()
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": round(load_start, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
    }
    return _write(options, runs, machine, round(time.perf_counter() - started))


def _merged(parts: list[dict]) -> tuple[list[dict], dict, int]:
    """The runs of several results files, one per database and size (a later file's run
    replaces an earlier one's), each keeping the date and load of its own file."""
    runs: dict[tuple[str, str], dict] = {}
    origin: dict[tuple[str, str], int] = {}
    for index, part in enumerate(parts):
        for run in part["runs"]:
            run.setdefault("measured_at", part["generated_at"])
            run.setdefault(
                "load_average",
                {
                    "start": part["machine"]["load_average_at_start"],
                    "end": part["machine"]["load_average_at_end"],
                },
            )
            runs[(run["database"], run["size"])] = run
            origin[(run["database"], run["size"])] = index
    kept = list(runs.values())
    machine = {
        **parts[-1]["machine"],
        "load_average_at_start": max(r["load_average"]["start"] for r in kept),
        "load_average_at_end": max(r["load_average"]["end"] for r in kept),
    }
    used = sorted(set(origin.values()))
    return kept, machine, sum(parts[i]["duration_seconds"] for i in used)


def _write(options, runs: list[dict], machine: dict, duration: int, merged=False) -> int:
    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "duration_seconds": duration,
        "merged": merged,  # runs of several executions (--merge): each has its date and load
        "ratios": {
            f"{run['database']}.{run['size']}.{name}": value
            for run in runs
            for name, value in _ratios(run).items()
        },
        "volumes": {f"{run['database']}.{run['size']}": run["volumes"] for run in runs},
        "runs": runs,
    }
    report["targets"] = targets(report)
    report["not_judged"] = linearity(report)[1]
    options.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    table = markdown(report)
    print(table)
    if not options.no_readme:
        write_readme(table)
    say(f"résultats écrits dans {options.output}")
    return 0


def _ratios(run: dict) -> dict[str, float]:
    ratios = {m["name"]: m["ratio"] for m in run["measures"]}
    ratios.update({name: page["ratio_p95"] for name, page in run["pages"].items()})
    return ratios


if __name__ == "__main__":
    raise SystemExit(main())
