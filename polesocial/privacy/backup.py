"""Encrypted backups of the whole database, and their restore.

SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
snapshot while the application keeps running. PostgreSQL: `pg_dump --format=custom`, restored
with `pg_restore --clean`. The dump is then encrypted with the key in the environment
variable BACKUP_ENCRYPTION_KEY (a Fernet key), **streamed**: never the whole database in
memory, whatever its size.

Format 2 (written since issue 19): a clear header line
`POLESOCIAL-BACKUP 2 <engine> <nonce prefix, hex>`, then chunks of at most 1 MiB, each
`<length, 4 bytes big-endian><AES-256-GCM ciphertext and tag>`. The AES key is derived
from the Fernet key (HKDF-SHA256); each chunk's nonce is the file's random 7-byte prefix,
its 4-byte number and a last-chunk flag, and the header is the associated data of every
chunk (the STREAM construction): a chunk edited, reordered, dropped or added, a truncated
file or a changed header all fail to decrypt.

Format 1 (before): one Fernet token holding a header line and the dump, read whole. It is
still restored, in memory as it was made.

Encrypted fields stay encrypted inside the dump (FIELD_ENCRYPTION_KEYS): a restore needs the
field keys in use when the backup was made, hence keep old keys while such backups exist.
Each backup and each restore writes a journal entry (`AuditAction.BACKUP_CREATE`, written
once the dump is taken, so not inside it; `BACKUP_RESTORE`, written into the restored
journal).
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db.backends.base.base import BaseDatabaseWrapper

KEY_VARIABLE = "BACKUP_ENCRYPTION_KEY"
MAGIC = b"POLESOCIAL-BACKUP 1 "  # format 1: inside one Fernet token
MAGIC_STREAM = b"POLESOCIAL-BACKUP 2 "  # format 2: in clear, then AES-GCM chunks
CHUNK_SIZE = 1024 * 1024
NONCE_PREFIX_SIZE = 7
TAG_SIZE = 16

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is French, for the operator."""


@dataclass(frozen=True)
class BackupContents:
    engine: str
    size: int
    tables: dict[str, int]


def _key() -> str:
    key = os.environ.get(KEY_VARIABLE, "")
    if not key:
        raise BackupError(f"La variable d'environnement {KEY_VARIABLE} est obligatoire.")
    return key


def _fernet() -> Fernet:
    try:
        return Fernet(_key().encode())
    except ValueError as exc:
        raise BackupError(
            f"{KEY_VARIABLE} n'est pas une clé Fernet valide (32 octets en base64)."
        ) from exc


def _stream_cipher() -> AESGCM:
    """The chunks' AES-256-GCM key, derived from the Fernet key: one variable to keep."""
    _fernet()  # the same check and message for a malformed key
    raw = base64.urlsafe_b64decode(_key().encode())
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"polesocial backup v2")
    return AESGCM(hkdf.derive(raw))


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    if number >= 2**32:
        raise BackupError("Sauvegarde trop grande pour ce format (plus de 2^32 blocs).")
    return prefix + struct.pack(">I?", number, last)


def encrypt_stream(clear: BinaryIO, target: BinaryIO, engine: str) -> int:
    """Encrypt `clear` into `target` chunk by chunk (format 2); the bytes written."""
    aead, prefix = _stream_cipher(), secrets.token_bytes(NONCE_PREFIX_SIZE)
    header = MAGIC_STREAM + engine.encode() + b" " + prefix.hex().encode() + b"\n"
    target.write(header)
    written, number = len(header), 0
    chunk = clear.read(CHUNK_SIZE)
    while True:
        following = clear.read(CHUNK_SIZE) if chunk else b""
        last = not following
        sealed = aead.encrypt(_nonce(prefix, number, last), chunk, header)
        target.write(struct.pack(">I", len(sealed)) + sealed)
        written += 4 + len(sealed)
        if last:
            return written
        chunk, number = following, number + 1


