"""Demo case work: three years of the four demo social workers' activity.

The demo year: about 550 referrals over the twelve months before the reference date, their
first assessments and consents, 480 cases with interviews, support plans, orientations to
the demo partners, closures and a few reopenings, and the referrals still waiting in the
queues. Before it, the history of a service that has been running for three years: the two
earlier years (each ending 365 days before the next), built by the same plan with a seed of
their own, for the employers under convention then (in proportion to the part of the year
they were), every case closed by the end of its year (nothing waiting, no consent
withdrawn, no hand-off: the current story is the demo year's), so that the employer
reports have earlier years to compare with and pool. Every person is fictional, built from
lists of common French names; the profile of the employees followed is close to the
field's figures (seed 001: 82 % titulaires or stagiaires, 96 % category C in communes,
36 % single, 30 % single parents, 68 % aged 35 to 55).

A fixed seed and the reference date only: loading twice changes nothing (the loader stops
when the first demo employee exists). The rows are written in bulk rather than through
the services: the services date their journal entries, notifications and assignment
times "now" and would send hundreds of e-mails for events of the past year. The dates are
checked with the services' own rules against the reference date instead, and the journal
gets one entry summarising what was loaded.
"""

from __future__ import annotations

import datetime as dt
import random

from django.urls import reverse
from django.utils import timezone

from polesocial.casework.demo.data import HISTORY_YEARS, MARKER, SEED
from polesocial.casework.demo.plan import Plan, World
from polesocial.casework.enums import ConsentScope, HandoffKind, MobilityFollowUpKind
from polesocial.casework.models import (
    Case,
    CaseClosure,
    CaseDomain,
    Consent,
    Employee,
    FirstAssessment,
    Handoff,
    Interview,
    MobilityFollowUp,
    Orientation,
    PlanAction,
    PlanObjective,
    Referral,
)
from polesocial.casework.services.numbering import case_number, referral_number
from polesocial.notifications.models import Notification
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User


def load(reference_date: dt.date) -> None:
    """Load the demo year of case work before `reference_date` and the two closed years
    before it (once: it stops if loaded)."""
    if Employee.objects.matching(*MARKER).exists():
        return
    world = World.read(reference_date)
    known = set(Employee.objects.values_list("match_key", flat=True))
    plan = Plan(world, random.Random(SEED), match_keys=known)  # noqa: S311 - demo data
    plan.build()
    history = [
        Plan(
            world.years_before(years),
            random.Random(SEED + years),  # noqa: S311 - demo data, not security
            closed=True,
            today=reference_date,
            match_keys=known,  # shared: no employee of a year takes another's key
        )
        for years in HISTORY_YEARS
    ]
    for year in history:
        year.build()
    _number([plan, *history])
    # The demo year first: its rows keep the keys they had before the history was added.
    counts = _write(plan)
    counts["handoffs"] = _hand_off_to_mobility(reference_date)
    counts["history"] = {year.ref.isoformat(): _write(year) for year in history}
    detail = {"loader": "casework", "reference_date": reference_date.isoformat(), **counts}
    audit_log(actor=None, action=AuditAction.DEMO_LOAD, detail=detail)


def _number(plans: list[Plan]) -> None:
    """Number the referrals and cases of all the years together, in date order within
    each calendar year (one sequence a year, which a year of activity straddles)."""
    referrals = [r for plan in plans for r in plan.referrals]
    for referral in sorted(referrals, key=lambda r: r.received_at):
        year = timezone.localtime(referral.received_at).year
        referral.number = referral_number(year)
    cases = [rows.case for plan in plans for rows in plan.cases]
    for case in sorted(cases, key=lambda c: c.opened_on):
        case.number = case_number(case.opened_on.year)


