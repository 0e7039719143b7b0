"""The audit journal: append-only, each entry chained to the previous one by an HMAC.

An entry's `entry_hash` is HMAC-SHA256 (key `settings.AUDIT_HMAC_KEY`, apart from the
encryption keys) over a canonical serialisation of its content and of `previous_hash`, the
hash of the entry before it. Editing, deleting or forging a row therefore breaks the chain,
which `manage.py verify_audit` walks. Appends serialise on `AuditChainHead`, a single row
holding the last sequence and hash, signed with the same key so that whoever can write to
the database cannot cut the end of the journal and move the head back without it. Only a
head copied from an earlier state could hide such a cut: checkpoints exported out of the
database (`export_audit_checkpoint`, then `verify_audit --checkpoint`) reveal it. A future
retention purge deletes the oldest entries after writing an `AuditCheckpoint` (last purged
sequence and hash), where verification then starts. The journal holds identifiers and
codes, never nominative content, so anonymising a case never has to touch it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from polesocial.privacy.access import ScopedQuerySet
from polesocial.privacy.enums import AuditAction

# The `previous_hash` of entry n° 1: no entry comes before it.
GENESIS_HASH = "0" * 64
# Bumped if the canonical serialisation ever changes, so old and new never collide.
CHAIN_VERSION = "polesocial.audit.v1"


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove a row of the audit journal."""


