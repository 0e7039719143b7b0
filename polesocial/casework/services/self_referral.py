"""The employee's own request, sent from the public page without an account.

It becomes a referral from « l'agent lui-même » (ReferralSource.EMPLOYEE, no `created_by`)
in the queue of the team that serves his employer, and nothing else: the employer is never
told (no receipt, no notification to anyone of the employer, no per-employer count below the
disclosure threshold in reports: reports.queries.referrals).

Abuse resistance without a third-party captcha: a limit per network address and per
employer within a window, a honeypot field and size limits (the form), and the worker who
reads a request may mark it as abuse (`referral_mark_spam`). The address is kept only for
the window: older rows are deleted whenever one is recorded, and by the retention job.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from polesocial.casework.enums import ReferralSource, ReferralStatus
from polesocial.casework.models import Referral, SelfReferralAttempt
from polesocial.casework.services.referrals import referral_create
from polesocial.organisations.models import Convention, Employer
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User

TOO_MANY_FROM_ADDRESS = (
    "Plusieurs demandes ont déjà été envoyées depuis cette connexion. Réessayez dans une "
    "heure, ou appelez directement le service social."
)
TOO_MANY_FOR_EMPLOYER = (
    "Le service social reçoit en ce moment beaucoup de demandes pour cet employeur. "
    "Réessayez dans une heure, ou appelez directement le service social."
)
NO_REASON = "Demande de contact déposée par l'agent, sans message."


def member_employers():
    """The employers the public page offers: those with a convention in force this year."""
    year = timezone.localdate().year
    members = Convention.objects.active_in(year).values("employer_id")
    return Employer.objects.filter(pk__in=members).order_by("name", "pk")


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.SELF_REFERRAL_WINDOW_SECONDS)


def self_referral_attempts_purge(*, now: dt.datetime | None = None) -> int:
    """Forget the addresses the rate limit no longer needs; how many rows were deleted."""
    start = _window_start(now or timezone.now())
    return SelfReferralAttempt.objects.filter(created_at__lt=start).delete()[0]


def self_referral_attempt_record(*, ip_address: str | None) -> None:
    """Count one submission of the page (accepted or not) against its address."""
    self_referral_attempts_purge()
    SelfReferralAttempt.objects.create(ip_address=ip_address)


def self_referral_refusal(*, ip_address: str | None, employer: Employer | None) -> str | None:
    """The French reason to refuse one more request now, or None."""
    start = _window_start(timezone.now())
    if ip_address:
        sent = SelfReferralAttempt.objects.filter(ip_address=ip_address, created_at__gte=start)
        if sent.count() >= settings.SELF_REFERRAL_IP_LIMIT:
            return TOO_MANY_FROM_ADDRESS
    if employer is not None:
        received = Referral.objects.self_referrals().filter(
            employer=employer, received_at__gte=start
        )
        if received.count() >= settings.SELF_REFERRAL_EMPLOYER_LIMIT:
            return TOO_MANY_FOR_EMPLOYER
    return None


@transaction.atomic
def self_referral_create(
    *,
    employer: Employer,
    last_name: str,
    first_name: str,
    contact: str,
    message: str = "",
) -> Referral:
    """Record the employee's own request: a referral from « l'agent lui-même », sent by no
    account, in the queue of the team serving his employer (whose leads are notified)."""
    if not member_employers().filter(pk=employer.pk).exists():
        raise ValidationError("Cet employeur n'est pas adhérent du service social.")
    return referral_create(
        actor=None,
        employer=employer,
        source=ReferralSource.EMPLOYEE,
        reason=message.strip() or NO_REASON,
        person_last_name=last_name,
        person_first_name=first_name,
        person_contact=contact.strip(),
        referrer_name="L'agent lui-même",
        referrer_contact=contact.strip(),
    )


def may_mark_spam(user: User, referral: Referral) -> bool:
    """The worker who holds a request sent from the public page (visible_by decides that she
    holds it) may mark it as abuse while it is not assessed."""
    return (
        referral.source == ReferralSource.EMPLOYEE
        and referral.created_by_id is None
        and referral.spam_marked_at is None
        and referral.status != ReferralStatus.ASSESSED
        and Referral.objects.visible_by(user).filter(pk=referral.pk).exists()
    )


@transaction.atomic
def referral_mark_spam(*, actor: User, referral: Referral) -> Referral:
    """Mark a public request as abuse: its free text and the person named are emptied at
    once (nothing to keep), and it leaves the queue and every report."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not may_mark_spam(actor, referral):
        raise PermissionDenied
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(
        spam_marked_at=now,
        anonymised_on=timezone.localdate(),
        reason="",
        person_last_name="",
        person_first_name="",
        person_contact="",
        referrer_name="",
        referrer_contact="",
    )
    audit_log(actor=actor, action=AuditAction.REFERRAL_MARK_SPAM, target=referral, subject=referral)
    referral.refresh_from_db()
    return referral
