"""The restore drill: backup → wipe → restore gives back the same rows, an intact audit
journal and readable encrypted fields; a restore without --wet-run changes nothing."""

import datetime as dt
import hashlib
import shutil
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from polesocial.casework.models import Case, Interview
from polesocial.casework.services import records
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

    assert table_fingerprints() == before
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
