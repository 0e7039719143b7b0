import hashlib
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from polesocial.privacy.audit import AuditChainBroken, audit_log, audit_verify
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.management.commands.verify_audit import Command
from polesocial.privacy.models import (
    GENESIS_HASH,
    AppendOnlyError,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
)
from polesocial.users.enums import Role

pytestmark = pytest.mark.django_db


def tamper(sql: str, params=()) -> None:
    """Raw SQL behind the ORM's back, as someone with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Lifts the trigger for the test's transaction only (rolled back afterwards).
            cursor.execute("SET LOCAL polesocial.audit_purge = 'on'")
        cursor.execute(sql, params)


def verify(**options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_audit", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(sequence: int, reason: str):
    return pytest.raises(CommandError, match=rf"entrée n° {sequence} .*{reason}")


@pytest.fixture
def chain(user_of_role):
    """Five entries by a social worker, the fifth about three accounts at once."""
    worker = user_of_role(Role.SOCIAL_WORKER)
    entries = [
        audit_log(actor=worker, action=AuditAction.USER_READ, target=worker) for _ in range(4)
    ]
    others = [user_of_role(Role.PHYSICIAN) for _ in range(3)]
    entries.append(audit_log(actor=worker, action=AuditAction.USER_READ, targets=others))
    return entries


# Writing


def test_entries_are_numbered_from_one_and_chained(chain):
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].previous_hash == GENESIS_HASH
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (5, entries[-1].entry_hash)


def test_a_list_page_writes_one_row_with_every_id(user_of_role):
    dpo = user_of_role(Role.DPO)
    shown = [user_of_role(Role.SOCIAL_WORKER) for _ in range(3)]

    entry = audit_log(actor=dpo, action=AuditAction.USER_READ, targets=shown)

    assert AuditEntry.objects.count() == 1
    assert entry.object_type == "users.User"
    assert entry.object_ids == [user.pk for user in shown]
    assert (entry.actor, entry.actor_role, entry.replacement) == (dpo, Role.DPO, False)


def test_a_system_action_has_no_actor():
    entry = audit_log(actor=None, action=AuditAction.INVOICE_RUN, detail={"cases": 3})

    assert (entry.actor, entry.actor_role, entry.object_ids) == (None, "", [])
    assert AuditEntry.objects.get().detail == {"cases": 3}


def test_one_row_is_about_one_type_of_object(user_of_role):
    user = user_of_role(Role.ADMIN)
    with pytest.raises(ValueError, match="un seul type d'objet"):
        audit_log(actor=user, action=AuditAction.USER_READ, targets=[user, AuditChainHead(pk=1)])


def test_an_action_outside_the_enumeration_is_refused():
    with pytest.raises(ValueError, match="Action de journal inconnue : 'case.peek'"):
        audit_log(actor=None, action="case.peek")  # type: ignore[arg-type]
    assert not AuditEntry.objects.exists()


def test_a_known_code_is_passed_as_its_member_not_as_a_string():
    with pytest.raises(TypeError, match=r"Passez AuditAction\.CASE_OPEN à audit_log"):
        audit_log(actor=None, action="case.open")  # type: ignore[arg-type]
    assert not AuditEntry.objects.exists()


def test_the_code_stays_the_stored_value_and_the_label_is_french(user_of_role):
    user = user_of_role(Role.ADMIN)
    entry = audit_log(actor=user, action=AuditAction.CASE_OPEN)

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "case.open"
    assert stored.action_label == "Ouverture du dossier"
    assert stored.compute_hash() == stored.entry_hash


def test_a_code_no_longer_in_use_shows_as_itself():
    assert AuditAction.label_of("retention.run") == "retention.run"


def test_detail_hashes_the_same_once_stored():
    detail = {"amount": Decimal("12.50"), "on": date(2026, 11, 16), "big": 1e16, "x": 0.1}
    entry = audit_log(actor=None, action=AuditAction.INVOICE_PAYMENT, detail=detail)

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.detail == {"amount": "12.50", "on": "2026-11-16", "big": "1e+16", "x": "0.1"}
    assert stored.compute_hash() == entry.entry_hash


def test_a_rolled_back_write_leaves_no_gap(chain):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(actor=None, action=AuditAction.CASE_CLOSE)
        raise RuntimeError("the service fails after logging")

    assert audit_log(actor=None, action=AuditAction.CASE_CLOSE).sequence == 6
    assert verify()[0] == "Journal d'audit intègre : 6 entrées vérifiées.\n"


def test_a_missing_head_is_noticed(chain):
    AuditChainHead.objects.all().delete()
    with pytest.raises(CommandError, match="tête de chaîne absente"):
        verify()


def test_a_missing_head_resumes_after_the_last_entry_and_verification_says_so(chain):
    """Whoever deleted the head may have deleted the entries after n° 5 with it: the
    journal goes on, but no longer vouches for its end."""
    AuditChainHead.objects.all().delete()

    assert audit_log(actor=None, action=AuditAction.CASE_CLOSE).sequence == 6
    with pytest.raises(CommandError, match="tête de chaîne recréée après l'entrée n° 5 : "):
        verify()


# The ORM refuses changes


def test_saving_an_existing_entry_is_refused(chain):
    entry = chain[0]
    entry.action = "user.create"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "user.read"


def test_deleting_an_entry_is_refused(chain):
    with pytest.raises(AppendOnlyError):
        chain[0].delete()
    assert AuditEntry.objects.count() == 5


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(action="user.create"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["action"]),
        lambda qs: qs.create(sequence=6, action="forged"),
        lambda qs: qs.bulk_create([AuditEntry(sequence=6, action="forged")]),
    ],
    ids=["update", "delete", "bulk_update", "create", "bulk_create"],
)
def test_queryset_changes_are_refused(chain, change):
    with pytest.raises(AppendOnlyError):
        change(AuditEntry.objects.filter(sequence__lte=2))
    assert verify()[0] == "Journal d'audit intègre : 5 entrées vérifiées.\n"


def test_checkpoints_are_append_only_too(chain):
    checkpoint = AuditCheckpoint.record(entry=chain[1])
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        checkpoint.delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.update(sequence=4)


# Verification


def test_a_clean_chain_verifies(chain):
    out, err = verify()
    assert out == "Journal d'audit intègre : 5 entrées vérifiées.\n"
    assert err == ""


def test_an_empty_journal_verifies():
    assert verify()[0] == "Journal d'audit intègre : 0 entrée vérifiée.\n"


def test_a_long_journal_shows_progress_on_stderr(chain):
    out, err = verify(batch_size=2)
    assert "5 entrées vérifiées" in out
    assert err.splitlines() == ["Vérification : 2 / 5 entrées…", "Vérification : 4 / 5 entrées…"]


@pytest.mark.parametrize(
    "assignment, params",
    [
        ("action = %s", ["user.create"]),
        ("actor_role = %s", ["dpo"]),
        ("object_ids = %s", ["[999]"]),
        ("replacement = %s", [True]),
        ("detail = %s", ['{"motif": "autre"}']),
        ("actor_id = NULL", []),
        ("entry_hash = %s", ["f" * 64]),
    ],
)
def test_an_edited_row_is_named(chain, assignment, params):
    tamper(f"UPDATE privacy_auditentry SET {assignment} WHERE sequence = 3", params)  # noqa: S608
    with refused(3, "empreinte invalide"):
        verify()


def test_an_edited_date_is_named(chain):
    tamper(
        "UPDATE privacy_auditentry SET created_at = (SELECT created_at FROM privacy_auditentry "
        "WHERE sequence = 1) WHERE sequence = 4"
    )
    with refused(4, "empreinte invalide"):
        verify()


def test_an_edited_link_is_named(chain):
    tamper("UPDATE privacy_auditentry SET previous_hash = %s WHERE sequence = 4", ["0" * 64])
    with refused(4, "empreinte précédente"):
        verify()


@pytest.mark.parametrize("sequence", [1, 3, 5], ids=["first", "middle", "last"])
def test_a_deleted_row_is_named(chain, sequence):
    tamper("DELETE FROM privacy_auditentry WHERE sequence = %s", [sequence])
    with refused(sequence, "absente"):
        verify()


def test_a_truncated_journal_is_noticed(chain):
    tamper("DELETE FROM privacy_auditentry")
    with refused(1, "la tête de chaîne va jusqu'à la n° 5"):
        verify()


def test_a_deleted_row_renumbered_around_is_named(chain):
    """Deleting n° 3 then renumbering 4 and 5 leaves no gap, but breaks the links."""
    tamper("DELETE FROM privacy_auditentry WHERE sequence = 3")
    tamper("UPDATE privacy_auditentry SET sequence = 3 WHERE sequence = 4")
    tamper("UPDATE privacy_auditentry SET sequence = 4 WHERE sequence = 5")
    tamper("UPDATE privacy_auditchainhead SET last_sequence = 4")
    with refused(3, "empreinte précédente"):
        verify()


def forge(*, sequence: int, after: int, entry_hash: str) -> None:
    """Insert a plausible row `sequence`, copied from `after` and linked to it."""
    tamper(
        "INSERT INTO privacy_auditentry (sequence, created_at, actor_id, actor_role, action, "
        "object_type, object_ids, replacement, detail, subject, previous_hash, entry_hash) "
        "SELECT %s, created_at, actor_id, actor_role, 'user.read', object_type, object_ids, "
        "replacement, detail, subject, entry_hash, %s FROM privacy_auditentry "
        "WHERE sequence = %s",
        [sequence, entry_hash, after],
    )


def test_a_forged_row_at_the_end_is_named(chain):
    forge(sequence=6, after=5, entry_hash=hashlib.sha256(b"forged").hexdigest())
    tamper("UPDATE privacy_auditchainhead SET last_sequence = 6")
    with refused(6, "empreinte invalide"):
        verify()


def test_a_row_replaced_by_a_forgery_is_named(chain):
    tamper("DELETE FROM privacy_auditentry WHERE sequence = 3")
    forge(sequence=3, after=2, entry_hash=chain[2].entry_hash)
    with refused(3, "empreinte invalide"):
        verify()


def test_a_row_forged_with_another_key_is_named(chain, settings):
    settings.AUDIT_HMAC_KEY = "a key that is not the journal's"
    audit_log(actor=None, action=AuditAction.USER_READ)
    settings.AUDIT_HMAC_KEY = "test-audit-hmac-key"
    with refused(6, "empreinte invalide"):
        verify()


def test_audit_verify_reports_the_entry_at_fault(chain):
    tamper("UPDATE privacy_auditentry SET action = 'x' WHERE sequence = 2")
    with pytest.raises(AuditChainBroken, match="entrée n° 2") as caught:
        audit_verify()
    assert caught.value.sequence == 2


# Checkpoints (the retention purge to come)


def purge_up_to(sequence: int) -> AuditCheckpoint:
    """What the retention purge will do: checkpoint first, then delete the old entries."""
    checkpoint = AuditCheckpoint.record(entry=AuditEntry.objects.get(sequence=sequence))
    tamper("DELETE FROM privacy_auditentry WHERE sequence <= %s", [sequence])
    return checkpoint


def test_verification_starts_after_the_checkpoint(chain):
    purge_up_to(3)

    out, _ = verify()
    assert out.splitlines() == [
        "Journal d'audit intègre : 2 entrées vérifiées.",
        "Entrées n° 1 à 3 purgées : vérification à partir du point de contrôle.",
    ]


def test_without_its_checkpoint_a_purge_reads_as_deletion(chain):
    tamper("DELETE FROM privacy_auditentry WHERE sequence <= 3")
    with refused(1, "absente"):
        verify()


def test_entries_deleted_past_the_checkpoint_are_named(chain):
    purge_up_to(3)
    tamper("DELETE FROM privacy_auditentry WHERE sequence = 4")
    with refused(4, "absente"):
        verify()


def test_a_moved_checkpoint_is_noticed(chain):
    purge_up_to(3)
    tamper("DELETE FROM privacy_auditentry WHERE sequence = 4")
    tamper(
        "UPDATE privacy_auditcheckpoint SET sequence = 4, entry_hash = %s", [chain[3].entry_hash]
    )
    with pytest.raises(CommandError, match="point de contrôle n° 4 : empreinte invalide"):
        verify()


def test_the_chain_goes_on_after_a_full_purge(chain):
    purge_up_to(5)

    assert audit_log(actor=None, action=AuditAction.USER_READ).sequence == 6
    assert verify()[0].startswith("Journal d'audit intègre : 1 entrée vérifiée.")


def test_a_head_deleted_after_a_full_purge_is_noticed(chain):
    purge_up_to(5)
    AuditChainHead.objects.all().delete()
    with pytest.raises(CommandError, match="tête de chaîne absente"):
        verify()

    assert audit_log(actor=None, action=AuditAction.USER_READ).sequence == 6
    with pytest.raises(CommandError, match="tête de chaîne recréée après l'entrée n° 5 : "):
        verify()


# Reading and the command's help


def test_only_the_dpo_reads_the_journal(chain, user_of_role):
    assert AuditEntry.objects.visible_by(user_of_role(Role.DPO)).count() == 5
    assert AuditEntry.objects.visible_by(user_of_role(Role.SOCIAL_WORKER)).count() == 0


def test_the_help_is_in_french():
    help_text = Command().create_parser("manage.py", "verify_audit").format_help()
    assert "Vérifie le chaînage du journal d'audit" in help_text
    assert "Nombre d'entrées lues par lot" in help_text
