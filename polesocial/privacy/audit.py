"""Writing to the audit journal (`audit_log`) and checking its chain (`audit_verify`)."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, models, transaction

from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import (
    GENESIS_HASH,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
    object_id,
)

# Whether an access is made as the replacement of a colleague is a question about who holds
# a file, which the business apps answer: each registers its rule when it starts (case work
# in CaseworkConfig.ready), so that privacy, the lower layer, never imports them.
ReplacementRule = Callable[..., bool]
_replacement_rules: list[ReplacementRule] = []


def register_replacement_rule(rule: ReplacementRule) -> None:
    """Add `rule(actor, *files)`: True when `actor` reaches one of `files` as a replacement."""
    if rule not in _replacement_rules:
        _replacement_rules.append(rule)


def audit_log(
    *,
    actor,
    action: AuditAction,
    target=None,
    targets=None,
    detail: dict | None = None,
    subject: models.Model | None = None,
) -> AuditEntry:
    """Record one access to, or one write on, nominative data: always exactly one row.

    `actor` is the signed-in user, or None for the system. `action` is a member of
    `AuditAction`, never a free string. A page that shows one object passes `target`; a
    list page passes `targets` (all of one model) and its row holds every id shown.
    `detail` holds codes and identifiers only, never nominative content: the journal can
    be neither edited nor anonymised. `subject` is the file the entry concerns (a case, for
    its interviews and documents), shown in that file's history.

    The row is marked `replacement` when the actor reaches the file (`subject`, else the
    objects) as the active replacement of the colleague who holds it: the registered rules
    decide, the caller never says so.
    """
    _check_action(action)
    objects = [*(targets or []), *([target] if target is not None else [])]
    return AuditEntry.append(
        actor=actor,
        action=action,
        object_type=_object_type(objects),
        object_ids=[object_id(obj) for obj in objects],
        replacement=_as_replacement(actor, [subject] if subject is not None else objects),
        detail=detail,
        subject=subject_key(subject) if subject is not None else "",
    )


def _check_action(action: object) -> None:
    if isinstance(action, AuditAction):
        return
    if action in AuditAction.values:
        member = AuditAction(action).name
        raise TypeError(f"Passez AuditAction.{member} à audit_log, pas la chaîne {action!r}.")
    raise ValueError(
        f"Action de journal inconnue : {action!r}. Ajoutez-la à privacy.enums.AuditAction."
    )


def _as_replacement(actor, files: Sequence[models.Model]) -> bool:
    if actor is None or not getattr(actor, "pk", None) or not files:
        return False
    return any(rule(actor, *files) for rule in _replacement_rules)


def subject_key(obj: models.Model) -> str:
    """The journal's key for a file: "<app>.<Model>:<pk>"."""
    return f"{obj._meta.label}:{object_id(obj)}"


def _object_type(objects: list[models.Model]) -> str:
    labels = {obj._meta.label for obj in objects}
    if len(labels) > 1:
        raise ValueError(f"Une entrée du journal porte sur un seul type d'objet, pas {labels}.")
    return labels.pop() if labels else ""


class AuditChainBroken(Exception):
    """The first point where the chain does not hold; `sequence` is the entry at fault."""

    def __init__(self, sequence: int, message: str):
        super().__init__(message)
        self.sequence = sequence


@dataclass(frozen=True)
class AuditVerification:
    """What a successful verification covered, up to which entry (and its hash)."""

    count: int
    checkpoint: AuditCheckpoint | None
    last_sequence: int = 0
    last_hash: str = GENESIS_HASH


@dataclass
class _Walk:
    sequence: int  # the last entry verified (or the checkpoint's)
    hash: str
    count: int = 0


def audit_verify(
    *, batch_size: int = 2000, on_progress: Callable[[int], None] | None = None
) -> AuditVerification:
    """Walk the chain in sequence order from the latest checkpoint (or from n° 1).

    Raises `AuditChainBroken` at the first edited, deleted or forged entry; calls
    `on_progress(count)` every `batch_size` entries. Entries appended meanwhile are
    verified too, then the last entry is compared with the chain head, whose signature
    reveals entries deleted from the end (unless an old copy of the head was put back:
    only a checkpoint exported out of the database shows that, see `checkpoints.py`).
    """
    checkpoint = _verified_checkpoint()
    if checkpoint is None:
        walk = _Walk(sequence=0, hash=GENESIS_HASH)
    else:
        walk = _Walk(sequence=checkpoint.sequence, hash=checkpoint.entry_hash)
    _walk_entries(walk, batch_size, on_progress)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence > walk.sequence:
        # Entries committed with this head came after the walk's first read.
        _walk_entries(walk, batch_size, on_progress)
    _check_head(walk, head, checkpoint)
    return AuditVerification(walk.count, checkpoint, walk.sequence, walk.hash)


def _verified_checkpoint() -> AuditCheckpoint | None:
    checkpoint = AuditCheckpoint.latest()
    if checkpoint is not None and not _same(checkpoint.compute_hash(), checkpoint.checkpoint_hash):
        raise AuditChainBroken(
            checkpoint.sequence,
            f"point de contrôle n° {checkpoint.sequence} : empreinte invalide "
            "(modifié ou fabriqué sans la clé du journal).",
        )
    return checkpoint


