"""The demo year built in memory from the seed: rows to write, not yet saved."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field, replace

from django.db.models import Min
from django.utils import timezone

from polesocial.casework import rules
from polesocial.casework.demo.data import (
    AGE_MIX,
    CASES,
    CATEGORY_MIX,
    CLOSURE_REASONS,
    DURATIONS,
    EMPLOYER_WEIGHTS,
    FAMILY_MIX,
    FEMALE,
    FIRST_PLACES,
    FOLLOW_UP_NOTES,
    JOBS,
    LAST_NAMES,
    MALE,
    OTHER_NOTES,
    OTHER_OUTCOME_MIX,
    OTHER_OUTCOMES,
    OUTCOMES,
    PARTNERS_BY_DOMAIN,
    PLACES,
    PRIMARY_DOMAINS,
    PRIVATE_NOTES,
    REFERRERS,
    RELATED,
    REPEATS,
    SOURCES,
    STATUS_MIX,
    STORY,
    STREETS,
    TEXTS,
    WAITING,
)
from polesocial.casework.enums import (
    AssessmentOutcome,
    CaseStatus,
    ClosureReason,
    Domain,
    InterviewPlace,
    OrientationResult,
    PlanItemStatus,
    ReferralSource,
    ReferralStatus,
    Urgency,
)
from polesocial.casework.models import (
    Case,
    CaseClosure,
    Consent,
    Employee,
    FirstAssessment,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
    Referral,
    match_key,
)
from polesocial.casework.person import PersonRecord
from polesocial.directory.demo import PARTNER_NAMES
from polesocial.directory.models import Partner
from polesocial.organisations.demo import siret_for
from polesocial.organisations.enums import ConventionStatus
from polesocial.organisations.models import Employer, FteShare, SocialWorker
from polesocial.users.models import User


@dataclass
class World:
    """What the demo builds on: employers, their workers, partners, accounts."""

    reference: dt.date
    employers: dict[int, Employer]
    workers: dict[int, SocialWorker]
    ends: dict[int, dt.date]  # last day of service of an employer whose convention ended
    starts: dict[int, dt.date]  # first day of service: its first convention's start
    partners: dict[str, Partner]
    senders: dict[tuple[str, int], User]
    team_leads: dict[int, list[User]]

    @classmethod
    def read(cls, reference: dt.date) -> World:
        employers = {i: Employer.objects.get(siret=siret_for(i)) for i in EMPLOYER_WEIGHTS}
        shares = FteShare.objects.filter(year=reference.year).select_related("worker__user")
        by_employer = {s.employer_id: s.worker for s in shares}
        workers = {
            i: by_employer.get(e.pk)
            or SocialWorker.objects.filter(team=e.team).order_by("pk").first()
            for i, e in employers.items()
        }
        ends = {
            i: c.terminated_on
            for i, e in employers.items()
            for c in e.conventions.filter(status=ConventionStatus.TERMINATED)
        }
        starts = {
            i: day
            for i, e in employers.items()
            if (
                day := e.conventions.exclude(status=ConventionStatus.DRAFT).aggregate(
                    first=Min("starts_on")
                )["first"]
            )
            is not None
        }
        partners = Partner.objects.filter(name__in=PARTNER_NAMES.values())
        by_name = {p.name: p for p in partners}
        contact = User.objects.get(email="celine.rousseau@demo.polesocial.fr")
        physician = User.objects.get(email="dr.marc.bonnet@demo.polesocial.fr")
        senders = {(ReferralSource.EMPLOYER_HR, 0): contact}
        senders |= {(ReferralSource.OCCUPATIONAL_HEALTH, i): physician for i in range(4)}
        leads = {
            e.team_id: [u for u in (e.team.counsellor, e.team.deputy) if u is not None]
            for e in employers.values()
        }
        return cls(
            reference=reference,
            employers=employers,
            workers=workers,
            ends=ends,
            starts=starts,
            partners={key: by_name[name] for key, name in PARTNER_NAMES.items()},
            senders=senders,
            team_leads=leads,
        )

    def years_before(self, years: int) -> World:
        """The same world, seen from the end of an earlier year of service (its workers are
        this year's: the FTE shares are the reference year's only)."""
        return replace(self, reference=self.reference - dt.timedelta(days=365 * years))


@dataclass
class CaseRows:
    case: Case
    domains: list[str]
    periods: list[tuple[dt.date, dt.date]]  # when the case was open (a reopening adds one)
    closures: list[CaseClosure] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    objectives: list[PlanObjective] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    orientations: list[Orientation] = field(default_factory=list)


class Plan:
    """The rows to write, built in memory from the seed.

    The demo year by default: the year before the world's reference date, with cases still
    open, the queues and the story employee. A `closed` year is one of the history before
    it, seen from `today` (the demo's reference date): the same activity for the employers
    under convention then, every case closed by the year's last days, nothing waiting.
    `match_keys` are the employees already built or written: no new one may take one.
    """

    def __init__(
        self,
        world: World,
        rng: random.Random,
        *,
        closed: bool = False,
        today: dt.date | None = None,
        match_keys: set[str] | None = None,
    ):
        self.world, self.rng, self.ref = world, rng, world.reference
        self.closed, self.today = closed, today or world.reference
        # The last day anything happens in the year: a closed year closes its cases by then.
        self.last = self.ref - dt.timedelta(days=3) if closed else self.ref
        self.employees: list[Employee] = []
        self.match_keys: set[str] = set() if match_keys is None else match_keys
        self.referrals: list[Referral] = []
        self.assessments: list[FirstAssessment] = []
        self.consents: list[Consent] = []
        self.cases: list[CaseRows] = []
        self.notices: list[tuple[User, Referral, str]] = []  # written once numbered

    # -- the year's referrals -----------------------------------------------------------

    def build(self) -> None:
        weights, cases, others, waiting = EMPLOYER_WEIGHTS, CASES, OTHER_OUTCOMES, WAITING
        if self.closed:
            weights = self.weights_in_service()
            served = sum(weights.values()) / sum(EMPLOYER_WEIGHTS.values())
            cases, others, waiting = round(CASES * served), round(OTHER_OUTCOMES * served), 0
        total = cases + others + waiting
        employers = self.deck(total, weights)
        sources = self.deck(total, SOURCES)
        case_people = self.cases_of_the_year(employers[:cases], sources[:cases])
        self.other_referrals(employers[cases : cases + others], sources[cases:], case_people)
        for n, index in enumerate(employers[cases + others :]):
            self.waiting(n, index, sources[cases + others + n])
        self.reopen()
        if not self.closed:
            self.withdraw_consents()

    def weights_in_service(self) -> dict[int, float]:
        """A closed year's employer weights: the headcount, times the share of the year
        under convention (none before the first convention started)."""
        first = self.ref - dt.timedelta(days=365)
        weights = {}
        for index, weight in EMPLOYER_WEIGHTS.items():
            days = (self.ref - max(first, self.world.starts.get(index, first))).days
            if days > 30:
                weights[index] = weight * days / 365
        return weights

    def cases_of_the_year(self, employers: list[int], sources: list[str]) -> list[dict]:
        """The referrals that led to a case; in the demo year, the first is the fixed demo
        employee's (her story is this year's: no closed year has her)."""
        people = self.people(employers)
        primary = self.deck(len(employers), PRIMARY_DOMAINS)
        if not self.closed:
            people[0] |= STORY | {"employer": self.world.employers[STORY["index"]]}
            primary[0] = Domain.BUDGET
        for person, domain, source in zip(people, primary, sources, strict=True):
            person["primary"] = domain
            day = self.day_in_year(person)
            if "days_ago" in person:
                day = self.not_after_reference(self.ref - dt.timedelta(days=person["days_ago"]))
            self.open_case(self.referral(person, source, day), person)
        return people

    def other_referrals(self, employers: list[int], sources: list[str], followed: list[dict]):
        """Referrals answered by information, a partner, or declined; a few of them from
        people followed later, whom the later assessment matched silently.
        """
        outcomes = self.deck(len(employers), OTHER_OUTCOME_MIX)
        for n, person in enumerate(self.people(employers)):
            day = self.day_in_year(person)
            if n < REPEATS and n * 7 + 3 < len(followed):
                person = followed[n * 7 + 3]
                later = timezone.localtime(person["referral"].received_at).date()
                day = later - dt.timedelta(days=self.rng.randint(30, 120))
                if day < max(self.ref - dt.timedelta(days=360), self.first_day(person)):
                    continue
                day = self.working_day(day, later)
            person.setdefault("primary", self.pick(PRIMARY_DOMAINS))
            referral = self.referral(person, sources[n], day)
            self.assess(referral, person, AssessmentOutcome(outcomes[n]))

    def people(self, employer_indexes: list[int]) -> list[dict]:
        """Fictional employees with the field's profile (shares exact within the group)."""
        n = len(employer_indexes)
        status = self.deck(n, STATUS_MIX)
        family = self.deck(n, FAMILY_MIX)
        ages = self.deck(n, AGE_MIX)
        categories = self.categories(employer_indexes)
        people = []
        for k, index in enumerate(employer_indexes):
            employer = self.world.employers[index]
            single_parent = family[k] == "single_parent"
            female = self.rng.random() < (0.88 if single_parent else 0.65)
            people.append(
                {
                    "index": index,
                    "employer": employer,
                    "sex": "F" if female else "M",
                    "first_name": self.rng.choice(FEMALE if female else MALE),
                    "last_name": self.rng.choice(LAST_NAMES),
                    "age": self.rng.randint(*ages[k]),
                    "status": status[k],
                    "category": categories[k],
                    "family_situation": family[k],
                    "children_count": self.children(family[k]),
                    "job": self.job(employer.kind, categories[k]),
                    "working_time": self.pick(
                        {"full_time": 80, "part_time": 13, "non_full_time": 7}
                    ),
                    "phone": self.phone(),
                }
            )
        return people

    def categories(self, employer_indexes: list[int]) -> list[str]:
        by_kind: dict[str, list[int]] = {}
        for k, index in enumerate(employer_indexes):
            by_kind.setdefault(self.world.employers[index].kind, []).append(k)
        result = [""] * len(employer_indexes)
        for kind, positions in sorted(by_kind.items()):
            mix = dict(zip("ABC", CATEGORY_MIX.get(kind, (10, 20, 70)), strict=True))
            for position, category in zip(positions, self.deck(len(positions), mix), strict=True):
                result[position] = category
        return result

    def children(self, family: str) -> int:
        if family == "single_parent":
            return self.pick({1: 45, 2: 35, 3: 20})
        if family == "couple":
            return self.pick({0: 30, 1: 25, 2: 30, 3: 15})
        return self.pick({0: 85, 1: 15}) if family == "other" else 0

    def job(self, kind: str, category: str) -> str:
        jobs = JOBS["C"][kind] if category == "C" else JOBS[category]
        return self.rng.choice(jobs)

    def day_in_year(self, person: dict) -> dt.date:
        """A working day of the year before the reference date (fewer in August), once the
        employer's convention has started; a closed year's last referral comes a week
        before its end, so that it is assigned and assessed by then."""
        last = self.ref - dt.timedelta(days=10 if self.closed else 3)
        if person["index"] in self.world.ends:  # no referral in its convention's last weeks
            last = min(last, self.world.ends[person["index"]] - dt.timedelta(days=60))
        first = self.first_day(person)
        while True:
            day = self.ref - dt.timedelta(days=self.rng.randint(3, 365))
            if first <= day <= last and (day.month != 8 or self.rng.random() < 0.5):
                return self.working_day(day, last)

    def first_day(self, person: dict) -> dt.date:
        return self.world.starts.get(person["index"], self.ref - dt.timedelta(days=365))

    def end_of(self, person: dict) -> dt.date:
        return self.world.ends.get(person["index"], self.ref)

    def referral(self, person: dict, source: str, day: dt.date) -> Referral:
        employer, worker = person["employer"], self.world.workers[person["index"]]
        received = self.moment(day)
        urgent = self.rng.random() < 0.1
        referral = Referral(
            employer=employer,
            source=source,
            received_at=received,
            referrer_name=self.referrer(source, employer),
            referrer_contact=employer.hr_contact_email if source == "employer_hr" else "",
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
            reason=TEXTS[person["primary"]][0],
            person_last_name=person["last_name"],
            person_first_name=person["first_name"],
            person_contact=person["phone"],
            status=ReferralStatus.ASSIGNED,
            assigned_to=worker,
            assigned_at=received + dt.timedelta(hours=self.rng.choice((2, 5, 20, 26, 48))),
            created_by=self.world.senders.get((source, person["index"]), worker.user),
        )
        self.referrals.append(referral)
        person.setdefault("referral", referral)
        return referral

    def referrer(self, source: str, employer: Employer) -> str:
        name = REFERRERS[source]
        return f"{name} — {employer.name}" if source in ("employer_hr", "line_manager") else name

    def assess(self, referral: Referral, person: dict, outcome: str) -> FirstAssessment:
        urgent = referral.urgency == Urgency.URGENT
        delay = self.rng.randint(0, 2) if urgent else self.rng.randint(1, 9)
        assigned = timezone.localtime(referral.assigned_at).date()
        day = self.not_after_reference(assigned + dt.timedelta(days=delay))
        referral.employee = self.employee(person, day)
        referral.status = ReferralStatus.ASSESSED
        opens = outcome == AssessmentOutcome.OPEN_CASE
        assessment = FirstAssessment(
            referral=referral,
            assessed_on=day,
            outcome=outcome,
            notes=TEXTS[person["primary"]][1] if opens else OTHER_NOTES[outcome],
            worker=referral.assigned_to,
        )
        self.assessments.append(assessment)
        return assessment

    def employee(self, person: dict, day: dt.date) -> Employee:
        if "employee" in person:
            return person["employee"]
        birth = person.get("birth") or self.birth_date(person["age"], day)
        while match_key(person["last_name"], person["first_name"], birth) in self.match_keys:
            birth += dt.timedelta(days=1)  # two namesakes born the same day: not in a demo
        street = self.rng.choice(STREETS)
        employer = person["employer"]
        employee = Employee(
            last_name=person["last_name"],
            first_name=person["first_name"],
            birth_date=birth,
            sex=person["sex"],
            phone=person["phone"],
            address=f"{self.rng.randint(1, 60)} {street}, {employer.postcode} {employer.city}",
            employer=employer,
            **{k: person[k] for k in ("status", "category", "job", "working_time")},
            family_situation=person["family_situation"],
            children_count=person["children_count"],
        )
        employee.index_identity()
        employee.clean_fields(exclude=["employer"])
        self.employees.append(employee)
        self.match_keys.add(employee.match_key)
        person["employee"] = employee
        return employee

    def birth_date(self, age: int, day: dt.date) -> dt.date:
        return day - dt.timedelta(days=age * 365 + age // 4 + self.rng.randint(30, 330))

    # -- cases --------------------------------------------------------------------------

    def open_case(self, referral: Referral, person: dict) -> None:
        primary = person["primary"]
        assessment = self.assess(referral, person, AssessmentOutcome.OPEN_CASE)
        delay = dt.timedelta(days=self.rng.choice((0, 0, 3, 7, 14)))
        opened = max(
            assessment.assessed_on, self.not_after_reference(assessment.assessed_on + delay)
        )
        consent = Consent(
            employee=referral.employee,
            referral=referral,
            given_on=opened,
            form=self.pick({"oral": 65, "written": 35}),
            scope=self.scope(referral.source),
            recorded_by=referral.assigned_to.user,
        )
        rules.check_not_future(opened, self.ref, "opened_on", "L'ouverture")
        self.consents.append(consent)
        employee = referral.employee
        case = Case(
            employee=employee,
            worker=referral.assigned_to,
            referral=referral,
            consent=consent,
            opened_on=opened,
            assessment=TEXTS[primary][1],
            snapshot_employer=employee.employer,
            snapshot_status=employee.status,
            snapshot_category=employee.category,
            snapshot_birth_year=employee.birth_date.year,
            snapshot_sex=employee.sex,
            snapshot_family_situation=employee.family_situation,
            person_data=PersonRecord.from_employee(employee).to_json(),
        )
        domains = person.get("domains") or self.domains(primary, person["age"])
        rows = CaseRows(case, domains, [])
        self.cases.append(rows)
        self.life(rows, self.end_of(person), keep_open=person.get("keep_open", False))

    def scope(self, source: str) -> list[str]:
        scope = ["partners"] if self.rng.random() < 0.7 else []
        if source in ("occupational_health", "mobility_adviser", "employer_hr"):
            scope.append(source)
        return scope

    def domains(self, primary: str, age: int) -> list[str]:
        """The primary domain, retirement for some older employees, and related ones."""
        codes = [primary]
        if age >= 56 and self.rng.random() < 0.4:
            codes.append(Domain.RETIREMENT)
        wanted = min(3, len(codes) + self.pick({0: 40, 1: 42, 2: 18}))
        related = [d for d in RELATED[primary] if d not in codes]
        return codes + self.rng.sample(related, k=wanted - len(codes))

    def life(self, rows: CaseRows, service_end: dt.date, keep_open: bool = False) -> None:
        """Periods, closures (about half), interviews, plan and orientations of a case."""
        opened = rows.case.opened_on
        length = self.pick({(20, 60): 14, (60, 120): 24, (120, 240): 32, (240, 480): 30})
        closes = opened + dt.timedelta(days=self.rng.randint(*length))
        forced = service_end < self.ref  # the employer's convention ended
        if forced:
            closes = min(closes, service_end)
        if self.closed:  # closed by the year's last days, before its interviews are drawn
            closes = min(closes, self.last)
        if closes <= self.ref - dt.timedelta(days=3) and not keep_open:
            closes = max(opened, self.working_day(closes, min(self.last, service_end)))
            rows.periods = [(opened, closes)]
            self.close(rows, closes, ClosureReason.OTHER if forced else None)
        else:
            rows.periods = [(opened, self.ref)]
        self.interviews(rows)
        self.plan(rows)
        self.orientations(rows)

    def close(self, rows: CaseRows, day: dt.date, reason: str | None = None) -> None:
        age = (day - rows.case.employee.birth_date).days // 365
        if reason is None:
            reason = self.pick(CLOSURE_REASONS)
            if age >= 60 and Domain.RETIREMENT in rows.domains:
                reason = ClosureReason.RETIRED
        rules.check_closure(opened_on=rows.case.opened_on, closed_on=day, today=self.ref)
        rows.closures.append(
            CaseClosure(
                case=rows.case,
                closed_on=day,
                reason=reason,
                outcome=OUTCOMES[reason],
                closed_by=rows.case.worker.user,
            )
        )
        rows.case.status, rows.case.closed_on = CaseStatus.CLOSED, day

    def interviews(self, rows: CaseRows) -> None:
        count = self.pick({1: 10, 2: 16, 3: 19, 4: 17, 5: 13, 6: 11, 7: 8, 8: 6})
        days = sorted({self.day_within(rows.periods) for _ in range(count - 1)})
        days = [rows.case.opened_on, *[d for d in days if d != rows.case.opened_on]]
        primary = rows.domains[0]
        for n, day in enumerate(days):
            place = self.pick(PLACES if n else FIRST_PLACES)
            low, high = DURATIONS.get(place, (45, 90))
            minutes = self.rng.randrange(low, high + 1, 5)
            rules.check_interview(occurred_on=day, duration_minutes=minutes, today=self.ref)
            rows.interviews.append(
                Interview(
                    case=rows.case,
                    occurred_on=day,
                    place=place,
                    duration_minutes=minutes,
                    employer=rows.case.snapshot_employer,
                    notes=TEXTS[primary][1] if n == 0 else self.rng.choice(FOLLOW_UP_NOTES),
                    private_note=self.private_note(),
                    author=rows.case.worker.user,
                )
            )

    def private_note(self) -> str:
        return self.rng.choice(PRIVATE_NOTES) if self.rng.random() < 0.1 else ""

    def plan(self, rows: CaseRows) -> None:
        closure = rows.closures[-1] if rows.closures else None
        for domain in rows.domains[:2]:
            _reason, _note, title, actions = TEXTS[domain]
            objective = PlanObjective(case=rows.case, title=title)
            rows.objectives.append(objective)
            statuses = []
            for description in self.rng.sample(actions, k=self.rng.randint(1, len(actions))):
                due = rows.case.opened_on + dt.timedelta(days=self.rng.randint(10, 120))
                status = self.action_status(due, closure)
                statuses.append(status)
                rows.actions.append(
                    PlanAction(
                        objective=objective, description=description, due_on=due, status=status
                    )
                )
            if all(s == PlanItemStatus.DONE for s in statuses):
                objective.status = PlanItemStatus.DONE
            elif closure is not None:
                met = closure.reason == ClosureReason.OBJECTIVES_MET
                objective.status = PlanItemStatus.DONE if met else PlanItemStatus.CANCELLED

    def action_status(self, due: dt.date, closure: CaseClosure | None) -> str:
        if closure is not None:
            if closure.reason == ClosureReason.OBJECTIVES_MET:
                return PlanItemStatus.DONE
            if due > closure.closed_on:
                return PlanItemStatus.CANCELLED
            return self.pick({PlanItemStatus.DONE: 80, PlanItemStatus.CANCELLED: 20})
        if due > self.ref:
            return PlanItemStatus.TODO
        return self.pick({PlanItemStatus.DONE: 70, PlanItemStatus.TODO: 22, "cancelled": 8})

    def orientations(self, rows: CaseRows) -> None:
        count = self.pick({0: 35, 1: 48, 2: 17})
        for domain in (rows.domains * 2)[:count]:
            day = self.day_within(rows.periods)
            rules.check_not_future(day, self.ref, "oriented_on", "L'orientation")
            key = self.rng.choice(PARTNERS_BY_DOMAIN[domain])
            old = (self.today - day).days > 45
            result = self.pick(
                {"achieved": 62, "not_achieved": 20, "pending": 18}
                if old
                else {"pending": 80, "achieved": 20}
            )
            rows.orientations.append(
                Orientation(
                    case=rows.case,
                    partner=self.world.partners[key],
                    oriented_on=day,
                    purpose=f"{TEXTS[domain][2]} : mise en relation avec le partenaire.",
                    result=OrientationResult(result),
                )
            )

    def reopen(self) -> None:
        """A few closed cases reopened after a new request (one of them closed again; in a
        closed year, all of them, by its last days)."""
        closed = [
            r
            for r in self.cases
            if r.closures
            and r.closures[-1].reason != ClosureReason.OTHER  # not after the convention ended
            and r.case.closed_on < self.ref - dt.timedelta(days=60)
        ]
        # A closed year of a service only just started may have fewer to reopen.
        for n, rows in enumerate(self.rng.sample(closed, k=min(6, len(closed)))):
            closure = rows.closures[-1]
            delay = dt.timedelta(days=self.rng.randint(20, 50))
            back = self.not_after_reference(closure.closed_on + delay)
            closure.reopened_on = back
            rows.case.status, rows.case.closed_on = CaseStatus.OPEN, None
            end = self.ref
            if n == 0:
                end = self.working_day(back + dt.timedelta(days=30), self.last)
            elif self.closed:
                end = self.working_day(back + dt.timedelta(self.rng.randint(30, 120)), self.last)
            rows.periods.append((back, end))
            self.extra_interviews(rows, back, end)
            if n == 0:
                self.close(rows, end, ClosureReason.OBJECTIVES_MET)
            elif self.closed:
                self.close(rows, end)

    def extra_interviews(self, rows: CaseRows, start: dt.date, end: dt.date) -> None:
        for day in sorted({start, self.day_within([(start, end)])}):
            first = day == start
            rows.interviews.append(
                Interview(
                    case=rows.case,
                    occurred_on=day,
                    place=InterviewPlace.OPERATOR_OFFICE if first else InterviewPlace.PHONE,
                    duration_minutes=60 if first else 20,
                    employer=rows.case.snapshot_employer,
                    notes="Nouvelle demande de l'agent : reprise de l'accompagnement.",
                    author=rows.case.worker.user,
                )
            )

    def withdraw_consents(self) -> None:
        """Two employees withdraw their consent: one case stays open, blocked; one is closed."""
        candidates = [
            r
            for r in self.cases
            if r.case.status == CaseStatus.OPEN
            and len(r.periods) == 1
            and r.case.opened_on < self.ref - dt.timedelta(days=90)
            and self.last_activity(r) < self.ref - dt.timedelta(days=30)
        ]
        for n, rows in enumerate(self.rng.sample(candidates, k=2)):
            delay = dt.timedelta(days=self.rng.randint(7, 20))
            day = self.not_after_reference(self.last_activity(rows) + delay)
            rows.case.consent.withdrawn_on = day
            for action in rows.actions:  # no plan change after the withdrawal
                if action.due_on > day and action.status != PlanItemStatus.TODO:
                    action.status = PlanItemStatus.TODO
                    action.objective.status = PlanItemStatus.TODO
            if n == 1:
                closes = self.not_after_reference(day + dt.timedelta(days=5))
                self.close(rows, closes, ClosureReason.EMPLOYEE_CHOICE)

    def last_activity(self, rows: CaseRows) -> dt.date:
        days = [i.occurred_on for i in rows.interviews] + [o.oriented_on for o in rows.orientations]
        return max(days)

    # -- the queues ---------------------------------------------------------------------

    def waiting(self, n: int, index: int, source: str) -> None:
        """A referral not yet assessed: two in three wait for a worker, one in three has one."""
        person = self.people([index])[0]
        urgent = n % 4 == 0
        person["primary"] = self.pick(PRIMARY_DOMAINS)
        ago = dt.timedelta(days=self.rng.randint(1, 6 if urgent else 20))
        referral = self.referral(person, source, self.not_after_reference(self.ref - ago))
        referral.urgency = Urgency.URGENT if urgent else Urgency.NORMAL
        if referral.assigned_at > timezone.make_aware(dt.datetime.combine(self.ref, dt.time(18))):
            referral.assigned_at = referral.received_at
        for lead in self.world.team_leads[referral.employer.team_id]:
            self.notices.append((lead, referral, "received"))
        if n % 3 == 2:
            self.notices.append((referral.assigned_to.user, referral, "assigned"))
        else:
            referral.status = ReferralStatus.RECEIVED
            referral.assigned_to = referral.assigned_at = None
            referral.created_by = self.world.senders.get((source, index))

    # -- helpers ------------------------------------------------------------------------

    def deck(self, n: int, weights: dict) -> list:
        """n values in the weights' exact proportions (largest remainders), shuffled."""
        total = sum(weights.values())
        exact = {value: n * w / total for value, w in weights.items()}
        counts = {value: int(share) for value, share in exact.items()}
        by_remainder = sorted(exact, key=lambda v: exact[v] - counts[v], reverse=True)
        for value in by_remainder[: n - sum(counts.values())]:
            counts[value] += 1
        cards = [value for value, count in counts.items() for _ in range(count)]
        self.rng.shuffle(cards)
        return cards

    def pick(self, weights: dict):
        values = list(weights)
        cumulative = list(itertools.accumulate(weights.values()))
        return values[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def moment(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.randrange(8 * 60 + 30, 17 * 60 + 30, 5)
        naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
        return timezone.make_aware(naive)

    def working_day(self, day: dt.date, last: dt.date) -> dt.date:
        """`day` (at most `last`) if a weekday; else the Monday after, or the Friday before
        when that Monday is past `last`.
        """
        day = min(day, last)
        forward = day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)
        if forward <= last:
            return forward
        return day - dt.timedelta(days=max(0, day.weekday() - 4))

    def not_after_reference(self, day: dt.date) -> dt.date:
        """`day`, at the latest the year's last day (the reference date in the demo year)."""
        return self.working_day(min(day, self.last), self.last)

    def day_within(self, periods: list[tuple[dt.date, dt.date]]) -> dt.date:
        start, end = self.rng.choice(periods)
        day = start + dt.timedelta(days=self.rng.randint(0, (end - start).days))
        return self.working_day(day, end) if day.weekday() > 4 else day

    def phone(self) -> str:
        pairs = [f"{self.rng.randint(0, 99):02d}" for _ in range(4)]
        return " ".join([self.rng.choice(("06", "07")), *pairs])
