"""The stack under stress, built once for every drill: a throwaway PostgreSQL cluster, the
demo data, one social worker per simulated user, and gunicorn on loopback."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stress.app import App
from stress.cluster import Cluster
from stress.report import StressError, say

MAX_LOAD_SECONDS = 300


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise StressError(f"{name} doit être un nombre entier, pas « {value} ».") from None


@dataclass(frozen=True)
class Options:
    """What the environment sets (README, « Charge et pannes »)."""

    users: int
    load_seconds: int
    pg_port: int
    http_port: int
    crash_rounds: int

    @classmethod
    def from_env(cls) -> Options:
        seconds = _int_env("STRESS_DURATION", MAX_LOAD_SECONDS)
        users = _int_env("STRESS_USERS", 50)
        if not 1 <= seconds <= MAX_LOAD_SECONDS:
            raise StressError(
                f"STRESS_DURATION va de 1 à {MAX_LOAD_SECONDS} secondes (5 minutes au plus)."
            )
        if not 1 <= users <= 200:
            raise StressError("STRESS_USERS va de 1 à 200 utilisateurs simulés.")
        return cls(
            users=users,
            load_seconds=seconds,
            pg_port=_int_env("STRESS_PG_PORT", 55432),
            http_port=_int_env("STRESS_HTTP_PORT", 58000),
            crash_rounds=max(1, _int_env("STRESS_CRASH_ROUNDS", 2)),
        )


class Stack:
    def __init__(self, options: Options):
        self.options = options
        self.workdir = Path(tempfile.mkdtemp(prefix="polesocial-stress-"))
        self.cluster = Cluster(options.pg_port)
        self.app = App(self.cluster.url, self.workdir, options.http_port)
        self.accounts_file = self.workdir / "comptes.json"
        self.load_figures = None  # set by the load drill (stress.drills.load.Figures)

    @property
    def accounts(self) -> dict:
        return json.loads(self.accounts_file.read_text(encoding="utf-8"))

    def build(self) -> None:
        self.cluster.create()
        say("migrations")
        self.app.manage("migrate", "--noinput", what="La migration de la base")
        say("chargement des données de démonstration (manage.py demo)")
        self.app.manage("demo", what="Le chargement de la démonstration")
        say(
            f"{self.options.users} ASS pour {self.options.users} utilisateurs simulés "
            "(les 4 de la démo, puis des collègues à qui la conseillère transfère des dossiers)"
        )
        self.app.run(
            "-m", "stress.prepare", str(self.options.users), str(self.accounts_file),
            what="La préparation des comptes",
        )  # fmt: skip
        say(f"démarrage de gunicorn sur {self.app.base_url}")
        self.app.start_server()

    def api_token(self, email: str) -> str:
        """A personal API token of `email`, through `manage.py create_api_token`."""
        key = self.app.manage(
            "create_api_token", email, "--days", "1", "--name", "Exercice de panne",
            what="La création du jeton d'API",
        )  # fmt: skip
        return key.strip()

    def tear_down(self, *, keep: bool) -> None:
        self.app.stop_server()
        self.cluster.destroy()
        if keep:
            say(f"journaux conservés dans {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)
