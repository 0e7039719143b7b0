"""A throwaway PostgreSQL cluster: `initdb` in a temporary folder, its own port, loopback only.

Never the cluster the tests use: its data lives in a folder made for this run and deleted at
the end, it listens on 127.0.0.1 at `STRESS_PG_PORT` (55432) only, with its socket in that
folder. As root, PostgreSQL refuses to run: the cluster then belongs to the `postgres`
system account (`runuser`), which owns the folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from stress.report import StressError, say

DB_NAME = "polesocial_stress"
DB_USER = "stress"


def _bin_dir() -> Path:
    """PG_BIN, else the newest /usr/lib/postgresql/<version>/bin, else the PATH's."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise StressError(
            "PostgreSQL est introuvable : installez-le (paquet Debian postgresql) ou "
            "indiquez le dossier de ses programmes dans PG_BIN."
        )
    return Path(initdb).parent


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Cluster:
    """One cluster for one run: `start`, `crash` (kill -9), `start` again, `destroy`."""

    def __init__(self, port: int):
        if not port_is_free(port):
            raise StressError(
                f"Le port {port} est déjà pris : choisissez-en un autre avec STRESS_PG_PORT."
            )
        self.port = port
        self.bin = _bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="polesocial-stress-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.process: subprocess.Popen | None = None
        self.owner = self._owner()
        if self.owner is not None:
            os.chmod(self.folder, 0o700)
            os.chown(self.folder, self.owner.pw_uid, self.owner.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://{DB_USER}@127.0.0.1:{self.port}/{DB_NAME}"

    @staticmethod
    def _owner() -> pwd.struct_passwd | None:
        """The account that runs PostgreSQL when we are root (it refuses root)."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(os.environ.get("STRESS_PG_OWNER", "postgres"))
        except KeyError as error:
            raise StressError(
                "En root, PostgreSQL doit tourner sous un autre compte : créez le compte "
                "système postgres (paquet postgresql) ou nommez-en un dans STRESS_PG_OWNER."
            ) from error

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin / program), *args]
        if self.owner is not None:
            return ["runuser", "-u", self.owner.pw_name, "--", *command]
        return command

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(  # noqa: S603 - our own PostgreSQL binaries, fixed arguments
            self._command(program, *args), capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise StressError(f"{program} a échoué : {result.stderr.strip() or result.stdout}")

    def create(self) -> None:
        say(f"création d'un cluster PostgreSQL jetable dans {self.folder} (port {self.port})")
        self._run(
            "initdb",
            "-D", str(self.data), "-U", DB_USER, "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-instructions",
        )  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", DB_USER, DB_NAME)

    def start(self) -> None:
        """Start the postmaster in its own process group (so kill -9 reaches it alone)."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own PostgreSQL binary
                self._command(
                    "postgres",
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    f"unix_socket_directories={self.folder}",
                    "-c",
                    "max_connections=200",
                    "-c",
                    "fsync=on",
                ),  # fmt: skip
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise StressError(f"PostgreSQL s'est arrêté au démarrage ; voir {self.log}.")
            ready = subprocess.run(  # noqa: S603 - our own PostgreSQL binary
                [
                    str(self.bin / "pg_isready"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    DB_USER,
                    "-q",
                ],
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise StressError(f"PostgreSQL ne répond pas après {timeout:.0f} s ; voir {self.log}.")

    def postmaster_pid(self) -> int:
        """The postmaster's own pid (under runuser, the Popen is runuser's)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def crash(self) -> None:
        """kill -9 the postmaster and every backend at once, as a power cut would."""
        pid = self.postmaster_pid()
        for target in [pid, *_children(pid)]:
            try:
                os.kill(target, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            self.process.wait(timeout=30)
            self.process = None
        # A new postmaster refuses to start while the old pid still exists (even a zombie
        # waiting for init to reap it).
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.kill(self.postmaster_pid(), signal.SIGINT)  # fast shutdown
            self.process.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            self.crash()
        self.process = None

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (PostgreSQL's backends and helpers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children