def _write(plan: Plan) -> dict[str, int]:
    """Write the plan in bulk (numbered already)."""
    Employee.objects.bulk_create(plan.employees)
    Referral.objects.bulk_create(plan.referrals)
    FirstAssessment.objects.bulk_create(plan.assessments)
    Consent.objects.bulk_create(plan.consents)
    cases = [rows.case for rows in plan.cases]
    Case.objects.bulk_create(cases)
    rows = plan.cases
    CaseDomain.objects.bulk_create(
        [CaseDomain(case=r.case, domain=code) for r in rows for code in r.domains]
    )
    Interview.objects.bulk_create([i for r in rows for i in r.interviews])
    PlanObjective.objects.bulk_create([o for r in rows for o in r.objectives])
    PlanAction.objects.bulk_create([a for r in rows for a in r.actions])
    Orientation.objects.bulk_create([o for r in rows for o in r.orientations])
    CaseClosure.objects.bulk_create([c for r in rows for c in r.closures])
    Notification.objects.bulk_create([_notice(*notice) for notice in plan.notices])
    return {
        "employees": len(plan.employees),
        "referrals": len(plan.referrals),
        "cases": len(cases),
        "interviews": sum(len(r.interviews) for r in rows),
        "objectives": sum(len(r.objectives) for r in rows),
        "actions": sum(len(r.actions) for r in rows),
        "orientations": sum(len(r.orientations) for r in rows),
        "closures": sum(len(r.closures) for r in rows),
    }


MOBILITY_NOTE = (
    "Agent déclaré inapte à son poste d'agent d'entretien par le comité médical. Il souhaite "
    "un reclassement sur un poste administratif à temps complet ; bilan de compétences à "
    "envisager. Joignable le matin."
)


def _hand_off_to_mobility(reference_date: dt.date) -> int:
    """One open case handed over to the demo mobility adviser, with the employee's consent
    for that scope (the worker recorded it), and one follow-up of his."""
    adviser = User.objects.filter(role="mobility_adviser", is_active=True).order_by("pk").first()
    case = (
        Case.objects.filter(status="open", domains__domain="disability", referral__isnull=False)
        .select_related("worker__user", "consent")
        .order_by("pk")
        .first()
    )
    if adviser is None or case is None:
        return 0
    consent = case.consent
    consent.scope = sorted({*consent.scope, ConsentScope.MOBILITY_ADVISER})
    consent.save(update_fields=["scope"])
    at = timezone.make_aware(dt.datetime.combine(reference_date - dt.timedelta(days=20), TEN))
    handoff = Handoff.objects.create(
        case=case, consent=consent, adviser=adviser, kind=HandoffKind.HANDOVER,
        note=MOBILITY_NOTE, created_at=at, created_by=case.worker.user,
    )  # fmt: skip
    MobilityFollowUp.objects.create(
        handoff=handoff, kind=MobilityFollowUpKind.REDEPLOYMENT,
        occurred_on=reference_date - dt.timedelta(days=7), minutes=60, recorded_by=adviser,
        note="Premier entretien : deux postes d'accueil identifiés, visite prévue.",
        employer_id=case.recorded_employer_id,
    )  # fmt: skip
    return 1


TEN = dt.time(10, 0)


def _notice(recipient: User, referral: Referral, event: str) -> Notification:
    """The notification the referral services send (in the application only: no e-mail)."""
    if event == "received":
        return Notification(
            recipient=recipient,
            created_at=referral.received_at,
            title=f"Nouvelle saisine {referral.number} ({referral.employer})",
            body="Une saisine attend dans la file d'attente de l'équipe.",
            url=reverse("casework:queue"),
            key=f"referral:{referral.pk}:received",
        )
    return Notification(
        recipient=recipient,
        created_at=referral.assigned_at,
        title=f"Saisine {referral.number} attribuée",
        body=f"Une saisine ({referral.employer}) vous est attribuée.",
        url=reverse("casework:referral_detail", args=[referral.pk]),
        key=f"referral:{referral.pk}:assigned:{referral.assigned_to_id}",
    )
