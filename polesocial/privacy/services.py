"""Writes of the DPO's own: the `archivist` authorisation (who may open the archive)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import ArchivistGrant
from polesocial.users.enums import Role

# Who may be made an archivist: the staff who can read a case's content in their daily work
# (a worker, a counsellor who once held cases). Never the DPO herself (she grants, she does
# not read content), nor the administrator (separation of duties), nor anyone outside.
ARCHIVIST_ROLES = frozenset({Role.SOCIAL_WORKER, Role.COUNSELLOR})


def is_archivist(user) -> bool:
    """True when `user` holds an `archivist` authorisation in force (and may open the
    archive, for a motive): granted by the DPO, not revoked, account active."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role not in ARCHIVIST_ROLES:
        return False
    return ArchivistGrant.objects.active().filter(user=user).exists()


@transaction.atomic
def archivist_grant(*, actor, user) -> ArchivistGrant:
    """The DPO authorises `user` to open archived cases; journaled (the person's id)."""
    if not user.is_active or user.role not in ARCHIVIST_ROLES:
        raise ValidationError(
            "Seul un compte actif d'ASS ou de conseiller·ère peut être habilité à l'archive."
        )
    current = ArchivistGrant.objects.active().select_for_update().filter(user=user).first()
    if current is not None:
        raise ValidationError("Cette personne est déjà habilitée à ouvrir l'archive.")
    grant = ArchivistGrant.objects.create(user=user, granted_by=actor, granted_at=timezone.now())
    audit_log(actor=actor, action=AuditAction.ARCHIVIST_GRANT, target=user)
    _tell(user, grant)
    return grant


def _tell(user, grant: ArchivistGrant) -> None:
    """The person learns of the authorisation, with the archive's address (no menu entry:
    the menu is the same for every worker, and the archive answers 404 to the others)."""
    from polesocial.notifications.services import notification_send

    notification_send(
        recipients=[user],
        title="Vous êtes habilité·e à ouvrir l'archive des dossiers",
        body="Chaque ouverture d'un dossier archivé demande un motif, inscrit au journal d'audit.",
        url=reverse("casework:archive_list"),
        key=f"archivist_grant:{grant.pk}",
    )


@transaction.atomic
def archivist_revoke(*, actor, grant: ArchivistGrant) -> ArchivistGrant:
    """The DPO withdraws an authorisation in force; journaled. The row stays, stamped."""
    grant = ArchivistGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError("Cette habilitation a déjà été retirée.")
    grant.revoked_at, grant.revoked_by = timezone.now(), actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(actor=actor, action=AuditAction.ARCHIVIST_REVOKE, target=grant.user)
    return grant