def _decrypt_stream(source: BinaryIO, header: bytes, name: Path) -> Iterator[bytes]:
    """The clear chunks of a format 2 file whose header line was read; BackupError on any
    alteration, truncation or wrong key."""
    aead = _stream_cipher()
    try:
        prefix = bytes.fromhex(header[len(MAGIC_STREAM) :].split()[1].decode())
    except (IndexError, ValueError) as exc:
        raise BackupError(f"« {name} » : en-tête de sauvegarde illisible.") from exc
    number, last = 0, False
    while not last:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise BackupError(f"« {name} » est tronqué : la fin de la sauvegarde manque.")
        (size,) = struct.unpack(">I", size_bytes)
        sealed = source.read(size)
        if size < TAG_SIZE or len(sealed) < size:
            raise BackupError(f"« {name} » est tronqué : la fin de la sauvegarde manque.")
        for last in (False, True):
            try:
                chunk = aead.decrypt(_nonce(prefix, number, last), sealed, header)
                break
            except InvalidTag:
                continue
        else:
            raise BackupError(
                f"« {name} » ne se déchiffre pas avec {KEY_VARIABLE} : mauvaise clé ou "
                "fichier altéré."
            )
        yield chunk
        number += 1
    if source.read(1):
        raise BackupError(f"« {name} » : données après la fin de la sauvegarde (fichier altéré).")


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
    """Write an encrypted backup of `connection`'s database to `target`; its size in bytes.

    The dump goes to a private temporary folder, then is encrypted into `target` chunk by
    chunk; a journal entry records the backup once the dump is taken.
    """
    _stream_cipher()  # refuse a missing or malformed key before dumping anything
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
        clear_size = dump.stat().st_size
        progress(f"Chiffrement de {clear_size} octets…")
        with dump.open("rb") as clear, target.open("wb") as out:
            size = encrypt_stream(clear, out, engine)
    _journal("BACKUP_CREATE", engine=engine, size=clear_size)
    return size


def _journal(action: str, **detail) -> None:
    """The journal entry of a backup or a restore: by the system (an operator's command)."""
    from polesocial.privacy.audit import audit_log
    from polesocial.privacy.enums import AuditAction

    audit_log(actor=None, action=AuditAction[action], detail=detail)


@contextmanager
def _clear_dump(source: Path) -> Iterator[tuple[str, Path]]:
    """The engine and the decrypted dump of `source`, in a private temporary file removed
    afterwards; format 2 is decrypted chunk by chunk, format 1 in memory as it was made."""
    with tempfile.TemporaryDirectory(prefix="polesocial-restore-") as folder:
        path = Path(folder) / "dump"
        try:
            handle = source.open("rb")
        except OSError as exc:
            raise BackupError(f"Impossible de lire « {source} » : {exc.strerror}.") from exc
        with handle, path.open("wb") as out:
            header = handle.readline(200)
            if header.startswith(MAGIC_STREAM):
                engine = header[len(MAGIC_STREAM) :].split()[0].decode()
                for chunk in _decrypt_stream(handle, header, source):
                    out.write(chunk)
            else:
                engine, dump = _open_fernet(header + handle.read(), source)
                out.write(dump)
        yield engine, path


def _open_fernet(token: bytes, source: Path) -> tuple[str, bytes]:
    """Format 1: one Fernet token holding the header line and the dump."""
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
    with _clear_dump(source) as (engine, path):
        _check_engine(connection, engine)
        return BackupContents(engine=engine, size=path.stat().st_size, tables=_tables(engine, path))


def _check_engine(connection: BaseDatabaseWrapper, engine: str) -> None:
    if engine != _engine(connection):
        raise BackupError(
            f"Sauvegarde {engine}, base actuelle {connection.vendor} : restauration impossible."
        )


def _tables(engine: str, path: Path) -> dict[str, int]:
    tables: dict[str, int] = {}
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
        return tables
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
    return tables


def backup_restore(connection: BaseDatabaseWrapper, source: Path, progress: Progress) -> None:
    """Replace the whole database behind `connection` by the backup in `source`, then
    journal the restore in the restored journal."""
    with _clear_dump(source) as (engine, path):
        _check_engine(connection, engine)
        _tables(engine, path)  # a readable dump before the current base is touched
        size = path.stat().st_size
        progress(f"Restauration de {size} octets…")
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
    _journal("BACKUP_RESTORE", engine=engine, size=size)
