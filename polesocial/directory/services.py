"""Writes on the directory of partners: checked, and written to the journal.

Partners are organisations, not people, but who changed a phone number or closed a
partner is worth a line in the journal.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from polesocial.core.versioning import check_version
from polesocial.directory.models import Partner
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User

FIELDS = ("name", "kind", "phone", "email", "address", "area", "notes", "is_active")


def _check_name_free(name: str, partner: Partner | None = None) -> None:
    others = Partner.objects.filter(name__iexact=name.strip())
    if partner is not None:
        others = others.exclude(pk=partner.pk)
    if others.exists():
        raise ValidationError({"name": "Un partenaire porte déjà ce nom dans l'annuaire."})


def _save(partner: Partner, fields: dict) -> Partner:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(partner, name, value.strip() if isinstance(value, str) else value)
    _check_name_free(partner.name, partner if partner.pk else None)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_create(*, actor: User | None, **fields) -> Partner:
    """Add a partner to the directory (name unique, case ignored)."""
    partner = _save(Partner(), fields)
    audit_log(actor=actor, action=AuditAction.PARTNER_CREATE, target=partner)
    return partner


@transaction.atomic
def partner_update(
    *, actor: User | None, partner: Partner, version: int | None = None, **fields
) -> Partner:
    """Change a partner's details; `is_active=False` takes it out of the orientation lists."""
    check_version(partner, version)
    partner = _save(partner, fields)
    audit_log(actor=actor, action=AuditAction.PARTNER_UPDATE, target=partner)
    return partner
