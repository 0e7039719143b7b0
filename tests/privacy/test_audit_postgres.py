"""What only PostgreSQL enforces: the append-only trigger and row locks on the chain head."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from polesocial.privacy.audit import AuditChainBroken, audit_log, audit_verify
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditChainHead, AuditCheckpoint, AuditEntry
from polesocial.users.models import User

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Le déclencheur et les verrous de ligne n'existent que sous PostgreSQL.")


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def chain(db):
    return [audit_log(actor=None, action=AuditAction.USER_READ, detail={"n": n}) for n in range(3)]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE privacy_auditentry SET action = 'user.create' WHERE sequence = 2",
        "DELETE FROM privacy_auditentry WHERE sequence = 2",
        "UPDATE privacy_auditcheckpoint SET sequence = 3",
        "DELETE FROM privacy_auditcheckpoint",
    ],
    ids=["update", "delete", "checkpoint-update", "checkpoint-delete"],
)
def test_the_trigger_refuses_raw_changes(chain, sql):
    AuditCheckpoint.record(entry=chain[0])
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        raw(sql)
    audit_verify()


def test_truncate_still_works_and_the_head_notices_it(chain):
    # The deferred foreign-key checks of the inserts above must fire before a TRUNCATE.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    raw("TRUNCATE privacy_auditentry")

    assert not AuditEntry.objects.exists()
    with pytest.raises(AuditChainBroken, match="va jusqu'à la n° 3"):
        audit_verify()


@pytest.mark.django_db(transaction=True)
def test_the_purge_setting_holds_for_one_transaction_only():
    audit_log(actor=None, action=AuditAction.USER_READ)
    audit_log(actor=None, action=AuditAction.USER_READ)
    with transaction.atomic():
        raw("SET LOCAL polesocial.audit_purge = 'on'")
        raw("DELETE FROM privacy_auditentry WHERE sequence = 1")

    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        raw("DELETE FROM privacy_auditentry WHERE sequence = 2")
    assert list(AuditEntry.objects.values_list("sequence", flat=True)) == [2]


THREADS, APPENDS = 8, 25


def append_many(index: int, start: threading.Barrier, errors: list) -> None:
    """One request thread: half log in autocommit, half inside a service's transaction."""
    try:
        start.wait()
        for n in range(APPENDS):
            if index % 2:
                with transaction.atomic():
                    User.objects.count()
                    audit_log(actor=None, action=AuditAction.USER_READ, detail={"t": index, "n": n})
            else:
                audit_log(actor=None, action=AuditAction.USER_READ, detail={"t": index, "n": n})
    except Exception as error:  # reported by the test's main thread
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_gapless():
    start, errors = threading.Barrier(THREADS), []
    threads = [
        threading.Thread(target=append_many, args=(i, start, errors)) for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = THREADS * APPENDS
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert AuditChainHead.objects.get().last_sequence == total
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue() == f"Journal d'audit intègre : {total} entrées vérifiées.\n"
