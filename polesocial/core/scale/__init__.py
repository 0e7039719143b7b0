"""National- and region-size data for the benchmark: `manage.py demo --scale national`.

The operator, its administrator, teams, counsellors and workers go through the services a
real installation uses (`setup` and the administration screens). The volume — employers,
conventions, headcounts, five years of case work, material aid, collective work and time —
is built in memory per slice of employers and inserted in bulk (no journal entry per row:
this is generated history, not work done in the product), deterministic for a given seed.

Material aid: a catalogue of schemes for every funder (an own scheme for the largest
employers), one committee per team sitting monthly, and one request on a share of the
cases (`aid_share`), left as the product's transitions leave it — submitted within the
case's open period, on an agenda, decided (granted, partly granted, refused, postponed once),
paid, a loan's repayments scheduled — never dated after today (see `Generator._aid_plan`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """The volumes of one size. Headcounts are employees on the employers' rolls; employees
    are the people the service follows (a record each), some with several cases."""

    name: str
    employers: int
    workers: int
    headcount: int
    employees: int
    cases: int
    interviews_per_case: int
    actions: int
    meetings: int
    years: int = 5
    workers_per_team: int = 10
    # Share of cases with a material-aid request (one each).
    aid_share: float = 0.09


SCALES = {
    "national": Scale(
        name="national",
        employers=2_000,
        workers=1_000,
        headcount=1_000_000,
        employees=240_000,
        cases=300_000,
        interviews_per_case=8,
        actions=30_000,
        meetings=20_000,
    ),
    "region": Scale(
        name="region",
        employers=200,
        workers=100,
        headcount=100_000,
        employees=24_000,
        cases=30_000,
        interviews_per_case=8,
        actions=3_000,
        meetings=2_000,
    ),
    # For the test suite: the same code paths at a size that runs in seconds.
    "tiny": Scale(
        name="tiny",
        employers=6,
        workers=4,
        headcount=3_000,
        employees=40,
        cases=50,
        interviews_per_case=4,
        actions=12,
        meetings=8,
        workers_per_team=2,
        # More aid than in life, so that each year of fifty cases holds requests, grants and
        # payments to check.
        aid_share=0.3,
    ),
}


def generate(
    scale: Scale | str,
    *,
    seed: int = 2026,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Fill an empty database at `scale`; returns the rows created per table."""
    from polesocial.core.scale.generator import Generator

    if isinstance(scale, str):
        scale = SCALES[scale]
    return Generator(scale, seed=seed, progress=progress).run()