def chain_hmac(*parts: object) -> str:
    """HMAC-SHA256, in hex, of `parts` serialised as canonical JSON, keyed for the journal."""
    key = settings.AUDIT_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY doit être défini.")
    message = json.dumps(
        [CHAIN_VERSION, *parts], sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def canonical_instant(value) -> str:
    """The instant as UTC ISO 8601 with microseconds: identical before and after storage."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_detail(detail: dict | None) -> dict:
    """`detail` as it reads back from a JSON column, so its hash survives storage.

    Dates, decimals and UUIDs become text (DjangoJSONEncoder); floats become their text
    too, because PostgreSQL's jsonb may print a float back as an integer (1e16).
    """
    text = json.dumps(detail or {}, cls=DjangoJSONEncoder)
    return json.loads(text, parse_float=str)


class AppendOnlyQuerySet(ScopedQuerySet):
    """Bulk changes are refused; rows are only ever added through their model."""

    def update(self, **kwargs):
        raise AppendOnlyError("Le journal d'audit est en ajout seul : modification refusée.")

    def delete(self):
        raise AppendOnlyError("Le journal d'audit est en ajout seul : suppression refusée.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Le journal d'audit est en ajout seul : modification refusée.")

    def create(self, **kwargs):
        raise AppendOnlyError("Le journal d'audit s'écrit par audit_log(), jamais directement.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("Le journal d'audit s'écrit par audit_log(), jamais directement.")


class AppendOnlyModel(models.Model):
    """A row that is inserted once by its own model code, then never changed nor deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Refused: rows are inserted by the model's constructors and never changed."""
        raise AppendOnlyError("Le journal d'audit est en ajout seul : enregistrement refusé.")

    def delete(self, *args, **kwargs):
        """Refused: only a retention purge, with a checkpoint, removes old entries."""
        raise AppendOnlyError("Le journal d'audit est en ajout seul : suppression refusée.")

    def _insert(self) -> None:
        # Model.save, not ours: the one way in, used by the constructors below.
        super().save(force_insert=True)


class AuditChainHead(models.Model):
    """The single row that appends lock: the last sequence and hash of the chain.

    Verification also compares it with the last entry, which reveals entries deleted from
    the end of the journal (or a truncated table). Its `signature` (HMAC with the journal's
    key) keeps anyone without the key from moving it back after deleting the last entries.
    `resumed_after` is set, and signed, when the head had disappeared while the journal
    still held entries or a checkpoint: appends go on, and verification says where the
    journal can no longer vouch for its end.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField("dernier numéro", default=0)
    last_hash = models.CharField("dernière empreinte", max_length=64, default=GENESIS_HASH)
    resumed_after = models.PositiveBigIntegerField("recréée après le n°", null=True)
    signature = models.CharField("signature", max_length=64, blank=True)

    class Meta:
        verbose_name = "tête du journal d'audit"
        constraints = [
            # One chain, one head: appends serialise on this very row.
            models.CheckConstraint(name="audit_chain_head_singleton", condition=models.Q(id=1)),
        ]

    def __str__(self) -> str:
        return f"n° {self.last_sequence}"

    @classmethod
    def lock(cls) -> AuditChainHead:
        """The head row, locked until the enclosing transaction ends (created if missing).

        A missing head starts at n° 1 in an empty journal (a new database, or tables flushed
        by the tests). Otherwise the head was deleted: the chain carries on after the last
        entry, else after the last checkpoint, and the head records that it was recreated,
        since the entries that followed may have been deleted with it.
        """
        locked = cls.objects.select_for_update()
        head = locked.filter(pk=1).first()
        if head is None:
            head, _ = locked.get_or_create(pk=1, defaults=cls._resume())
        return head

    @classmethod
    def _resume(cls) -> dict:
        last: AuditEntry | AuditCheckpoint | None = (
            AuditEntry.objects.order_by("-sequence").first()
            or AuditCheckpoint.objects.order_by("-sequence").first()
        )
        if last is None:
            return {"signature": cls(last_sequence=0, last_hash=GENESIS_HASH).compute_signature()}
        head = cls(last_sequence=last.sequence, last_hash=last.entry_hash)
        head.resumed_after = last.sequence
        return {
            "last_sequence": head.last_sequence,
            "last_hash": head.last_hash,
            "resumed_after": head.resumed_after,
            "signature": head.compute_signature(),
        }

    def advance(self, entry: AuditEntry) -> None:
        """Move the head to `entry`, just appended under this row's lock, and sign it."""
        self.last_sequence, self.last_hash = entry.sequence, entry.entry_hash
        self.signature = self.compute_signature()
        self.save(update_fields=["last_sequence", "last_hash", "signature"])

    def compute_signature(self) -> str:
        """The HMAC this head must carry: without the key, no head can be made up."""
        return chain_hmac("head", self.last_sequence, self.last_hash, self.resumed_after)


class AuditEntryQuerySet(AppendOnlyQuerySet):
    pass


class AuditEntry(AppendOnlyModel):
    """One access to nominative data, or one write on it: who, as which role, what, when.

    `sequence` numbers the chain from 1 without gaps and is the primary key, so the number
    the DPO sees is the one `verify_audit` names.
    """

    sequence = models.PositiveBigIntegerField("n°", primary_key=True)
    created_at = models.DateTimeField("date", default=timezone.now)
    # PROTECT: an account that appears in the journal can be deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField("rôle", max_length=32, blank=True)
    action = models.CharField("action", max_length=64)
    object_type = models.CharField("type d'objet", max_length=100, blank=True)
    object_ids = models.JSONField("identifiants", default=list)
    replacement = models.BooleanField("remplacement", default=False)
    detail = models.JSONField("détail", default=dict)
    # The file this entry is about (e.g. "casework.Case:12"), so that a case's history tab
    # finds reads and writes of its interviews, plans and documents with one indexed lookup.
    subject = models.CharField("dossier concerné", max_length=120, blank=True, db_index=True)
    previous_hash = models.CharField("empreinte précédente", max_length=64)
    entry_hash = models.CharField("empreinte", max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "entrées du journal d'audit"
        indexes = [models.Index(fields=["created_at"], name="audit_entry_created_at")]
        constraints = [
            models.CheckConstraint(
                name="audit_entry_sequence_from_one", condition=models.Q(sequence__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"n° {self.sequence} {self.action}"

    @property
    def action_label(self) -> str:
        """The action in words, for the DPO's journal and a case's history tab."""
        return AuditAction.label_of(self.action)

    @classmethod
    def append(
        cls,
        *,
        actor,
        action: AuditAction,
        object_type: str = "",
        object_ids: list | None = None,
        replacement: bool = False,
        detail: dict | None = None,
        subject: str = "",
    ) -> AuditEntry:
        """Chain a new entry after the head, under the head's lock (called by `audit_log`).

        The savepoint nests in the caller's transaction, so the entry commits or rolls back
        with the write it records, and the head lock lasts until that transaction ends.
        """
        with transaction.atomic():
            head = AuditChainHead.lock()
            entry = cls(
                sequence=head.last_sequence + 1,
                created_at=timezone.now(),
                actor=actor if getattr(actor, "pk", None) else None,
                actor_role=str(getattr(actor, "role", "") or ""),
                action=action,
                object_type=object_type,
                object_ids=list(object_ids or []),
                replacement=replacement,
                detail=canonical_detail(detail),
                subject=subject,
                previous_hash=head.last_hash,
            )
            entry.entry_hash = entry.compute_hash()
            entry._insert()
            head.advance(entry)
        return entry

    def compute_hash(self) -> str:
        """The HMAC this entry must carry, from its content and `previous_hash`."""
        return chain_hmac(
            self.sequence,
            canonical_instant(self.created_at),
            self.actor_id,
            self.actor_role,
            self.action,
            self.object_type,
            self.object_ids,
            self.replacement,
            self.detail,
            self.subject,
            self.previous_hash,
        )


def object_id(obj: models.Model) -> int | str:
    """The primary key as JSON keeps it: integers as such, anything else (UUID) as text."""
    return obj.pk if isinstance(obj.pk, int) else str(obj.pk)


class AuditCheckpointQuerySet(AppendOnlyQuerySet):
    pass


class AuditCheckpoint(AppendOnlyModel):
    """The last entry removed by a retention purge: verification starts after it.

    Its own HMAC keeps anyone without the key from moving the starting point to hide the
    deletion of entries.
    """

    sequence = models.PositiveBigIntegerField("dernier n° purgé", unique=True)
    entry_hash = models.CharField("empreinte de cette entrée", max_length=64)
    created_at = models.DateTimeField("date", default=timezone.now)
    checkpoint_hash = models.CharField("empreinte du point de contrôle", max_length=64)

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = "point de contrôle du journal d'audit"
        verbose_name_plural = "points de contrôle du journal d'audit"

    def __str__(self) -> str:
        return f"n° {self.sequence}"

    @classmethod
    def record(cls, *, entry: AuditEntry) -> AuditCheckpoint:
        """Write the checkpoint a purge needs before deleting `entry` and all before it."""
        checkpoint = cls(
            sequence=entry.sequence, entry_hash=entry.entry_hash, created_at=timezone.now()
        )
        checkpoint.checkpoint_hash = checkpoint.compute_hash()
        checkpoint._insert()
        return checkpoint

    @classmethod
    def latest(cls) -> AuditCheckpoint | None:
        """The checkpoint verification starts from, if any purge has run."""
        return cls.objects.order_by("-sequence").first()

    def compute_hash(self) -> str:
        """The HMAC this checkpoint must carry."""
        return chain_hmac(
            "checkpoint", self.sequence, self.entry_hash, canonical_instant(self.created_at)
        )


class ArchivistGrantQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ArchivistGrant(models.Model):
    """The `archivist` authorisation: the DPO lets one person open archived cases.

    CNIL référentiel 2023-095: once out of the active base, a case sits in an archive that
    only specifically authorised people open, for a recorded motive. One row per grant;
    revoking stamps it, so the history of who could open the archive, and since when, stays.
    """

    # PROTECT: a grant names staff who appear in the journal; accounts are never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne habilitée",
        on_delete=models.PROTECT,
        related_name="archivist_grants",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="habilitée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField("habilitée le", default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="retirée par",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    revoked_at = models.DateTimeField("retirée le", null=True, blank=True)

    objects = ArchivistGrantQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation à l'archive"
        verbose_name_plural = "habilitations à l'archive"
        constraints = [
            # One authorisation in force per person: granting twice is a no-op, not a row.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="archivist_grant_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.granted_at:%d/%m/%Y})"
