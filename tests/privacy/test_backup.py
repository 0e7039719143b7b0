"""The restore drill: backup → wipe → restore gives back the same rows, an intact audit
journal and readable encrypted fields; a restore without --wet-run changes nothing."""

import datetime as dt
import hashlib
import shutil
from io import BytesIO, StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from polesocial.casework.models import Case, Interview
from polesocial.casework.services import records
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from tests.factories import SocialWorkerFactory, open_case_for

NOTES = "Entretien au domicile : accord de plan d'apurement avec le bailleur."


@pytest.fixture
def backup_key(monkeypatch):
    monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", Fernet.generate_key().decode())


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row, per table, in a stable order."""
    fingerprints = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            fingerprints[table] = (len(rows), digest)
    return fingerprints


def casework_with_an_interview() -> Interview:
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    return records.interview_record(
        actor=worker.user,
        case=case,
        occurred_on=dt.date(2026, 3, 9),
        place="home",
        duration_minutes=60,
        notes=NOTES,
    )


def drill(tmp_path) -> None:
    interview = casework_with_an_interview()
    before = table_fingerprints()
    assert before["privacy_auditentry"][0] > 0
    target = tmp_path / "sauvegarde.chiffree"

    call_command("backup", str(target), stdout=StringIO(), stderr=StringIO())
    assert NOTES.encode() not in target.read_bytes()

    call_command("flush", interactive=False, verbosity=0)
    assert not Case.objects.exists()

    out = StringIO()
    call_command("restore", str(target), "--wet-run", stdout=out, stderr=StringIO())
    assert "Base restaurée" in out.getvalue()

    after = table_fingerprints()
    journal = ("privacy_auditentry", "privacy_auditchainhead")
    assert {t: f for t, f in after.items() if t not in journal} == {
        t: f for t, f in before.items() if t not in journal
    }
    # The journal comes back whole, followed by one entry: the restore itself.
    restored_entries = AuditEntry.objects.order_by("sequence")
    assert restored_entries.count() == before["privacy_auditentry"][0] + 1
    assert restored_entries.last().action == AuditAction.BACKUP_RESTORE
    audit = StringIO()
    call_command("verify_audit", stdout=audit, stderr=StringIO())
    assert "Journal d'audit intègre" in audit.getvalue()
    restored = Interview.objects.get(pk=interview.pk)
    assert restored.notes == NOTES
    assert restored.case.assessment == "Dettes de loyer, deux enfants à charge."


def test_sqlite_restore_drill_gives_back_every_row_and_a_verified_journal(
    transactional_db, backup_key, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("Exercice de restauration SQLite.")
    drill(tmp_path)


@pytest.mark.postgres
def test_postgresql_restore_drill_gives_back_every_row_and_a_verified_journal(
    transactional_db, backup_key, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("Exercice de restauration PostgreSQL.")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump ou pg_restore absent.")
    drill(tmp_path)


def test_restore_without_wet_run_only_says_what_it_would_restore(
    transactional_db, backup_key, tmp_path
):
    casework_with_an_interview()
    target = tmp_path / "sauvegarde.chiffree"
    call_command("backup", str(target), stdout=StringIO(), stderr=StringIO())
    Interview.objects.all().delete()

    out = StringIO()
    call_command("restore", str(target), stdout=out, stderr=StringIO())

    assert "déchiffrée" in out.getvalue()
    assert "Simulation : rien n'a été restauré" in out.getvalue()
    assert not Interview.objects.exists()


def test_a_backup_refuses_to_decrypt_with_another_key(
    transactional_db, backup_key, tmp_path, monkeypatch
):
    target = tmp_path / "sauvegarde.chiffree"
    call_command("backup", str(target), stdout=StringIO(), stderr=StringIO())
    monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", Fernet.generate_key().decode())

    with pytest.raises(CommandError, match="ne se déchiffre pas"):
        call_command("restore", str(target), "--wet-run", stdout=StringIO())


def test_a_backup_without_key_is_refused_in_french(db, tmp_path, monkeypatch):
    monkeypatch.delenv("BACKUP_ENCRYPTION_KEY", raising=False)
    target = tmp_path / "sauvegarde.chiffree"

    with pytest.raises(CommandError, match="BACKUP_ENCRYPTION_KEY est obligatoire"):
        call_command("backup", str(target), stdout=StringIO())
    assert not target.exists()


# --- The streamed format ------------------------------------------------------------------


def stream_roundtrip(tmp_path, data: bytes, alter=None) -> bytes:
    from polesocial.privacy import backup

    target = tmp_path / "flux.chiffre"
    with target.open("wb") as out:
        backup.encrypt_stream(BytesIO(data), out, "sqlite")
    if alter is not None:
        target.write_bytes(alter(target.read_bytes()))
    with backup._clear_dump(target) as (engine, path):
        assert engine == "sqlite"
        return path.read_bytes()


@pytest.fixture
def small_chunks(monkeypatch):
    from polesocial.privacy import backup

    monkeypatch.setattr(backup, "CHUNK_SIZE", 64)


def test_a_large_dump_is_encrypted_chunk_by_chunk_and_read_back_whole(
    backup_key, small_chunks, tmp_path
):
    data = bytes(range(256)) * 10  # forty chunks of 64 bytes
    assert stream_roundtrip(tmp_path, data) == data
    assert stream_roundtrip(tmp_path, b"") == b""


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda raw: raw[:-20], id="truncated"),
        pytest.param(lambda raw: raw[: raw.index(b"\n") + 1], id="header-only"),
        pytest.param(lambda raw: raw.replace(b"sqlite", b"postgresql", 1), id="header-edited"),
        pytest.param(lambda raw: raw[:-5] + bytes([raw[-5] ^ 1]) + raw[-4:], id="bit-flipped"),
        pytest.param(lambda raw: raw + b"\x00\x00\x00\x10" + b"x" * 16, id="chunk-added"),
    ],
)
def test_an_altered_or_truncated_streamed_backup_is_refused_in_french(
    backup_key, small_chunks, tmp_path, alter
):
    from polesocial.privacy.backup import BackupError

    with pytest.raises(BackupError, match="tronqué|altéré|ne se déchiffre pas"):
        stream_roundtrip(tmp_path, b"0123456789" * 30, alter)


def test_a_dropped_chunk_is_refused(backup_key, small_chunks, tmp_path):
    from polesocial.privacy.backup import BackupError

    def drop_second_chunk(raw: bytes) -> bytes:
        start = raw.index(b"\n") + 1
        first_end = start + 4 + int.from_bytes(raw[start : start + 4], "big")
        second_end = first_end + 4 + int.from_bytes(raw[first_end : first_end + 4], "big")
        return raw[:first_end] + raw[second_end:]

    with pytest.raises(BackupError, match="ne se déchiffre pas"):
        stream_roundtrip(tmp_path, b"abcdefgh" * 40, drop_second_chunk)


def test_a_backup_of_the_previous_format_is_still_restored(transactional_db, backup_key, tmp_path):
    """Format 1: one Fernet token over the header line and the whole dump."""
    import os
    import sqlite3

    if connection.vendor != "sqlite":
        pytest.skip("Format 1 fabriqué ici depuis une copie SQLite.")
    interview = casework_with_an_interview()
    copy_path = tmp_path / "copie.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(copy_path)
    connection.connection.backup(copy)
    copy.close()
    fernet = Fernet(os.environ["BACKUP_ENCRYPTION_KEY"].encode())
    old = tmp_path / "ancienne.chiffree"
    old.write_bytes(fernet.encrypt(b"POLESOCIAL-BACKUP 1 sqlite\n" + copy_path.read_bytes()))
    Interview.objects.all().delete()

    call_command("restore", str(old), "--wet-run", stdout=StringIO(), stderr=StringIO())

    assert Interview.objects.get(pk=interview.pk).notes == NOTES


def test_backup_and_restore_are_each_journaled(transactional_db, backup_key, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("Journal de la sauvegarde vérifié sur SQLite (l'exercice PG suffit).")
    target = tmp_path / "sauvegarde.chiffree"
    call_command("backup", str(target), stdout=StringIO(), stderr=StringIO())
    made = AuditEntry.objects.order_by("sequence").last()
    assert made.action == AuditAction.BACKUP_CREATE
    assert made.actor is None and made.detail["engine"] == "sqlite"
    call_command("restore", str(target), "--wet-run", stdout=StringIO(), stderr=StringIO())
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    # The backup's own entry came after the dump: the restored journal ends with the restore.
    assert actions[-1] == AuditAction.BACKUP_RESTORE
    assert AuditAction.BACKUP_CREATE not in actions
