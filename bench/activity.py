"""The activity the invoice run and the annual report read: a quarter of time entries and a
year of case work per employer, built in memory and inserted in bulk (no service, no
journal entry), deterministic (the employer's rank decides every figure).

Per employer: 10 to 40 time entries of the last quarter of REPORT_YEAR, of six billable
kinds; 1 to 3 cases with their employee, referral and consent, 1 or 2 domains, 3
interviews and, for one case in two, an orientation. Per worker: the management of the
function once a month (no employer, never billed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from polesocial.billing.enums import TimeKind
from polesocial.billing.models import TimeEntry
from polesocial.billing.rules import quarter_bounds
from polesocial.casework.enums import (
    CaseStatus,
    ConsentForm,
    Domain,
    FamilySituation,
    InterviewPlace,
    OrientationResult,
    ReferralSource,
    ReferralStatus,
    Sex,
)
from polesocial.casework.models import (
    Case,
    CaseDomain,
    Consent,
    Employee,
    Interview,
    Orientation,
    Referral,
)
from polesocial.organisations.models import Employer, SocialWorker, Team
from tests.factories import PartnerFactory, SocialWorkerFactory

REPORT_YEAR = 2025
INVOICE_QUARTER = 4
WORKERS_PER_TEAM = 3
BATCH = 500
PARIS = ZoneInfo("Europe/Paris")

# One cycle of ten entries: mostly interviews, then travel and preparation, some
# collective actions and body meetings (minutes vary with the entry's rank).
TIME_CYCLE = (
    (TimeKind.INTERVIEW, 60),
    (TimeKind.TRAVEL, 30),
    (TimeKind.INTERVIEW, 45),
    (TimeKind.PREPARATION, 45),
    (TimeKind.INTERVIEW, 90),
    (TimeKind.BODY_MEETING, 90),
    (TimeKind.TRAVEL, 40),
    (TimeKind.INTERVIEW, 60),
    (TimeKind.COLLECTIVE_ACTION, 120),
    (TimeKind.PREPARATION, 30),
)
MANAGEMENT_MINUTES = 16 * 60
LAST_NAMES = ("Moreau", "Laurent", "Simon", "Michel", "Leroy", "Roux", "David", "Bertrand")
FIRST_NAMES = ("Nathalie", "Isabelle", "Sylvie", "Christophe", "Stéphane", "Karine", "Nadia")
# Profile mixes close to the field's figures (mostly titulaires, category C).
STATUSES = ("titulaire",) * 7 + ("stagiaire", "contractuel", "contractuel")
CATEGORIES = ("C",) * 8 + ("B", "A")
FAMILIES = (
    FamilySituation.SINGLE,
    FamilySituation.SINGLE_PARENT,
    FamilySituation.COUPLE,
    FamilySituation.SINGLE,
    FamilySituation.SINGLE_PARENT,
    FamilySituation.OTHER,
)
SOURCES = ReferralSource.values
PLACES = InterviewPlace.values
DOMAINS = Domain.values
RESULTS = OrientationResult.values


@dataclass
class People:
    """Who the activity is recorded by: the teams' workers, and one partner."""

    workers: dict[int, list[SocialWorker]] = field(default_factory=dict)
    partner: object = None

    def worker(self, employer: Employer, rank: int) -> SocialWorker:
        team_workers = self.workers[employer.team_id]
        return team_workers[rank % len(team_workers)]


def create_people(teams: list[Team]) -> People:
    """WORKERS_PER_TEAM workers per team, their management time, and a partner."""
    people = People(partner=PartnerFactory(name="CAF de l'Aube"))
    for team in teams:
        people.workers[team.pk] = [SocialWorkerFactory(team=team) for _ in range(WORKERS_PER_TEAM)]
    start, _end = quarter_bounds(REPORT_YEAR, INVOICE_QUARTER)
    TimeEntry.objects.bulk_create(
        TimeEntry(
            worker=worker,
            employer=None,
            date=_working_day(dt.date(REPORT_YEAR, start.month + m, 1)),
            minutes=MANAGEMENT_MINUTES,
            kind=TimeKind.MANAGEMENT,
        )
        for workers in people.workers.values()
        for worker in workers
        for m in range(3)
    )
    return people


def add(people: People, employers: list[Employer], first_rank: int) -> dict[str, int]:
    """Time entries and cases of `employers` (ranks from `first_rank`); returns counts."""
    entries = [
        entry
        for rank, employer in enumerate(employers, start=first_rank)
        for entry in _time_entries(people, employer, rank)
    ]
    TimeEntry.objects.bulk_create(entries, batch_size=BATCH)
    counts = _case_work(people, employers, first_rank)
    return {"time_entries": len(entries), **counts}


def time_entries_of(rank: int) -> int:
    return 10 + rank * 7 % 31  # 10 to 40


def cases_of(rank: int) -> int:
    return 1 + rank % 3  # 1 to 3


# Time ----------------------------------------------------------------------------------


def _quarter_days() -> list[dt.date]:
    start, end = quarter_bounds(REPORT_YEAR, INVOICE_QUARTER)
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5]


