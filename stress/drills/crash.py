"""Drill « panne »: kill -9 the server, then the database, under concurrent API writes.

Writers (two per demo social worker, each with her personal API token) add time entries
through POST /api/v1/time-entries/ without pause. Each write the server acknowledged (201
with its id) goes into a client-side ledger. Meanwhile: kill -9 of gunicorn (master and
workers at once), restart; kill -9 of PostgreSQL (postmaster and backends), restart — the
server is not restarted: it must find the database again by itself. Then the ledger is
checked against the database (stress.ledger): every acknowledged write present, with the
values sent, none half-written (each entry with its journal row), and `verify_audit`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
from dataclasses import dataclass, field

import requests

from stress.drills import Drill
from stress.report import StressError, french_number, say

WRITERS_PER_ACCOUNT = 2
RECOVERY_SECONDS = 60  # how long the server may take to answer 201 again after a restart
DEMO_WORKERS = 4
WRITES_BETWEEN = 60  # acknowledged writes before the first crash and after each restart


@dataclass
class Ledger:
    """The client's record: what the server acknowledged, and what it did not."""

    acknowledged: list[dict] = field(default_factory=list)
    refused: int = 0  # an answer other than 201 (5xx while the database is down)
    unanswered: int = 0  # no answer at all (server killed mid-request)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)


def _payload(rng: random.Random) -> dict:
    today = dt.date.today()
    day = today - dt.timedelta(days=rng.randrange(0, 60))
    return {"date": day.isoformat(), "minutes": rng.randrange(5, 480), "kind": "management"}


def _writer(base_url: str, email: str, token: str, ledger: Ledger, stop: threading.Event):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    rng = random.Random(f"{email}-{threading.get_ident()}")  # noqa: S311 - data, not secrets
    while not stop.is_set():
        payload = _payload(rng)
        try:
            answer = session.post(f"{base_url}/api/v1/time-entries/", json=payload, timeout=10)
        except requests.RequestException:
            with ledger.lock:
                ledger.unanswered += 1
            time.sleep(0.2)
            continue
        if answer.status_code == 201:
            body = answer.json()
            with ledger.lock:
                ledger.acknowledged.append({**payload, "id": body["id"], "email": email})
        else:
            with ledger.lock:
                ledger.refused += 1
            time.sleep(0.2)


def _wait_for_writes(ledger: Ledger, how_many: int, what: str) -> None:
    """Wait until the server has acknowledged `how_many` more writes (it has recovered)."""
    target = ledger.count() + how_many
    deadline = time.monotonic() + RECOVERY_SECONDS
    while ledger.count() < target:
        if time.monotonic() > deadline:
            raise StressError(f"aucune écriture acceptée {RECOVERY_SECONDS} s après {what}.")
        time.sleep(0.1)


def _crashes(stack, ledger: Ledger, rounds: int) -> None:
    say("écritures en cours ; en attente des premiers accusés de réception")
    _wait_for_writes(ledger, WRITES_BETWEEN, "le début")
    for number in range(1, rounds + 1):
        say(f"tour {number}/{rounds} : kill -9 de gunicorn (maître et processus de travail)")
        stack.app.kill_server()
        time.sleep(1)
        say("redémarrage de gunicorn")
        stack.app.start_server()
        _wait_for_writes(ledger, WRITES_BETWEEN, "le redémarrage de gunicorn")
        say(f"tour {number}/{rounds} : kill -9 de PostgreSQL (postmaster et processus serveurs)")
        stack.cluster.crash()
        time.sleep(2)
        say("redémarrage de PostgreSQL (reprise sur le journal WAL) ; gunicorn n'est pas relancé")
        stack.cluster.start()
        _wait_for_writes(ledger, WRITES_BETWEEN, "le redémarrage de PostgreSQL")


def run(stack) -> list[str]:
    emails = stack.accounts["emails"][:DEMO_WORKERS]
    tokens = {email: stack.api_token(email) for email in emails}
    ledger, stop = Ledger(), threading.Event()
    started = dt.datetime.now(dt.UTC)
    writers = [
        threading.Thread(
            target=_writer, args=(stack.app.base_url, email, token, ledger, stop), daemon=True
        )
        for email, token in tokens.items()
        for _ in range(WRITERS_PER_ACCOUNT)
    ]
    say(f"{len(writers)} écrivains concurrents par l'API (jetons personnels de {len(emails)} ASS)")
    for writer in writers:
        writer.start()
    try:
        _crashes(stack, ledger, stack.options.crash_rounds)
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=15)
    ledger_file = stack.workdir / "registre.json"
    ledger_file.write_text(
        json.dumps({"since": started.isoformat(), "acknowledged": ledger.acknowledged}),
        encoding="utf-8",
    )
    say(f"vérification du registre ({french_number(len(ledger.acknowledged))} écritures)")
    checked = stack.app.run("-m", "stress.ledger", str(ledger_file), what="La vérification")
    audit = stack.app.manage("verify_audit", what="verify_audit")
    return [
        f"{french_number(len(ledger.acknowledged))} écritures acquittées, "
        f"{french_number(ledger.refused)} refusées pendant la panne, "
        f"{french_number(ledger.unanswered)} sans réponse",
        *checked.strip().splitlines(),
        audit.strip(),
    ]


DRILL = Drill(name="panne", title="Panne : kill -9 de gunicorn puis de PostgreSQL", run=run)
