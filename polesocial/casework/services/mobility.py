"""The mobility adviser: the worker hands a case over to him (or shares it) with the
employee's consent for that scope; he records his own follow-up and its time.

Every write is journaled with the case as subject, so that both the worker (the case's
history tab) and the DPO see it. What the adviser may read is decided in privacy.scopes
(`handoffs_to_adviser`): these services check the same conditions before writing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.enums import ConsentScope
from polesocial.casework.models import Case, Consent, Handoff, MobilityFollowUp
from polesocial.casework.services.cases import check_case_writable
from polesocial.notifications.services import notification_send
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role
from polesocial.users.models import User

NO_MOBILITY_CONSENT = (
    "L'agent n'a pas donné son accord pour des échanges avec la conseillère mobilité : "
    "recueillez d'abord une adhésion qui le prévoit."
)
NOTE_REQUIRED = "Écrivez ce que vous transmettez à la conseillère mobilité."
ADVISER_REQUIRED = "Choisissez une conseillère ou un conseiller mobilité."


def mobility_consent(case: Case) -> Consent | None:
    """The case's consent, when active and covering the mobility adviser; else None."""
    consent = Consent.objects.get(pk=case.consent_id)
    if consent.is_active and ConsentScope.MOBILITY_ADVISER in consent.scope:
        return consent
    return None


def advisers():
    """The operator's mobility advisers a worker may hand a case to."""
    return User.objects.filter(role=Role.MOBILITY_ADVISER, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


@transaction.atomic
def handoff_create(*, actor: User, case: Case, adviser: User, kind: str, note: str) -> Handoff:
    """The worker in charge hands `case` to `adviser` with a note written for him; refused
    without the employee's active consent for the mobility adviser, or on a closed case."""
    if not Case.objects.visible_by(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    check_case_writable(case)
    consent = mobility_consent(case)
    if consent is None:
        raise ValidationError(NO_MOBILITY_CONSENT, code="no_mobility_consent")
    if not advisers().filter(pk=adviser.pk).exists():
        raise ValidationError({"adviser": ADVISER_REQUIRED})
    if not note.strip():
        raise ValidationError({"note": NOTE_REQUIRED})
    handoff = Handoff(
        case=case, consent=consent, adviser=adviser, kind=kind, note=note.strip(), created_by=actor
    )
    handoff.full_clean()
    handoff.save()
    audit_log(actor=actor, action=AuditAction.HANDOFF_CREATE, target=handoff, subject=case)
    # The notification names no one: the adviser reads the case behind his own sign-in.
    notification_send(
        recipients=[adviser],
        title="Un relais mobilité vous est adressé",
        body="Une assistante de service social vous passe le relais sur une situation.",
        url=reverse("casework:mobility_detail", args=[handoff.pk]),
        key=f"handoff:{handoff.pk}",
    )
    return handoff


@transaction.atomic
def handoff_end(*, actor: User, handoff: Handoff) -> Handoff:
    """The worker in charge ends a hand-off: the adviser no longer reads the case."""
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if not Handoff.objects.visible_by(actor).filter(pk=handoff.pk).exists():
        raise PermissionDenied
    if actor.role != Role.SOCIAL_WORKER:
        raise PermissionDenied
    if handoff.ended_at is not None:
        raise ValidationError("Ce relais est déjà terminé.")
    handoff.ended_at = timezone.now()
    handoff.save(update_fields=["ended_at"])
    audit_log(actor=actor, action=AuditAction.HANDOFF_END, target=handoff, subject=handoff.case)
    return handoff


@transaction.atomic
def mobility_follow_up_record(
    *,
    actor: User,
    handoff: Handoff,
    kind: str,
    occurred_on: dt.date,
    minutes: int,
    note: str = "",
) -> MobilityFollowUp:
    """The adviser records what he did (redeployment, unfitness procedure, training) and
    the time it took, on a hand-off made to him that is still current."""
    if actor.role != Role.MOBILITY_ADVISER or not (
        Handoff.objects.visible_by(actor).filter(pk=handoff.pk).exists()
    ):
        raise PermissionDenied
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "Le suivi ne peut pas être daté dans le futur."})
    if occurred_on < timezone.localtime(handoff.created_at).date():
        raise ValidationError({"occurred_on": "Le suivi ne peut pas précéder le relais."})
    follow_up = MobilityFollowUp(
        handoff=handoff,
        kind=kind,
        occurred_on=occurred_on,
        minutes=minutes,
        note=note.strip(),
        recorded_by=actor,
        employer_id=handoff.case.recorded_employer_id,
    )
    follow_up.full_clean()
    follow_up.save()
    audit_log(
        actor=actor,
        action=AuditAction.MOBILITY_FOLLOWUP_RECORD,
        target=follow_up,
        subject=handoff.case,
    )
    return follow_up