QUARTER_DAYS = _quarter_days()


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _time_entries(people: People, employer: Employer, rank: int) -> list[TimeEntry]:
    entries = []
    for n in range(time_entries_of(rank)):
        kind, minutes = TIME_CYCLE[(rank + n) % len(TIME_CYCLE)]
        if n == 0 and rank % 25 == 0:  # now and then, the free initial review
            kind, minutes = TimeKind.INITIAL_REVIEW, 240
        entries.append(
            TimeEntry(
                worker=people.worker(employer, rank + n // 4),
                employer=employer,
                date=QUARTER_DAYS[(rank * 5 + n * 3) % len(QUARTER_DAYS)],
                minutes=minutes + 15 * (n % 3),
                kind=kind,
            )
        )
    return entries


# Case work -----------------------------------------------------------------------------


@dataclass
class _CaseRows:
    employee: Employee
    referral: Referral
    consent: Consent
    case: Case
    domains: list[str]
    interviews: list[Interview]
    orientations: list[Orientation]


def _case_work(people: People, employers: list[Employer], first_rank: int) -> dict[str, int]:
    rows = [
        _case_rows(people, employer, rank, k)
        for rank, employer in enumerate(employers, start=first_rank)
        for k in range(cases_of(rank))
    ]
    Employee.objects.bulk_create([r.employee for r in rows], batch_size=BATCH)
    for r in rows:
        r.referral.employee = r.employee
        r.consent.employee = r.employee
        r.case.employee = r.employee
    Referral.objects.bulk_create([r.referral for r in rows], batch_size=BATCH)
    for r in rows:
        r.consent.referral = r.referral
        r.case.referral = r.referral
    Consent.objects.bulk_create([r.consent for r in rows], batch_size=BATCH)
    for r in rows:
        r.case.consent = r.consent
    Case.objects.bulk_create([r.case for r in rows], batch_size=BATCH)
    CaseDomain.objects.bulk_create(
        [CaseDomain(case=r.case, domain=code) for r in rows for code in r.domains],
        batch_size=BATCH,
    )
    for r in rows:
        for record in (*r.interviews, *r.orientations):
            record.case = r.case
    interviews = [i for r in rows for i in r.interviews]
    Interview.objects.bulk_create(interviews, batch_size=BATCH)
    orientations = [o for r in rows for o in r.orientations]
    Orientation.objects.bulk_create(orientations, batch_size=BATCH)
    return {"cases": len(rows), "interviews": len(interviews), "orientations": len(orientations)}


def _case_rows(people: People, employer: Employer, rank: int, k: int) -> _CaseRows:
    n = rank * 3 + k  # unique: at most 3 cases per employer
    worker = people.worker(employer, rank + k)
    # 7919 is prime to 14,600 days: a different birth date (hence match key) per case.
    birth_date = dt.date(1962, 1, 1) + dt.timedelta(days=n * 7919 % 14_600)
    last_name, first_name = LAST_NAMES[n % len(LAST_NAMES)], FIRST_NAMES[n % len(FIRST_NAMES)]
    status, category = STATUSES[n % len(STATUSES)], CATEGORIES[n % len(CATEGORIES)]
    family, sex = FAMILIES[n % len(FAMILIES)], (Sex.FEMALE, Sex.FEMALE, Sex.MALE)[n % 3]
    # A case in three was opened the year before and carries over; one in three closes.
    if k == 2:
        opened_on = dt.date(REPORT_YEAR - 1, 9, 1) + dt.timedelta(days=n % 90)
    else:
        opened_on = dt.date(REPORT_YEAR, 1, 6) + dt.timedelta(days=n * 37 % 300)
    closed_on = opened_on + dt.timedelta(days=120) if n % 3 == 0 else None
    employee = Employee(
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        sex=sex,
        employer=employer,
        status=status,
        category=category,
        family_situation=family,
    )
    employee.index_identity()
    received = dt.datetime.combine(opened_on - dt.timedelta(days=10), dt.time(10), PARIS)
    referral = Referral(
        number=f"S-{opened_on.year}-{n:05d}",
        employer=employer,
        source=SOURCES[n % len(SOURCES)],
        received_at=received,
        reason="Difficultés financières signalées par le service RH.",
        person_last_name=last_name,
        person_first_name=first_name,
        status=ReferralStatus.ASSESSED,
        assigned_to=worker,
        assigned_at=received + dt.timedelta(days=1),
    )
    consent = Consent(given_on=opened_on, form=ConsentForm.ORAL, recorded_by_id=worker.user_id)
    case = Case(
        number=f"D-{opened_on.year}-{n:05d}",
        worker=worker,
        status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
        opened_on=opened_on,
        closed_on=closed_on,
        snapshot_employer=employer,
        snapshot_status=status,
        snapshot_category=category,
        snapshot_birth_year=birth_date.year,
        snapshot_sex=sex,
        snapshot_family_situation=family,
    )
    domains = sorted({DOMAINS[n % len(DOMAINS)], DOMAINS[(n * 3 + 1) % len(DOMAINS)]})
    interviews = [
        Interview(
            occurred_on=opened_on + dt.timedelta(days=days),
            place=PLACES[(n + days) % len(PLACES)],
            duration_minutes=(45, 60, 90)[(n + i) % 3],
            employer=employer,
            author_id=worker.user_id,
        )
        for i, days in enumerate((0, 21, 49))
    ]
    orientations = []
    if n % 2 == 0:  # one case in two is oriented to the partner
        orientations.append(
            Orientation(
                partner=people.partner,
                oriented_on=opened_on + dt.timedelta(days=30),
                purpose="Demande d'aide financière exceptionnelle.",
                result=RESULTS[n % len(RESULTS)],
            )
        )
    return _CaseRows(
        employee, referral, consent, case, domains[: 1 + n % 2], interviews, orientations
    )
