"""The application under stress: its commands and its gunicorn server, on the throwaway cluster.

Django runs only in child processes (manage.py, gunicorn, stress.prepare, stress.ledger):
the drills kill the database under them, never under this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from stress.report import StressError

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class App:
    """manage.py and gunicorn with the stress settings and the throwaway cluster's URL."""

    def __init__(self, database_url: str, workdir: Path, http_port: int):
        self.workdir = workdir
        self.http_port = http_port
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "stress.settings",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        self.server: subprocess.Popen | None = None
        self.server_log = workdir / "gunicorn.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def run(self, *args: str, what: str) -> str:
        """Run `python <args>` in the app's environment; its stdout, or a French error."""
        result = subprocess.run(  # noqa: S603 - our own Python and modules
            [PYTHON, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
            raise StressError(f"{what} a échoué :\n{tail}")
        return result.stdout

    def manage(self, *args: str, what: str) -> str:
        return self.run("manage.py", *args, what=what)

    # The server ------------------------------------------------------------------------

    def start_server(self) -> None:
        """gunicorn on loopback, in its own process group (kill -9 takes all its workers)."""
        workers = os.environ.get("STRESS_WORKERS", "3")
        # keep-alive longer than a simulated user's pause: no request lands on a connection
        # the server is closing (in production, a proxy stands in front of gunicorn).
        command = [
            PYTHON, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{self.http_port}",
            "--workers", workers, "--worker-class", "gthread", "--threads", "4",
            "--timeout", "120", "--graceful-timeout", "5", "--keep-alive", "30",
        ]  # fmt: skip
        with open(self.server_log, "ab") as log:
            self.server = subprocess.Popen(  # noqa: S603 - our own Python and gunicorn
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server is not None and self.server.poll() is not None:
                raise StressError(f"gunicorn s'est arrêté au démarrage ; voir {self.server_log}.")
            try:
                with urllib.request.urlopen(f"{self.base_url}/sante/", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.3)
        raise StressError(f"gunicorn ne répond pas après {timeout:.0f} s ; voir {self.server_log}.")

    def kill_server(self) -> None:
        """kill -9 the gunicorn master and every worker at once."""
        if self.server is None:
            return
        try:
            os.killpg(self.server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.server.wait(timeout=30)
        self.server = None

    def stop_server(self) -> None:
        if self.server is None or self.server.poll() is not None:
            self.server = None
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill_server()
        self.server = None

    def server_errors(self) -> list[str]:
        """Tracebacks the server wrote to its log (each as its last line)."""
        if not self.server_log.exists():
            return []
        lines = self.server_log.read_text(errors="replace").splitlines()
        errors = []
        for index, line in enumerate(lines):
            if line.startswith("Traceback"):
                after = [text for text in lines[index + 1 :] if text and not text[0].isspace()]
                errors.append(after[0] if after else line)
        return errors
