"""A small operator where every role has something to see, recorded through the services.

Shared by the API fuzzing (tests/api/test_schemathesis.py) and the canary test
(tests/test_canary.py): one team serving one employer, a worker with an open case (its
referral, assessment, interview, plan and orientation), the employer's conventions,
headcount and FTE share, collective work, time entries; one account of every role, the
HR contact and the physician linked to the employer.

Every secret of the case carries a canary, `CANARY` followed by the field's name, so that a
leak names its source.
"""

import datetime as dt
from dataclasses import dataclass, field

from polesocial.casework.services import cases, records, referrals
from polesocial.collective import services as collective
from polesocial.organisations.models import FteShare, Headcount
from polesocial.users.enums import Role
from polesocial.users.models import User
from tests.factories import (
    EMPLOYEE_IDENTITY,
    ConventionFactory,
    EmployerFactory,
    PartnerFactory,
    SocialWorkerFactory,
    UserFactory,
)

CANARY = "Canari7QX"
DAY = dt.date(2026, 3, 2)  # in the past of the test settings' reference date and of today


def canary(name: str) -> str:
    return f"{CANARY}-{name}"


# The case's secrets: (model field, canary). Readable by the worker in charge only (the
# private note: by its author, the same worker here).
SECRETS = [
    "referral_reason",
    "referral_contact",
    "assessment_notes",
    "case_assessment",
    "interview_notes",
    "private_note",
    "objective_title",
    "action_description",
    "orientation_purpose",
]


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role (or "colleague") -> User
    objects: dict = field(default_factory=dict)

    @property
    def worker_user(self) -> User:
        return self.users[Role.SOCIAL_WORKER]


def build_world() -> World:
    world = World()
    worker = SocialWorkerFactory()
    team = worker.team
    employer = EmployerFactory(team=team)
    partner = PartnerFactory()
    world.users[Role.SOCIAL_WORKER] = worker.user
    world.users[Role.COUNSELLOR] = team.counsellor
    world.users["colleague"] = SocialWorkerFactory(team=team).user
    for role in Role:
        world.users.setdefault(role, UserFactory(role=role))
    employer.accounts.add(world.users[Role.EMPLOYER_CONTACT], world.users[Role.PHYSICIAN])

    case = _case(worker, employer, partner)
    ConventionFactory(employer=employer, active=True)
    Headcount.objects.create(employer=employer, year=DAY.year, total=120)
    FteShare.objects.create(worker=worker, employer=employer, year=DAY.year, share="0.4")
    action = collective.collective_action_create(
        actor=worker.user,
        worker=worker,
        employers=[(employer, 12)],
        title="Préparer sa retraite",
        kind="information_meeting",
        theme="retirement",
        starts_on=DAY,
        duration_minutes=120,
    )
    meeting = collective.body_meeting_create(
        actor=worker.user,
        worker=worker,
        employer=employer,
        body="clas",
        held_on=DAY,
        duration_minutes=90,
        topics="Plan d'action sociale de l'année.",
    )
    world.objects.update(
        worker=worker, team=team, employer=employer, partner=partner, case=case,
        action=action, meeting=meeting,
    )  # fmt: skip
    return world


def _case(worker, employer, partner):
    """A case of `worker`, every secret of it a canary."""
    referral = referrals.referral_create(
        actor=None,
        employer=employer,
        source="employer_hr",
        reason=canary("referral_reason"),
        person_last_name=EMPLOYEE_IDENTITY["last_name"],
        person_first_name=EMPLOYEE_IDENTITY["first_name"],
        person_contact=canary("referral_contact"),
    )
    referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)
    assessment = referrals.first_assessment_record(
        actor=worker.user,
        referral=referral,
        assessed_on=DAY,
        outcome="open_case",
        notes=canary("assessment_notes"),
        employee={**EMPLOYEE_IDENTITY, "employer": employer},
    )
    employee = assessment.referral.employee
    consent = referrals.consent_record(
        actor=worker.user, employee=employee, given_on=DAY, form="oral", referral=referral
    )
    case = cases.case_open(
        actor=worker.user,
        employee=employee,
        consent=consent,
        domains=["budget", "housing"],
        opened_on=DAY,
        assessment=canary("case_assessment"),
        referral=referral,
    )
    records.interview_record(
        actor=worker.user,
        case=case,
        occurred_on=DAY,
        place="workplace",
        duration_minutes=60,
        notes=canary("interview_notes"),
        private_note=canary("private_note"),
    )
    objective = records.objective_add(actor=worker.user, case=case, title=canary("objective_title"))
    records.action_add(
        actor=worker.user, objective=objective, description=canary("action_description")
    )
    records.orientation_record(
        actor=worker.user,
        case=case,
        partner=partner,
        oriented_on=DAY,
        purpose=canary("orientation_purpose"),
    )
    return case
