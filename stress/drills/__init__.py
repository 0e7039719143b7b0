"""The registry of drills that `python -m stress` runs, in order, on one throwaway stack.

A drill is a function `run(stack) -> list[str]`: it works against `stack` (the PostgreSQL
cluster, the gunicorn server, the demo accounts), returns the French lines that report its
figures, and raises `StressError` with a French message when it fails. It leaves the stack
running, as it found it, for the next drill.

To add one (issue 12, items 1–3: two invoice runs at once for one quarter, two workers
taking one referral, two simultaneous PATCHes of one case), write `stress/drills/<name>.py`
with its `DRILL = Drill(...)` and add it to `DRILLS` below, before the crash drill, which
kills the server and the database under its writers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stress.stack import Stack


@dataclass(frozen=True)
class Drill:
    name: str  # what `python -m stress --only NAME` takes
    title: str  # French, as printed
    run: Callable[[Stack], list[str]]


def registry() -> list[Drill]:
    from stress.drills import crash, invoice_runs, load, lost_update, referral_take

    return [
        load.DRILL,
        # Concurrency drills of issue 12 (items 1–3): nothing doubled, nothing lost.
        invoice_runs.DRILL,
        referral_take.DRILL,
        lost_update.DRILL,
        crash.DRILL,
    ]
