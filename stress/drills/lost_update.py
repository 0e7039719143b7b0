"""Drill « modification »: two clients change the same case at the same moment.

For each of ROUNDS open cases of a demo social worker, two clients with her personal API
token read the case (its ETag), then send their PATCH of the assessment at the same moment,
both with that ETag in If-Match, through gunicorn. Before issue 12, item 3, both were told
200 and one change was lost. Now exactly one is 200, the other 412 with a French message,
and the case holds the winner's text: nothing lost silently.
"""

from __future__ import annotations

import threading

import requests

from stress.drills import Drill
from stress.report import StressError, french_number, say

ROUNDS = 10
TIMEOUT = 30


def _cases(base_url: str, session: requests.Session) -> list[int]:
    answer = session.get(f"{base_url}/api/v1/cases/", params={"limit": 50}, timeout=TIMEOUT)
    answer.raise_for_status()
    return [row["id"] for row in answer.json()["results"] if not row.get("closed_on")]


def _race(base_url: str, token: str, case_id: int, round_number: int) -> list[tuple]:
    """Both PATCHes released together; returns [(status, text sent, French detail)]."""
    url = f"{base_url}/api/v1/cases/{case_id}/"
    sessions = [requests.Session() for _ in range(2)]
    for session in sessions:
        session.headers["Authorization"] = f"Bearer {token}"
    etag = sessions[0].get(url, timeout=TIMEOUT).headers.get("ETag", "")
    start = threading.Barrier(2)
    answers: list[tuple] = []
    lock = threading.Lock()

    def one(position: int) -> None:
        text = f"Évaluation de l'exercice {round_number}, client {position}"
        start.wait()
        answer = sessions[position].patch(
            url, json={"assessment": text}, headers={"If-Match": etag}, timeout=TIMEOUT
        )
        detail = answer.json().get("detail", "") if answer.status_code != 200 else ""
        with lock:
            answers.append((answer.status_code, text, detail))

    threads = [threading.Thread(target=one, args=(position,)) for position in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = sessions[0].get(url, timeout=TIMEOUT).json().get("assessment")
    return [(*answer, kept) for answer in answers]


def run(stack) -> list[str]:
    email = stack.accounts["emails"][0]
    token = stack.api_token(email)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    cases = _cases(stack.app.base_url, session)[:ROUNDS]
    if not cases:
        raise StressError("Modification concurrente : aucun dossier ouvert pour l'exercice.")
    say(f"{len(cases)} dossiers, chacun modifié au même moment par deux clients")
    problems, refusals = [], 0
    for round_number, case_id in enumerate(cases, start=1):
        answers = _race(stack.app.base_url, token, case_id, round_number)
        statuses = sorted(status for status, *_ in answers)
        if statuses != [200, 412]:
            problems.append(f"dossier {case_id} : réponses {statuses} au lieu de 200 et 412")
            continue
        winner = next(text for status, text, _, _ in answers if status == 200)
        kept = answers[0][3]
        if kept != winner:
            problems.append(f"dossier {case_id} : le texte gardé n'est pas celui accepté")
        refusals += 1
    if problems:
        raise StressError("Modification concurrente : " + " ; ".join(problems))
    return [
        f"{french_number(len(cases))} dossiers modifiés au même moment par deux clients : "
        f"à chaque fois une modification acceptée et gardée, l'autre refusée (412, "
        f"{french_number(refusals)} refus en français), rien de perdu en silence",
    ]


DRILL = Drill(
    name="modification",
    title="Concurrence : deux modifications simultanées d'un même dossier",
    run=run,
)