def _walk_entries(walk: _Walk, batch_size: int, on_progress) -> None:
    entries = AuditEntry.objects.filter(sequence__gt=walk.sequence).order_by("sequence")
    for entry in entries.iterator(chunk_size=batch_size):
        _check_entry(walk, entry)
        walk.sequence, walk.hash, walk.count = entry.sequence, entry.entry_hash, walk.count + 1
        if on_progress is not None and walk.count % batch_size == 0:
            on_progress(walk.count)


def _check_entry(walk: _Walk, entry: AuditEntry) -> None:
    expected = walk.sequence + 1
    if entry.sequence != expected:
        raise AuditChainBroken(
            expected,
            f"entrée n° {expected} absente (supprimée) : "
            f"l'entrée n° {entry.sequence} suit l'entrée n° {walk.sequence}.",
        )
    if entry.previous_hash != walk.hash:
        raise AuditChainBroken(
            entry.sequence,
            f"entrée n° {entry.sequence} : son empreinte précédente ne correspond pas à "
            f"l'entrée n° {walk.sequence} (entrée supprimée ou remplacée avant elle).",
        )
    if not _same(entry.compute_hash(), entry.entry_hash):
        raise AuditChainBroken(
            entry.sequence,
            f"entrée n° {entry.sequence} : empreinte invalide (contenu modifié, "
            "ou ligne fabriquée sans la clé du journal).",
        )


def _check_head(walk: _Walk, head: AuditChainHead | None, checkpoint) -> None:
    if head is None:
        if walk.count or checkpoint is not None:
            raise AuditChainBroken(
                walk.sequence,
                "tête de chaîne absente : la fin du journal ne peut pas être vérifiée "
                f"(dernière entrée : n° {walk.sequence}).",
            )
        return
    if not _same(head.compute_signature(), head.signature):
        raise AuditChainBroken(
            head.last_sequence,
            f"tête de chaîne (n° {head.last_sequence}) : signature invalide, elle a été "
            "réécrite sans la clé du journal ; les entrées qui suivaient ont pu être supprimées.",
        )
    if head.last_sequence > walk.sequence:
        raise AuditChainBroken(
            walk.sequence + 1,
            f"entrée n° {walk.sequence + 1} absente (fin du journal supprimée : "
            f"la tête de chaîne va jusqu'à la n° {head.last_sequence}).",
        )
    if head.last_sequence == walk.sequence and not _same(head.last_hash, walk.hash):
        raise AuditChainBroken(
            walk.sequence,
            f"entrée n° {walk.sequence} : son empreinte diffère de celle de la tête de chaîne "
            "(entrée remplacée).",
        )
    if head.last_sequence < walk.sequence:
        raise AuditChainBroken(
            head.last_sequence + 1,
            f"la tête de chaîne s'arrête à la n° {head.last_sequence} alors que le journal va "
            f"jusqu'à la n° {walk.sequence} (tête remplacée par une copie ancienne).",
        )
    if head.resumed_after is not None:
        raise AuditChainBroken(
            head.resumed_after + 1,
            f"tête de chaîne recréée après l'entrée n° {head.resumed_after} : les entrées "
            "qui suivaient ont pu être supprimées avec elle ; comparez le journal à un point "
            "de contrôle exporté (verify_audit --checkpoint).",
        )


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class AuditPurge:
    """What a purge removed: entries n° 1 (or after the previous checkpoint) to `up_to`."""

    count: int
    up_to: int


def audit_purge(*, before) -> AuditPurge:
    """Delete the journal's entries written before `before`, after a checkpoint.

    The chain is verified first (a purge must not hide an alteration: `AuditChainBroken`
    is raised and nothing is deleted). Only a prefix of the chain goes: the entries up to
    the last one before the first entry written at or after `before`. The checkpoint holds
    the last purged entry's number and hash, so `verify_audit` starts after it. Entries are
    deleted, never edited; on PostgreSQL the append-only trigger lets this transaction
    through only (`polesocial.audit_purge`).
    """
    with transaction.atomic():
        head = AuditChainHead.lock()
        audit_verify()
        newer = AuditEntry.objects.filter(created_at__gte=before).order_by("sequence")
        first_kept = newer.values_list("sequence", flat=True).first()
        up_to = head.last_sequence if first_kept is None else first_kept - 1
        last = AuditEntry.objects.filter(sequence__lte=up_to).order_by("-sequence").first()
        if last is None:
            return AuditPurge(count=0, up_to=0)
        AuditCheckpoint.record(entry=last)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL polesocial.audit_purge = 'on'")
            cursor.execute(
                f"DELETE FROM {AuditEntry._meta.db_table} WHERE sequence <= %s",  # noqa: S608
                [last.sequence],
            )
            count = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL polesocial.audit_purge = 'off'")
    return AuditPurge(count=count, up_to=last.sequence)
