"""`python -m stress [--only NAME] [--list] [--keep] [--readme]`: load and crash drills.

Builds a throwaway stack (stress.stack), runs the drills of stress.drills in order, prints a
French summary, and exits 1 if any drill failed. `make stress` runs it; `make test` never.
"""

from __future__ import annotations

import argparse
import signal
import sys

from stress.drills import registry
from stress.report import StressError, say
from stress.stack import Options, Stack


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m stress",
        description="Exercices de charge et de panne sur une pile jetable (PostgreSQL, "
        "gunicorn, données de démonstration). Réglages : STRESS_USERS (50), STRESS_DURATION "
        "(300 s au plus), STRESS_CRASH_ROUNDS (2), STRESS_PG_PORT (55432), STRESS_HTTP_PORT "
        "(58000).",
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="NOM", help="seulement cet exercice"
    )
    parser.add_argument("--list", action="store_true", help="liste les exercices")
    parser.add_argument(
        "--keep", action="store_true", help="garde les journaux même si tout réussit"
    )
    parser.add_argument(
        "--readme", action="store_true", help="écrit les temps de réponse dans le README"
    )
    return parser.parse_args(argv)


def _stop_on_term(signum, frame):
    raise KeyboardInterrupt  # the stack is torn down as after Ctrl+C


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop_on_term)
    args = _arguments(argv)
    drills = registry()
    if args.list:
        for drill in drills:
            print(f"{drill.name:<12} {drill.title}")
        return 0
    unknown = set(args.only) - {drill.name for drill in drills}
    if unknown:
        print(f"Exercice inconnu : {', '.join(sorted(unknown))} (voir --list).", file=sys.stderr)
        return 2
    chosen = [drill for drill in drills if not args.only or drill.name in args.only]
    try:
        stack = Stack(Options.from_env())
    except StressError as error:
        print(f"Impossible de préparer l'exercice : {error}", file=sys.stderr)
        return 1
    results: list[tuple[str, bool, list[str]]] = []
    try:
        stack.build()
        for drill in chosen:
            say(f"── {drill.title}")
            try:
                results.append((drill.title, True, drill.run(stack)))
            except StressError as error:
                results.append((drill.title, False, str(error).splitlines()))
    except StressError as error:
        results.append(("Préparation de la pile", False, str(error).splitlines()))
    except KeyboardInterrupt:
        results.append(("Interruption", False, ["exercice arrêté avant la fin"]))
    finally:
        failed = any(not ok for _, ok, _ in results)
        stack.tear_down(keep=args.keep or failed)
    _summary(results)
    if args.readme and not failed and getattr(stack, "load_figures", None):
        from stress.readme import write_figures

        write_figures(stack.options, stack.load_figures)
        print("Temps de réponse écrits dans le README.")
    return 1 if failed else 0


def _summary(results: list[tuple[str, bool, list[str]]]) -> None:
    print("\nBilan des exercices :")
    for title, ok, lines in results:
        print(f"  {'RÉUSSI' if ok else 'ÉCHEC '}  {title}")
        for line in lines:
            print(f"          {line}")


if __name__ == "__main__":
    raise SystemExit(main())
