"""The morning screen of each role (core:home): the social worker's dashboard above all.

A worker sees her own referrals and cases only (`visible_by`), plus those of a colleague
she replaces today, marked as such; each list shown writes one journal entry.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from polesocial.casework.enums import PlanItemStatus, ReferralStatus, Urgency
from polesocial.casework.models import Case, Interview, PlanAction, Referral
from polesocial.casework.views.referrals import waiting_days
from polesocial.organisations.models import Replacement
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import can_use
from polesocial.users.enums import Role


def morning_context(request) -> dict:
    """What core:home shows, by role."""
    user = request.user
    return {
        "worker_dashboard": worker_dashboard(user) if user.role == Role.SOCIAL_WORKER else None,
        "counsellor_summary": counsellor_summary(user) if user.role == Role.COUNSELLOR else None,
        "can_send_referral": can_use(user, "referral_send"),
    }


def worker_dashboard(user) -> dict:
    today = timezone.localdate()
    replacements = _replacements_by_absent(user, today)
    referrals = _waiting_referrals(user)
    cases = _open_cases(user)
    actions = _actions_due(user, _end_of_week(today))
    _audit_list(user, AuditAction.REFERRAL_LIST, referrals, lambda r: r.assigned_to.user_id)
    _audit_list(user, AuditAction.CASE_LIST, cases, lambda c: c.worker.user_id)
    # The actions show their text (plan content): journaled apart from the cases.
    _audit_list(
        user, AuditAction.PLAN_ACTION_LIST, actions, lambda a: a.objective.case.worker.user_id
    )
    return {
        "referrals": [
            {
                "referral": referral,
                "waiting_days": waiting_days(referral.received_at),
                "urgent": referral.urgency == Urgency.URGENT,
                "replacement": replacements.get(referral.assigned_to_id),
            }
            for referral in referrals
        ],
        "cases": [
            {
                "case": case,
                "replacement": replacements.get(case.worker_id),
                "late": case.next_due is not None and case.next_due < today,
            }
            for case in cases
        ],
        "actions": [
            {"action": action, "late": action.due_on < today, "case": action.objective.case}
            for action in actions
        ],
        "today": today,
    }


def _end_of_week(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def _replacements_by_absent(user, today: dt.date) -> dict[int, Replacement]:
    """The colleagues the user replaces today, by their SocialWorker id."""
    replacements = Replacement.objects.visible_by(user).active_on(today)
    replacements = replacements.filter(replacing__user=user).select_related("absent__user")
    return {replacement.absent_id: replacement for replacement in replacements}


def _waiting_referrals(user) -> list[Referral]:
    referrals = Referral.objects.visible_by(user).waiting()
    return list(referrals.select_related("employer", "assigned_to").order_by("received_at", "pk"))


def _open_cases(user) -> list[Case]:
    last_contact = Interview.objects.filter(case=OuterRef("pk")).order_by("-occurred_on")
    next_due = PlanAction.objects.filter(
        objective__case=OuterRef("pk"), status=PlanItemStatus.TODO, due_on__isnull=False
    ).order_by("due_on")
    cases = (
        Case.objects.visible_by(user)
        .open()
        # The person's employer too: each row shows it (case.person), one query otherwise.
        .select_related("employee__employer", "snapshot_employer", "worker")
        .annotate(
            last_contact=Subquery(last_contact.values("occurred_on")[:1]),
            next_due=Subquery(next_due.values("due_on")[:1]),
        )
        .order_by(F("next_due").asc(nulls_last=True), "opened_on", "pk")
    )
    return list(cases)


def _actions_due(user, until: dt.date) -> list[PlanAction]:
    """Plan actions to do by the end of the week (late ones included), on open cases."""
    actions = PlanAction.objects.visible_by(user).filter(
        status=PlanItemStatus.TODO, due_on__lte=until, objective__case__status="open"
    )
    # Each row names the person (case.person): a legacy case reads the employee's employer.
    actions = actions.select_related(
        "objective__case__employee__employer", "objective__case__worker"
    )
    return list(actions.order_by("due_on", "pk"))


def _audit_list(user, action: AuditAction, objects: list, owner_user_id) -> None:
    """One entry per list shown; a colleague's rows, read as replacement, get their own."""
    own = [obj for obj in objects if owner_user_id(obj) == user.pk]
    replaced = [obj for obj in objects if owner_user_id(obj) != user.pk]
    if own:
        audit_log(actor=user, action=action, targets=own)
    if replaced:
        audit_log(actor=user, action=action, targets=replaced)


def counsellor_summary(user) -> dict:
    """The counsellor's morning figures, from the queue projection (no identity)."""
    rows = list(Referral.objects.waiting().queue_visible_by(user))
    return {
        "waiting": len(rows),
        "unassigned": sum(1 for row in rows if row["status"] == ReferralStatus.RECEIVED),
        "urgent": sum(1 for row in rows if row["urgency"] == Urgency.URGENT),
        "oldest_days": max((waiting_days(row["received_at"]) for row in rows), default=0),
    }
