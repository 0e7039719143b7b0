"""The end of the audit journal: a signed head, and checkpoints exported out of the database.

The attack: someone who can write to the database deletes the last entries and moves the
chain head back, so that what is left agrees with itself.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditChainHead, AuditCheckpoint, AuditEntry

pytestmark = pytest.mark.django_db


def tamper(sql: str, params=()) -> None:
    """Raw SQL behind the ORM's back, as someone with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL polesocial.audit_purge = 'on'")
        cursor.execute(sql, params)


def verify(*files) -> str:
    out = StringIO()
    call_command("verify_audit", *[f"--checkpoint={file}" for file in files], stdout=out)
    return out.getvalue()


def export(path) -> str:
    out = StringIO()
    call_command("export_audit_checkpoint", str(path), stdout=out)
    return out.getvalue()


def append(count: int) -> list[AuditEntry]:
    return [
        audit_log(actor=None, action=AuditAction.USER_READ, detail={"n": n}) for n in range(count)
    ]


def head_row() -> tuple:
    head = AuditChainHead.objects.get()
    return head.last_sequence, head.last_hash, head.signature


def put_back(row: tuple) -> None:
    tamper(
        "UPDATE privacy_auditchainhead SET last_sequence = %s, last_hash = %s, signature = %s",
        row,
    )


def cut_after(sequence: int) -> None:
    tamper("DELETE FROM privacy_auditentry WHERE sequence > %s", [sequence])


# The signed head


def test_cutting_the_end_and_moving_the_head_back_without_the_key_is_named():
    entries = append(5)
    cut_after(3)
    tamper(
        "UPDATE privacy_auditchainhead SET last_sequence = 3, last_hash = %s",
        [entries[2].entry_hash],
    )
    with pytest.raises(CommandError, match=r"tête de chaîne \(n° 3\) : signature invalide"):
        verify()


def test_a_head_older_than_the_entries_is_named():
    append(3)
    old_head = head_row()
    append(2)
    put_back(old_head)
    with pytest.raises(CommandError, match="tête remplacée par une copie ancienne"):
        verify()


# Exported checkpoints


def test_an_old_head_put_back_after_cutting_the_end_is_caught_by_an_exported_checkpoint(
    tmp_path,
):
    append(3)
    old_head = head_row()
    append(2)
    checkpoint = tmp_path / "journal.json"
    assert "jusqu'à l'entrée n° 5" in export(checkpoint)

    cut_after(3)
    put_back(old_head)

    # What is left in the database agrees with itself…
    assert verify().startswith("Journal d'audit intègre : 3 entrées vérifiées.")
    # …but not with what was exported.
    with pytest.raises(
        CommandError,
        match=r"entrées n° 4 à 5 absentes : le point de contrôle exporté le \d\d/\d\d/\d{4} à "
        r"\d\d:\d\d va jusqu'à la n° 5, le journal s'arrête à la n° 3 \(fin du journal "
        r"supprimée\)",
    ):
        verify(checkpoint)


def test_an_end_cut_then_written_again_is_caught_by_an_exported_checkpoint(tmp_path):
    append(3)
    old_head = head_row()
    append(2)
    checkpoint = tmp_path / "journal.json"
    export(checkpoint)

    cut_after(3)
    put_back(old_head)
    append(2)  # the application goes on: n° 4 and 5 again, other entries

    with pytest.raises(CommandError, match="entrée n° 5 : elle n'est plus celle que"):
        verify(checkpoint)


def test_a_journal_that_still_holds_its_exported_end_verifies(tmp_path):
    append(2)
    checkpoint = tmp_path / "journal.json"
    export(checkpoint)
    append(3)

    lines = verify(checkpoint).splitlines()
    assert lines[0] == "Journal d'audit intègre : 5 entrées vérifiées."
    assert lines[1].startswith("Point de contrôle exporté le ")
    assert lines[1].endswith(" (entrée n° 2) : retrouvé intact.")


def test_an_exported_checkpoint_of_the_purge_point_is_compared_with_it(tmp_path):
    append(3)
    checkpoint = tmp_path / "journal.json"
    export(checkpoint)
    AuditCheckpoint.record(entry=AuditEntry.objects.get(sequence=3))
    tamper("DELETE FROM privacy_auditentry WHERE sequence <= 3")

    assert verify(checkpoint).splitlines()[-1].endswith("retrouvé intact.")


def test_an_exported_checkpoint_older_than_a_purge_is_not_compared(tmp_path):
    append(2)
    checkpoint = tmp_path / "journal.json"
    export(checkpoint)
    append(2)
    AuditCheckpoint.record(entry=AuditEntry.objects.get(sequence=3))
    tamper("DELETE FROM privacy_auditentry WHERE sequence <= 3")

    assert (
        verify(checkpoint)
        .splitlines()[-1]
        .endswith("(entrée n° 2) : antérieur à la dernière purge, non comparé.")
    )


def test_a_checkpoint_file_edited_to_an_earlier_entry_is_refused(tmp_path):
    append(5)
    checkpoint = tmp_path / "journal.json"
    export(checkpoint)
    content = json.loads(checkpoint.read_text())
    content.update(sequence=3, entry_hash=AuditEntry.objects.get(sequence=3).entry_hash)
    checkpoint.write_text(json.dumps(content))

    with pytest.raises(CommandError, match="refusé : signature invalide"):
        verify(checkpoint)


@pytest.mark.parametrize("content", ["", "[]", '{"format": "autre"}', "\x81"])
def test_a_file_that_is_no_checkpoint_is_refused_in_french(tmp_path, content):
    path = tmp_path / "autre.json"
    path.write_text(content, encoding="latin-1")
    with pytest.raises(CommandError, match="« .*autre.json » refusé : "):
        verify(path)


def test_a_missing_checkpoint_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire « .*absent.json »"):
        verify(tmp_path / "absent.json")


def test_a_broken_journal_is_not_exported(tmp_path):
    append(3)
    tamper("UPDATE privacy_auditentry SET action = 'x' WHERE sequence = 2")
    path = tmp_path / "journal.json"
    with pytest.raises(CommandError, match="entrée n° 2 .*Aucun point de contrôle exporté"):
        export(path)
    assert not path.exists()


def test_an_export_never_overwrites_a_file(tmp_path):
    path = tmp_path / "journal.json"
    path.write_text("précieux")
    with pytest.raises(CommandError, match="existe déjà"):
        export(path)
    assert path.read_text() == "précieux"


def test_an_empty_journal_exports_and_verifies(tmp_path):
    path = tmp_path / "journal.json"
    assert "jusqu'à l'entrée n° 0" in export(path)
    assert verify(path).splitlines()[-1].endswith("(entrée n° 0) : retrouvé intact.")
