"""Drill « saisine »: the workers of a team take the same referral at the same moment.

For each of ROUNDS new referrals of a team's queue, every worker of the team (up to four)
takes it at once, each in her own thread with her own connection to PostgreSQL, released
together, through the take service the screen uses. Before issue 12, item 2, several were
told it was theirs. Now exactly one has it, and each other is told « Cette saisine vient
d'être prise par une collègue » (or, if she came after, that it is already a colleague's).
"""

from __future__ import annotations

import json

from stress.drills import Drill
from stress.report import StressError, french_number, say

ROUNDS = 20
TAKEN = "Cette saisine vient d'être prise par une collègue."
ALREADY = "Cette saisine est déjà attribuée à une collègue."


def run(stack) -> list[str]:
    say(f"{ROUNDS} saisines, chacune prise au même moment par les ASS d'une équipe")
    out = stack.app.run(
        "-m", "stress.drills.concurrency_db", "take", str(ROUNDS),
        what="L'exercice de prise de saisine",
    )  # fmt: skip
    result = json.loads(out.strip().splitlines()[-1])
    won, refusals = result["won"], result["refusals"]
    problems = list(result["errors"])
    if won.get("1", 0) != ROUNDS:
        other = {count: n for count, n in won.items() if count != "1"}
        problems.append(f"saisines prises par un autre nombre d'ASS que une : {other}")
    unexpected = set(refusals) - {TAKEN, ALREADY}
    if unexpected:
        problems.append(f"refus inattendus : {sorted(unexpected)}")
    if problems:
        raise StressError("Prise de saisine concurrente : " + " ; ".join(problems))
    takers = result["takers"]
    return [
        f"{french_number(ROUNDS)} saisines prises au même moment par {takers} ASS : chacune "
        f"par une seule, {french_number(sum(refusals.values()))} refus en français",
        *(f"« {message} » : {french_number(n)} fois" for message, n in sorted(refusals.items())),
    ]


DRILL = Drill(
    name="saisine",
    title="Concurrence : plusieurs ASS prennent la même saisine au même moment",
    run=run,
)
