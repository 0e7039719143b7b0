"""Checkpoints of the audit journal exported out of the database.

Whoever can write to the database could delete the last entries and put back a copy of the
chain head taken earlier: everything left in the database then agrees. A checkpoint that
the operator exports (`export_audit_checkpoint`) and keeps elsewhere — the last sequence
number, its hash and the time, signed with the journal's key — reveals it:
`verify_audit --checkpoint FILE` fails, naming the missing entries, when the journal no
longer reaches that entry or when the entry is no longer the one exported.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from polesocial.privacy.audit import AuditChainBroken, AuditVerification, audit_verify
from polesocial.privacy.models import AuditEntry, canonical_instant, chain_hmac

FORMAT = "polesocial.audit.checkpoint.v1"


class CheckpointFileError(Exception):
    """The file is not a checkpoint this journal's key signed (French message)."""


@dataclass(frozen=True)
class ExportedCheckpoint:
    """The end of the journal at `created_at`: entry n° `sequence` and its hash."""

    sequence: int
    entry_hash: str
    created_at: datetime

    def signature(self) -> str:
        """Keyed like the chain, under its own label: no entry or head hash fits here."""
        return chain_hmac(
            "exported-checkpoint",
            self.sequence,
            self.entry_hash,
            canonical_instant(self.created_at),
        )

    def dumps(self) -> str:
        content = {
            "format": FORMAT,
            "sequence": self.sequence,
            "entry_hash": self.entry_hash,
            "created_at": canonical_instant(self.created_at),
            "signature": self.signature(),
        }
        return json.dumps(content, indent=2) + "\n"

    @classmethod
    def loads(cls, text: str) -> ExportedCheckpoint:
        """The checkpoint in `text`, or CheckpointFileError if it is not one we signed."""
        not_one = "ce n'est pas un point de contrôle du journal d'audit."
        try:
            content = json.loads(text)
            created_at = parse_datetime(content["created_at"])
            sequence, entry_hash = int(content["sequence"]), str(content["entry_hash"])
            signature = str(content["signature"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointFileError(not_one) from exc
        if content.get("format") != FORMAT or created_at is None or created_at.tzinfo is None:
            raise CheckpointFileError(not_one)
        checkpoint = cls(sequence, entry_hash, created_at)
        if not hmac.compare_digest(signature.encode(), checkpoint.signature().encode()):
            raise CheckpointFileError(
                "signature invalide (fichier modifié, ou signé avec une autre clé du journal)."
            )
        return checkpoint

    @property
    def when(self) -> str:
        """« 16/11/2026 à 10:32 », in the installation's time zone."""
        local = timezone.localtime(self.created_at)
        return f"{date_format(local, 'd/m/Y')} à {date_format(local, 'H:i')}"


def checkpoint_export() -> ExportedCheckpoint:
    """The end of the journal, once verified: a broken journal is never vouched for."""
    verification = audit_verify()
    return ExportedCheckpoint(verification.last_sequence, verification.last_hash, timezone.now())


def checkpoint_check(checkpoint: ExportedCheckpoint, verification: AuditVerification) -> bool:
    """Raise `AuditChainBroken` if the verified journal lost or rewrote the exported end.

    Returns False when a retention purge has since removed the exported entry, so that
    there is nothing left to compare with it, True when it was found intact.
    """
    exported = f"le point de contrôle exporté le {checkpoint.when}"
    if checkpoint.sequence > verification.last_sequence:
        first, last = verification.last_sequence + 1, checkpoint.sequence
        missing = (
            f"entrée n° {first} absente"
            if first == last
            else (f"entrées n° {first} à {last} absentes")
        )
        raise AuditChainBroken(
            first,
            f"{missing} : {exported} va jusqu'à la n° {last}, le journal s'arrête à la "
            f"n° {verification.last_sequence} (fin du journal supprimée).",
        )
    stored = _stored_hash(checkpoint.sequence, verification)
    if stored is None:
        return False
    if stored != checkpoint.entry_hash:
        raise AuditChainBroken(
            checkpoint.sequence,
            f"entrée n° {checkpoint.sequence} : elle n'est plus celle que {exported} a "
            "enregistrée (fin du journal supprimée puis réécrite).",
        )
    return True


def _stored_hash(sequence: int, verification: AuditVerification) -> str | None:
    """The hash the journal holds for entry n° `sequence`, None if purged since."""
    if sequence == verification.last_sequence:
        return verification.last_hash
    checkpoint = verification.checkpoint
    if checkpoint is not None and sequence <= checkpoint.sequence:
        return checkpoint.entry_hash if sequence == checkpoint.sequence else None
    entry = AuditEntry.objects.filter(sequence=sequence).only("entry_hash").first()
    return entry.entry_hash if entry is not None else None
