"""Encrypted backups of the whole database, and their restore.

SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
snapshot while the application keeps running. PostgreSQL: `pg_dump --format=custom`, restored
with `pg_restore --clean`. The file is then encrypted with the Fernet key in the environment
variable BACKUP_ENCRYPTION_KEY. Everything passes through memory (the dump is read whole,
then encrypted whole): fine for the sizes of a social service, not streamed yet.

The file: one Fernet token whose clear text is a header line (format, engine) then the dump.
Encrypted fields stay encrypted inside the dump (FIELD_ENCRYPTION_KEYS): a restore needs the
field keys in use when the backup was made, hence keep old keys while such backups exist.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.db.backends.base.base import BaseDatabaseWrapper

KEY_VARIABLE = "BACKUP_ENCRYPTION_KEY"
MAGIC = b"POLESOCIAL-BACKUP 1 "

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is French, for the operator."""


@dataclass(frozen=True)
class BackupContents:
    engine: str
    size: int
    tables: dict[str, int]


def _fernet() -> Fernet:
    key = os.environ.get(KEY_VARIABLE, "")
    if not key:
        raise BackupError(f"La variable d'environnement {KEY_VARIABLE} est obligatoire.")
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise BackupError(
            f"{KEY_VARIABLE} n'est pas une clé Fernet valide (32 octets en base64)."
        ) from exc


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Moteur de base non pris en charge : {connection.vendor}.")
    return connection.vendor


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} est introuvable : installez les outils clients PostgreSQL "
            "(paquet postgresql-client)."
        )
    return path


def _pg_args(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    # A fixed client tool and the settings' own values, as a list: no shell involved.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} a échoué : {result.stderr.strip()}")


def backup_create(connection: BaseDatabaseWrapper, target: Path, progress: Progress) -> int:
    """Write an encrypted backup of `connection`'s database to `target`; its size in bytes."""
    fernet = _fernet()
    engine = _engine(connection)
    with tempfile.TemporaryDirectory(prefix="polesocial-backup-") as folder:
        dump = Path(folder) / "dump"
        progress("Copie de la base…")
        if engine == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(dump)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
        else:
            args, env = _pg_args(connection)
            _run([_tool("pg_dump"), "--format=custom", "--file", str(dump), *args], env)
        clear = dump.read_bytes()
    progress(f"Chiffrement de {len(clear)} octets…")
    token = fernet.encrypt(MAGIC + engine.encode() + b"\n" + clear)
    target.write_bytes(token)
    return len(token)


def _open(source: Path) -> tuple[str, bytes]:
    try:
        token = source.read_bytes()
    except OSError as exc:
        raise BackupError(f"Impossible de lire « {source} » : {exc.strerror}.") from exc
    try:
        clear = _fernet().decrypt(token)
    except InvalidToken as exc:
        raise BackupError(
            f"« {source} » ne se déchiffre pas avec {KEY_VARIABLE} : mauvaise clé ou "
            "fichier altéré."
        ) from exc
    header, _, dump = clear.partition(b"\n")
    if not header.startswith(MAGIC):
        raise BackupError(f"« {source} » n'est pas une sauvegarde du Pôle social.")
    return header[len(MAGIC) :].decode(), dump


def backup_inspect(connection: BaseDatabaseWrapper, source: Path) -> BackupContents:
    """Decrypt `source` and say what it holds, without touching the database."""
    engine, dump = _open(source)
    if engine != _engine(connection):
        raise BackupError(
            f"Sauvegarde {engine}, base actuelle {connection.vendor} : restauration impossible."
        )
    tables: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="polesocial-restore-") as folder:
        path = Path(folder) / "dump"
        path.write_bytes(dump)
        if engine == "sqlite":
            copy = sqlite3.connect(path)
            try:
                names = [
                    row[0]
                    for row in copy.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                    )
                ]
                for name in names:
                    quoted = '"' + name.replace('"', '""') + '"'
                    count = copy.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
                    tables[name] = count.fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise BackupError(f"Copie SQLite illisible : {exc}.") from exc
            finally:
                copy.close()
        else:
            result = subprocess.run(  # noqa: S603 - fixed tool, our own temporary file
                [_tool("pg_restore"), "--list", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore a échoué : {result.stderr.strip()}")
            for line in result.stdout.splitlines():
                if " TABLE DATA " in line:
                    tables[line.split()[-2]] = -1  # row counts are not in the archive's list
    return BackupContents(engine=engine, size=len(dump), tables=tables)


def backup_restore(connection: BaseDatabaseWrapper, source: Path, progress: Progress) -> None:
    """Replace the whole database behind `connection` by the backup in `source`."""
    backup_inspect(connection, source)
    engine, dump = _open(source)
    with tempfile.TemporaryDirectory(prefix="polesocial-restore-") as folder:
        path = Path(folder) / "dump"
        path.write_bytes(dump)
        progress(f"Restauration de {len(dump)} octets…")
        if engine == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(path)
            try:
                copy.backup(connection.connection)
            finally:
                copy.close()
        else:
            args, env = _pg_args(connection)
            # Django's own connection holds no lock while idle; close it all the same.
            connection.close()
            _run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    *args,
                    str(path),
                ],
                env,
            )
