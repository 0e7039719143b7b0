"""The generator behind `demo --scale`: see polesocial/core/scale/__init__.py."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection, reset_queries, transaction
from django.db.models import Max
from django.utils import timezone

from polesocial.aid.enums import (
    AidStatus,
    CommitteeScope,
    DecisionOutcome,
    Funder,
    Payee,
    PaymentMode,
    SchemeKind,
)
from polesocial.aid.models import (
    AidDecision,
    AidPayment,
    AidRequest,
    AidScheme,
    Committee,
    CommitteeSession,
    ConfidentialityUndertaking,
    LoanInstalment,
)
from polesocial.aid.services import loan_schedule
from polesocial.billing.enums import TimeKind, TimeSource
from polesocial.billing.models import TimeEntry
from polesocial.casework.enums import (
    CaseStatus,
    ClosureReason,
    ConsentForm,
    ConsentScope,
    Domain,
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    InterviewPlace,
    OrientationResult,
    ReferralSource,
    ReferralStatus,
    Sex,
)
from polesocial.casework.models import (
    Case,
    CaseClosure,
    CaseDomain,
    Consent,
    Employee,
    Interview,
    Orientation,
    Referral,
)
from polesocial.collective.enums import ActionKind, ActionTheme, Body
from polesocial.collective.models import ActionEmployer, BodyMeeting, CollectiveAction
from polesocial.core.models import NumberSequence
from polesocial.core.scale import Scale, aid_catalogue
from polesocial.core.scale.names import FIRST_NAMES, LAST_NAMES
from polesocial.directory.models import Partner
from polesocial.organisations import services as organisations
from polesocial.organisations.enums import BillingMode, ConventionStatus, EmployerKind
from polesocial.organisations.models import Convention, Employer, Headcount, SocialWorker, Team
from polesocial.organisations.validators import luhn_valid
from polesocial.privacy.crypto import encrypt
from polesocial.users import services as users
from polesocial.users.enums import Role
from polesocial.users.models import User

PARIS = ZoneInfo("Europe/Paris")
# Enum `.values` is rebuilt at every call: read once.
VALUES = {
    enum: enum.values
    for enum in (
        ReferralSource,
        InterviewPlace,
        Domain,
        ClosureReason,
        OrientationResult,
        FamilySituation,
        ActionTheme,
        ActionKind,
        Body,
    )
}
TIME_COLUMNS = (
    "id",
    "worker_id",
    "employer_id",
    "date",
    "minutes",
    "kind",
    "source",
    "source_id",
    "created_by_id",
    "created_at",
)
BATCH = 2_000
CASES_PER_INSERT = 1_000
SLICE = 20  # employers built and inserted together (memory stays flat at any size)
CITIES = (
    "Troyes",
    "Nancy",
    "Metz",
    "Bar-le-Duc",
    "Verdun",
    "Épinal",
    "Reims",
    "Fort-de-France",
    "Lyon",
    "Rennes",
    "Lille",
    "Toulouse",
)
KIND_NAMES = {
    EmployerKind.COMMUNE: "Commune de",
    EmployerKind.EPCI: "Communauté de communes de",
    EmployerKind.CCAS_CIAS: "CCAS de",
    EmployerKind.DEPARTEMENT: "Département de",
    EmployerKind.REGION: "Région de",
    EmployerKind.PUBLIC_BODY: "Syndicat intercommunal de",
    EmployerKind.STATE_SERVICE: "Direction départementale de",
}
NOTES = (
    "Point sur la situation budgétaire et les démarches engagées.",
    "Échange sur le maintien dans l'emploi après l'arrêt.",
    "Accompagnement du dossier de logement, pièces à compléter.",
    "Entretien de suivi : les démarches avancent.",
)
REASONS = (
    "Difficultés financières signalées par le service RH.",
    "Arrêt de travail prolongé, inquiétude sur la reprise.",
    "Demande de l'agent pour une question de logement.",
    "Situation familiale difficile, besoin d'écoute.",
)


def _siret(prefix: str, n: int) -> str:
    head = f"{prefix}{n:0{13 - len(prefix)}d}"
    return next(head + str(k) for k in range(10) if luhn_valid(head + str(k)))


class Generator:
    def __init__(self, scale: Scale, *, seed: int, progress: Callable | None) -> None:
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311 - repeatable made-up data, no secret
        self.progress = progress or (lambda label, done, total: None)
        self.today = timezone.localdate()
        self.first_year = self.today.year - scale.years + 1
        self.first_day = dt.date(self.first_year, 1, 1)
        self.counts: dict[str, int] = {}
        self.numbers: dict[tuple[str, int], int] = {}
        self.identities: set[tuple[str, str, dt.date]] = set()
        self.ids: dict[type, int] = {}

    # Entry point ----------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        if Employer.objects.exists() or Case.objects.exists():
            raise ValueError(
                "La génération à grande échelle part d'une base vide : cette base contient "
                "déjà des employeurs ou des dossiers (supprimez db.sqlite3 ou créez une "
                "base PostgreSQL neuve)."
            )
        with transaction.atomic():
            self._organisation()
        employers = self._employers()
        with transaction.atomic():
            self._aid_catalogue(employers)
        self._case_work(employers)
        self._collective_work(employers)
        self._management_time()
        self._number_sequences()
        return self.counts

    def _add(self, model, rows: list) -> list:
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.ids.pop(model, None)  # ids taken by the database: read the top again
        key = model._meta.db_table
        self.counts[key] = self.counts.get(key, 0) + len(rows)
        return rows

    # Staff, through the services of a real installation -------------------------------

    def _organisation(self) -> None:
        s = self.scale
        self.admin = users.user_create(
            actor=None,
            email=f"admin@{s.name}.polesocial.fr",
            first_name="Karim",
            last_name="Haddad",
            role=Role.ADMIN,
        )
        organisations.operator_save(
            actor=self.admin,
            name=f"Service social du travail ({s.name})",
            kind="management_centre",
            siret=_siret("2", 1),
            address="1 rue de la République\n10000 Troyes",
            email="contact@exemple.fr",
        )
        for role in (Role.NATIONAL_ADVISER, Role.BILLING, Role.DPO, Role.SECRETARY):
            users.user_create(
                actor=self.admin,
                email=f"{role}@{s.name}.polesocial.fr",
                first_name="Compte",
                last_name=str(Role(role).label),
                role=role,
            )
        self.teams: list[Team] = []
        self.workers: dict[int, list[SocialWorker]] = {}
        self.committee_members: dict[int, list[User]] = {}
        team_count = max(1, s.workers // s.workers_per_team)
        for t in range(team_count):
            counsellor = self._staff(Role.COUNSELLOR, t, 0)
            team = organisations.team_create(
                actor=self.admin, name=f"Équipe {t + 1:04d}", counsellor=counsellor
            )
            self.teams.append(team)
            self.workers[team.pk] = [
                organisations.social_worker_create(
                    actor=self.admin,
                    user=self._staff(Role.SOCIAL_WORKER, t, w + 1),
                    team=team,
                    fte=(Decimal("1.00"), Decimal("0.80"), Decimal("1.00"), Decimal("0.50"))[w % 4],
                )
                for w in range(s.workers_per_team)
            ]
            # Elected officials or HR staff sitting in the team's aid committee.
            self.committee_members[team.pk] = [
                self._staff(Role.COMMITTEE_MEMBER, t, 90 + m)
                for m in range(aid_catalogue.COMMITTEE_MEMBERS_PER_TEAM)
            ]
            self.progress("équipes et ASS", t + 1, team_count)
        self.partner, _ = Partner.objects.get_or_create(
            name="CAF (générée)", defaults={"kind": "caf"}
        )
        self.counts["users_user"] = User.objects.count()

    def _staff(self, role: Role, team: int, n: int) -> User:
        rng = self.rng
        return users.user_create(
            actor=self.admin,
            email=f"{role}.{team + 1:04d}.{n:02d}@{self.scale.name}.polesocial.fr",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            role=role,
        )

    # Employers, conventions, headcounts -------------------------------------------------

    def _sizes(self) -> list[int]:
        """Headcounts per employer: many small communes, a few very large bodies (a Pareto
        law), scaled so that they add up to the scale's headcount."""
        raw = [min(self.rng.paretovariate(1.1), 400.0) for _ in range(self.scale.employers)]
        factor = self.scale.headcount / sum(raw)
        return [max(3, round(r * factor)) for r in raw]

    def _employers(self) -> list[tuple[Employer, int]]:
        s, rng = self.scale, self.rng
        kinds = list(KIND_NAMES)
        employers, sizes = [], self._sizes()
        for i, size in enumerate(sizes):
            kind = kinds[0] if size < 300 and i % 3 else kinds[i % len(kinds)]
            city = CITIES[i % len(CITIES)]
            employers.append(
                Employer(
                    operator_id=self.teams[0].operator_id,
                    team=self.teams[i % len(self.teams)],
                    name=f"{KIND_NAMES[kind]} {city} n° {i + 1:05d}",
                    kind=kind,
                    siret=_siret("21", i + 2),
                    postcode=f"{10 + i % 80:02d}{i % 1000:03d}",
                    city=city,
                    hr_contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    hr_contact_email=f"rh{i + 1}@exemple.fr",
                )
            )
        with transaction.atomic():
            self._add(Employer, employers)
            self._add(Convention, [c for e in employers for c in self._conventions(e)])
            self._add(
                Headcount,
                [
                    self._headcount(e, year, size)
                    for e, size in zip(employers, sizes, strict=True)
                    for year in range(self.first_year, self.today.year + 1)
                ],
            )
        self.progress("employeurs, conventions et effectifs", s.employers, s.employers)
        return list(zip(employers, sizes, strict=True))

    def _conventions(self, employer: Employer) -> list[Convention]:
        """A terminated hourly convention for the first years, then an active one at
        another rate that renews tacitly (rates vary between employers, to the cent)."""
        n = employer.pk
        old_rate = Decimal(55 + n % 8) + Decimal(n % 100) / 100
        new_rate = old_rate + Decimal("2.37")
        switch = dt.date(self.first_year + 2, 1, 1)
        return [
            Convention(
                employer=employer,
                reference=f"CONV-{n}-{self.first_year}",
                status=ConventionStatus.TERMINATED,
                billing_mode=BillingMode.HOURLY,
                hourly_rate=old_rate,
                starts_on=self.first_day,
                ends_on=switch - dt.timedelta(days=1),
                signed_on=self.first_day - dt.timedelta(days=20),
                terminated_on=switch - dt.timedelta(days=1),
            ),
            Convention(
                employer=employer,
                reference=f"CONV-{n}-{switch.year}",
                status=ConventionStatus.ACTIVE,
                billing_mode=BillingMode.HOURLY,
                hourly_rate=new_rate,
                starts_on=switch,
                ends_on=dt.date(switch.year, 12, 31),
                signed_on=switch - dt.timedelta(days=30),
            ),
        ]

    def _headcount(self, employer: Employer, year: int, size: int) -> Headcount:
        total = max(3, size + (employer.pk * 7 + year) % max(3, size // 20 + 1))
        titulaire, stagiaire = total * 7 // 10, total // 20
        category_a, category_b = total // 10, total // 5
        return Headcount(
            employer=employer,
            year=year,
            total=total,
            titulaire=titulaire,
            stagiaire=stagiaire,
            contractuel=total - titulaire - stagiaire,
            category_a=category_a,
            category_b=category_b,
            category_c=total - category_a - category_b,
        )

    # Material aid: the catalogue, the teams' committees and their monthly sittings --------

    def _aid_catalogue(self, employers: list[tuple[Employer, int]]) -> None:
        """The schemes of every funder (some replaced halfway through the five years), an
        own scheme for the largest employers; one committee per team (its counsellor and
        two members who signed their undertaking), sitting on the second Tuesday of every
        month, up to two months ahead (the sittings to come are not closed)."""
        change = dt.date(self.first_year + 2, 1, 1)
        periods = {
            "all": (self.first_day, None),
            "early": (self.first_day, change - dt.timedelta(days=1)),
            "late": (change, None),
        }
        schemes = [
            AidScheme(
                name=name,
                funder=funder,
                kind=kind,
                ceiling=None if ceiling is None else Decimal(ceiling),
                conditions=conditions,
                reference=reference,
                valid_from=periods[period][0],
                valid_until=periods[period][1],
            )
            for name, funder, kind, ceiling, conditions, reference, period in aid_catalogue.SCHEMES
        ]
        name, kind, ceiling, conditions = aid_catalogue.EMPLOYER_SCHEME
        largest = sorted(employers, key=lambda pair: (-pair[1], pair[0].pk))
        schemes += [
            AidScheme(
                name=f"{name} — {employer.name}",
                funder=Funder.EMPLOYER,
                kind=kind,
                ceiling=Decimal(ceiling),
                conditions=conditions,
                valid_from=self.first_day,
                employer=employer,
            )
            for employer, _size in largest[
                : max(1, len(employers) // aid_catalogue.EMPLOYER_SCHEME_SHARE)
            ]
        ]
        self._add(AidScheme, schemes)
        self.schemes = [scheme for scheme in schemes if scheme.employer_id is None]
        self.own_schemes = {s.employer_id: s for s in schemes if s.employer_id is not None}

        committees = [
            Committee(
                name=f"Commission d'aides — {team.name}", scope=CommitteeScope.TEAM, team=team
            )
            for team in self.teams
        ]
        self._add(Committee, committees)
        members = {
            team.pk: [team.counsellor_id, *(u.pk for u in self.committee_members[team.pk])]
            for team in self.teams
        }
        through = Committee.members.through
        self._add(
            through,
            [
                through(committee_id=committee.pk, user_id=user)
                for committee, team in zip(committees, self.teams, strict=True)
                for user in members[team.pk]
            ],
        )
        self._add(
            ConfidentialityUndertaking,
            [
                ConfidentialityUndertaking(user=user, signed_on=self.first_day)
                for users in self.committee_members.values()
                for user in users
            ],
        )
        months = [
            (self.first_year + m // 12, m % 12 + 1)
            for m in range((self.today.year - self.first_year) * 12 + self.today.month + 2)
        ]
        self.sessions: dict[int, list[CommitteeSession]] = {}
        for committee, team in zip(committees, self.teams, strict=True):
            self.sessions[team.pk] = []
            for year, month in months:
                eighth = dt.date(year, month, 8)
                held_on = eighth + dt.timedelta(days=(1 - eighth.weekday()) % 7)
                self.sessions[team.pk].append(
                    CommitteeSession(
                        committee=committee,
                        held_on=held_on,
                        quorum=3,
                        closed_on=held_on if held_on <= self.today else None,
                    )
                )
        self._add(CommitteeSession, [s for sessions in self.sessions.values() for s in sessions])
        self.session_days = {
            team: [session.held_on for session in sessions]
            for team, sessions in self.sessions.items()
        }
        for field, held in (("members", False), ("present", True)):
            through = getattr(CommitteeSession, field).through
            self._add(
                through,
                [
                    through(committeesession_id=session.pk, user_id=user)
                    for team, sessions in self.sessions.items()
                    for session in sessions
                    if not held or session.closed_on is not None
                    for user in members[team]
                ],
            )
        self.counsellors = {team.pk: team.counsellor_id for team in self.teams}

    # Case work --------------------------------------------------------------------------

    def _case_work(self, employers: list[tuple[Employer, int]]) -> None:
        s = self.scale
        total_size = sum(size for _e, size in employers)
        done = 0
        for start in range(0, len(employers), SLICE):
            part = employers[start : start + SLICE]
            with transaction.atomic():
                for employer, size in part:
                    cases = max(1, round(s.cases * size / total_size))
                    self._employer_cases(employer, cases)
            done += len(part)
            reset_queries()  # with DEBUG on, the query log would hold every batch
            self.progress("dossiers, entretiens et temps", done, len(employers))

    def _employer_cases(self, employer: Employer, case_count: int) -> None:
        rng, today = self.rng, self.today
        workers = self.workers[employer.team_id]
        span = (today - dt.timedelta(days=7) - self.first_day).days
        openings = sorted(
            self.first_day + dt.timedelta(days=rng.randrange(span)) for _ in range(case_count)
        )
        people = max(1, round(case_count * self.scale.employees / self.scale.cases))
        employees = [self._employee(employer) for _ in range(people)]
        self._add(Employee, employees)
        # Case k belongs to employee k % people: a second case opens after the first closed.
        last_close: dict[int, dt.date] = {}
        rows = []
        for k, opened_on in enumerate(openings):
            employee = employees[k % people]
            opened_on = max(opened_on, last_close.get(employee.pk, opened_on))
            if opened_on >= today:
                continue
            rows.append(self._case_rows(employer, employee, rng.choice(workers), opened_on))
            closed_on = rows[-1]["case"].closed_on
            last_close[employee.pk] = (closed_on or today) + dt.timedelta(days=1)
            if len(rows) == CASES_PER_INSERT:  # a large employer: memory stays flat
                self._insert_cases(rows)
                rows = []
        self._insert_cases(rows)

    def _employee(self, employer: Employer) -> Employee:
        rng = self.rng
        while True:  # one record per person: names and birth date identify him (match key)
            identity = (
                rng.choice(LAST_NAMES),
                rng.choice(FIRST_NAMES),
                dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(16_000)),
            )
            if identity not in self.identities:
                self.identities.add(identity)
                break
        employee = Employee(
            last_name=identity[0],
            first_name=identity[1],
            birth_date=identity[2],
            sex=rng.choice((Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE)),
            employer=employer,
            status=rng.choice(
                (EmploymentStatus.TITULAIRE,) * 7
                + (EmploymentStatus.STAGIAIRE, EmploymentStatus.CONTRACTUEL)
            ),
            category=rng.choice((GradeCategory.C,) * 6 + (GradeCategory.B,) * 2 + ("A",)),
            family_situation=rng.choice(VALUES[FamilySituation]),
        )
        employee.index_identity()
        return employee

    def _number(self, sequence: str, prefix: str, year: int) -> str:
        key = (sequence, year)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return f"{prefix}-{year}-{self.numbers[key]:05d}"

    def _case_rows(self, employer, employee, worker, opened_on: dt.date) -> dict:
        rng, today = self.rng, self.today
        received = dt.datetime.combine(
            opened_on - dt.timedelta(days=rng.randrange(3, 20)),
            dt.time(9 + rng.randrange(8)),
            PARIS,
        )
        referral = Referral(
            number=self._number("referral", "S", received.year),
            employer=employer,
            source=rng.choice(VALUES[ReferralSource]),
            received_at=received,
            reason=rng.choice(REASONS),
            person_last_name=employee.last_name,
            person_first_name=employee.first_name,
            employee=employee,
            status=ReferralStatus.ASSESSED,
            assigned_to=worker,
            assigned_at=received + dt.timedelta(days=1),
        )
        # Interviews every one to six weeks from the opening, never after today.
        dates, day = [], opened_on
        for _ in range(max(1, round(rng.gauss(self.scale.interviews_per_case, 2)))):
            if day >= today:
                break
            dates.append(day)
            day += dt.timedelta(days=rng.randrange(7, 42))
        age = (today - opened_on).days
        closed_on = None
        if rng.random() < (0.9 if age > 365 else 0.3):
            closed_on = min(today, dates[-1] + dt.timedelta(days=14))
        aid, closed_on = self._aid_plan(employer, worker, opened_on, closed_on)
        case = Case(
            number=self._number("case", "D", opened_on.year),
            employee=employee,
            worker=worker,
            status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
            opened_on=opened_on,
            closed_on=closed_on,
            snapshot_employer=employer,
            snapshot_status=employee.status,
            snapshot_category=employee.category,
            snapshot_birth_year=employee.birth_date.year,
            snapshot_sex=employee.sex,
            snapshot_family_situation=employee.family_situation,
        )
        interviews = [
            {
                "on": date,
                "place": rng.choice(VALUES[InterviewPlace]),
                "minutes": rng.choice((30, 45, 45, 60, 60, 90)),
                "notes": rng.choice(NOTES) if rng.random() < 0.25 else "",
            }
            for date in dates
        ]
        return {
            "referral": referral,
            "consent": Consent(
                employee=employee,
                given_on=opened_on,
                form=ConsentForm.ORAL,
                # A request goes to the committee (anonymously) with the person's agreement.
                scope=[ConsentScope.AID_COMMITTEE] if aid else [],
                recorded_by_id=worker.user_id,
            ),
            "case": case,
            "worker": worker,
            "domains": rng.sample(VALUES[Domain], rng.choice((1, 1, 2, 3))),
            "interviews": interviews,
            "orientation": rng.random() < 0.4,
            "closure": rng.choice(VALUES[ClosureReason]) if closed_on else None,
            "aid": aid,
        }

    def _aid_plan(
        self, employer, worker, opened_on: dt.date, closed_on: dt.date | None
    ) -> tuple[dict | None, dt.date | None]:
        """The aid request of a case (for the scale's share of cases), the way the product's
        transitions leave it: a draft (open cases), or submitted within the case's open
        period with its committee number, then on the agenda of the team's next sitting a
        week or more later (an urgent one decided by written procedure within days), decided
        — granted in whole or in part, refused (then closed) or postponed to the following
        sitting — and, granted, paid within a month; a loan's repayments follow. Nothing
        after today. A closed case stays open until its request is settled: the closing date
        moves after the last step, or the case is still open when a step is yet to come.
        Returns the plan (None: no request) and the case's closing date."""
        rng, today = self.rng, self.today
        if rng.random() >= self.scale.aid_share:
            return None, closed_on
        end = closed_on or today
        submitted = min(end, opened_on + dt.timedelta(days=rng.randrange(3, 45)))
        schemes = [
            s
            for s in self.schemes
            if (s.valid_from or submitted) <= submitted <= (s.valid_until or submitted)
        ]
        if employer.pk in self.own_schemes:
            schemes.append(self.own_schemes[employer.pk])
        scheme = rng.choice(schemes)
        if scheme.ceiling is None:
            amount = Decimal(rng.choice(aid_catalogue.IN_KIND_AMOUNTS))
        else:
            amount = min(Decimal(rng.choice(aid_catalogue.AMOUNTS)), scheme.ceiling)
        plan: dict = {
            "scheme": scheme,
            "amount": amount,
            "justification": rng.choice(aid_catalogue.JUSTIFICATIONS),
            "summary": rng.choice(aid_catalogue.SUMMARIES),
            "adults": rng.choice((1, 1, 2)),
            "children": rng.choice((0, 1, 1, 2, 3)),
            "budget": self._household_budget(),
            "urgent": False,
            "submitted_on": None,
            "number": None,
            "session": None,
            "granted": None,
            "decisions": [],
            "payment": None,
        }
        if closed_on is None and rng.random() < aid_catalogue.DRAFT_SHARE:
            plan["status"] = AidStatus.DRAFT
            plan["created_on"] = max(opened_on, today - dt.timedelta(days=rng.randrange(20)))
            return plan, closed_on
        urgent = rng.random() < aid_catalogue.URGENT_SHARE
        plan.update(
            submitted_on=submitted,
            created_on=max(opened_on, submitted - dt.timedelta(days=rng.randrange(6))),
            number=self._committee_number(submitted.year),
            urgent=urgent,
        )
        days, sessions = self.session_days[worker.team_id], self.sessions[worker.team_id]
        index = bisect.bisect_left(days, submitted + dt.timedelta(days=7))
        status, last = AidStatus.SUBMITTED, submitted
        while True:
            if urgent:
                session, day = None, submitted + dt.timedelta(days=rng.randrange(1, 4))
            elif index < len(days):
                session, day = sessions[index], days[index]
            else:  # no sitting yet: waiting to be put on an agenda
                break
            if day > today:
                if session is not None:
                    status, plan["session"] = AidStatus.ON_AGENDA, session
                break
            outcome = self._aid_outcome(urgent=urgent, again=bool(plan["decisions"]))
            granted, motive = Decimal("0.00"), ""
            if outcome == DecisionOutcome.GRANTED:
                granted = amount
            elif outcome == DecisionOutcome.PARTLY_GRANTED:
                granted = (amount * Decimal("0.6")).quantize(Decimal(1))
            elif outcome == DecisionOutcome.REFUSED:
                motive = rng.choice(aid_catalogue.REFUSALS)
            else:
                motive = aid_catalogue.POSTPONEMENT
            plan["decisions"].append((session, outcome, granted, motive, day))
            last = day
            if outcome == DecisionOutcome.POSTPONED:  # back to submitted, then next sitting
                status, plan["session"], index = AidStatus.SUBMITTED, None, index + 1
                continue
            plan["session"], plan["granted"] = session, granted
            if not granted:  # refused: the worker closes the file
                status = AidStatus.CLOSED
                break
            status = AidStatus.DECIDED
            paid_on = day + dt.timedelta(days=rng.randrange(5, 30))
            if paid_on <= today:
                plan["payment"] = (paid_on, *self._aid_payee(scheme))
                status, last = AidStatus.PAID, paid_on
            break
        plan["status"] = status
        if closed_on is not None:
            if status in (AidStatus.SUBMITTED, AidStatus.ON_AGENDA, AidStatus.DECIDED):
                closed_on = None
            elif last > closed_on:
                closed_on = min(today, last + dt.timedelta(days=rng.randrange(7, 21)))
        return plan, closed_on

    def _aid_outcome(self, *, urgent: bool, again: bool) -> str:
        """Granted mostly; postponed only once, never by written procedure."""
        granted, partly = DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED
        refused, postponed = DecisionOutcome.REFUSED, DecisionOutcome.POSTPONED
        if urgent:
            return self.rng.choice((granted,) * 8 + (partly, refused))
        if again:
            return self.rng.choice((granted,) * 6 + (partly, partly, refused, refused))
        return self.rng.choice((granted,) * 11 + (partly,) * 3 + (refused,) * 4 + (postponed,) * 2)

    def _aid_payee(self, scheme: AidScheme) -> tuple[str, str, str]:
        """(mode, payee, third party's name): a loan to the employee by transfer, a parcel
        in kind, a service in vouchers; other aid most often to a landlord or a supplier."""
        rng = self.rng
        if scheme.kind == SchemeKind.LOAN:
            return PaymentMode.TRANSFER, Payee.EMPLOYEE, ""
        if scheme.kind == SchemeKind.IN_KIND:
            return PaymentMode.IN_KIND, Payee.EMPLOYEE, ""
        if scheme.kind == SchemeKind.SERVICE:
            return PaymentMode.VOUCHER, Payee.EMPLOYEE, ""
        if rng.random() < 0.6:
            return PaymentMode.TRANSFER, Payee.THIRD_PARTY, rng.choice(aid_catalogue.THIRD_PARTIES)
        return rng.choice((PaymentMode.TRANSFER,) * 3 + (PaymentMode.CHEQUE,)), Payee.EMPLOYEE, ""

    def _household_budget(self) -> str:
        rng = self.rng
        incomes = [["Salaire", f"{rng.randrange(1250, 2300)}.00"]]
        if rng.random() < 0.5:
            incomes.append(["Prestations familiales", f"{rng.randrange(90, 400)}.00"])
        expenses = [
            ["Loyer", f"{rng.randrange(420, 850)}.00"],
            ["Énergie", f"{rng.randrange(80, 190)}.00"],
            ["Assurances", f"{rng.randrange(40, 110)}.00"],
        ]
        return json.dumps({"incomes": incomes, "expenses": expenses}, ensure_ascii=False)

    def _committee_number(self, year: int) -> str:
        """The pseudonym the committee knows a file by (2026-014), as at submission."""
        key = ("aid_committee", year)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return f"{year}-{self.numbers[key]:03d}"

    def _insert_cases(self, rows: list[dict]) -> None:
        rng = self.rng
        self._add(Referral, [r["referral"] for r in rows])
        for r in rows:
            r["consent"].referral = r["referral"]
        self._add(Consent, [r["consent"] for r in rows])
        for r in rows:
            r["case"].referral, r["case"].consent = r["referral"], r["consent"]
        self._add(Case, [r["case"] for r in rows])
        self._add(
            CaseDomain, [CaseDomain(case=r["case"], domain=d) for r in rows for d in r["domains"]]
        )
        self._add(
            CaseClosure,
            [
                CaseClosure(
                    case=r["case"],
                    closed_on=r["case"].closed_on,
                    reason=r["closure"],
                    closed_by_id=r["worker"].user_id,
                )
                for r in rows
                if r["closure"]
            ],
        )
        self._add(
            Orientation,
            [
                Orientation(
                    case=r["case"],
                    partner=self.partner,
                    oriented_on=r["case"].opened_on + dt.timedelta(days=30),
                    purpose="Orientation vers le partenaire pour une aide.",
                    result=rng.choice(VALUES[OrientationResult]),
                )
                for r in rows
                if r["orientation"]
            ],
        )
        self._insert_aid([r for r in rows if r["aid"]])
        # The two largest tables (eight interviews a case, each recording its time) go in by
        # plain executemany with ids taken here: the ORM's per-value preparation would cost
        # most of a national generation.
        interviews, times = [], []
        now = timezone.now()
        for r in rows:
            worker, case = r["worker"], r["case"]
            for i in r["interviews"]:
                pk = self._next_id(Interview)
                notes = encrypt(i["notes"]) if i["notes"] else ""
                interviews.append(
                    (
                        pk,
                        case.pk,
                        i["on"],
                        i["place"],
                        i["minutes"],
                        case.snapshot_employer_id,
                        notes,
                        "",
                        worker.user_id,
                        now,
                    )
                )
                times.append(
                    (
                        self._next_id(TimeEntry),
                        worker.pk,
                        case.snapshot_employer_id,
                        i["on"],
                        i["minutes"],
                        TimeKind.INTERVIEW,
                        TimeSource.INTERVIEW,
                        pk,
                        worker.user_id,
                        now,
                    )
                )
        self._insert_raw(
            Interview,
            (
                "id",
                "case_id",
                "occurred_on",
                "place",
                "duration_minutes",
                "employer_id",
                "notes",
                "private_note",
                "author_id",
                "created_at",
            ),
            interviews,
        )
        self._insert_raw(TimeEntry, TIME_COLUMNS, times)

    def _insert_aid(self, rows: list[dict]) -> None:
        """The cases' aid requests, their decisions, payments and loan repayments (the
        ORM's bulk insert encrypts the justification, summary, budget, motive and payee)."""
        if not rows:
            return
        today = self.today
        requests = [
            AidRequest(
                case=r["case"],
                scheme=p["scheme"],
                amount_requested=p["amount"],
                justification=p["justification"],
                budget_data=p["budget"],
                adults=p["adults"],
                children=p["children"],
                committee_summary=p["summary"],
                urgent=p["urgent"],
                status=p["status"],
                committee_number=p["number"],
                session=p["session"],
                amount_granted=p["granted"],
                created_by_id=r["worker"].user_id,
                submitted_on=p["submitted_on"],
            )
            for r in rows
            for p in [r["aid"]]
        ]
        self._add(AidRequest, requests)
        # `created_at` is set to now on insert: the request was prepared on its own day.
        for request, r in zip(requests, rows, strict=True):
            request.created_at = dt.datetime.combine(r["aid"]["created_on"], dt.time(10), PARIS)
        AidRequest.objects.bulk_update(requests, ["created_at"], batch_size=BATCH)
        self._add(
            AidDecision,
            [
                AidDecision(
                    request=request,
                    session=session,
                    outcome=outcome,
                    amount=granted,
                    motive=motive,
                    decided_on=day,
                    written_procedure=session is None,
                    # The counsellor who organises the committee records its decisions.
                    recorded_by_id=self.counsellors[r["worker"].team_id],
                )
                for request, r in zip(requests, rows, strict=True)
                for session, outcome, granted, motive, day in r["aid"]["decisions"]
            ],
        )
        paid = [
            (request, r) for request, r in zip(requests, rows, strict=True) if r["aid"]["payment"]
        ]
        self._add(
            AidPayment,
            [
                AidPayment(
                    request=request,
                    paid_on=r["aid"]["payment"][0],
                    amount=request.amount_granted,
                    mode=r["aid"]["payment"][1],
                    payee=r["aid"]["payment"][2],
                    payee_name=r["aid"]["payment"][3],
                    recorded_by_id=r["worker"].user_id,
                )
                for request, r in paid
            ],
        )
        self._add(
            LoanInstalment,
            [
                LoanInstalment(
                    request=request,
                    due_on=due,
                    amount=part,
                    repaid_on=due if due <= today else None,
                )
                for request, r in paid
                if request.scheme.kind == SchemeKind.LOAN
                for due, part in loan_schedule(
                    request.amount_granted, 10, r["aid"]["payment"][0] + dt.timedelta(days=30)
                )
            ],
        )

    def _next_id(self, model) -> int:
        if model not in self.ids:
            self.ids[model] = model.objects.aggregate(top=Max("pk"))["top"] or 0
        self.ids[model] += 1
        return self.ids[model]

    def _insert_raw(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        ops = connection.ops
        adapt = {
            dt.date: ops.adapt_datefield_value,
            dt.datetime: ops.adapt_datetimefield_value,
        }
        table = ops.quote_name(model._meta.db_table)
        names = ", ".join(ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - our own names
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(
                    sql,
                    [
                        tuple(adapt[type(v)](v) if type(v) in adapt else v for v in row)
                        for row in rows[start : start + BATCH]
                    ],
                )
            # Ids taken here: PostgreSQL's sequence must follow, or the next ORM insert
            # (ours or the product's) collides.
            for reset in ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(reset)
        self.counts[model._meta.db_table] = self.counts.get(model._meta.db_table, 0) + len(rows)

    # Collective work, management of the function ------------------------------------------

    def _collective_work(self, employers: list[tuple[Employer, int]]) -> None:
        s, rng = self.scale, self.rng
        span = (self.today - self.first_day).days
        for label, total, make in (
            ("actions collectives", s.actions, self._action),
            ("instances", s.meetings, self._meeting),
        ):
            for start in range(0, total, BATCH):
                with transaction.atomic():
                    records, links = [], []
                    for _ in range(min(BATCH, total - start)):
                        employer, _size = rng.choice(employers)
                        worker = rng.choice(self.workers[employer.team_id])
                        day = self.first_day + dt.timedelta(days=rng.randrange(span))
                        records.append((make(worker, employer, day), employer, worker, day))
                    model = type(records[0][0])
                    self._add(model, [r[0] for r in records])
                    if model is CollectiveAction:
                        links = [
                            ActionEmployer(action=a, employer=e, attendance=a.attendance)
                            for a, e, _w, _d in records
                        ]
                        self._add(ActionEmployer, links)
                    self._add(TimeEntry, [self._record_time(*r) for r in records])
                self.progress(label, min(total, start + BATCH), total)

    def _action(self, worker, employer, day) -> CollectiveAction:
        rng = self.rng
        theme = rng.choice(VALUES[ActionTheme])
        return CollectiveAction(
            worker=worker,
            title=f"Réunion d'information : {ActionTheme(theme).label.lower()}",
            kind=rng.choice(VALUES[ActionKind]),
            theme=theme,
            starts_on=day,
            ends_on=day,
            duration_minutes=rng.choice((90, 120, 180)),
            preparation_minutes=rng.choice((0, 30, 60)),
            attendance=rng.randrange(5, 40),
        )

    def _meeting(self, worker, employer, day) -> BodyMeeting:
        return BodyMeeting(
            worker=worker,
            employer=employer,
            body=self.rng.choice(VALUES[Body]),
            held_on=day,
            duration_minutes=self.rng.choice((90, 120, 150)),
            preparation_minutes=self.rng.choice((0, 30)),
        )

    def _record_time(self, record, employer, worker, day) -> TimeEntry:
        action = isinstance(record, CollectiveAction)
        return TimeEntry(
            worker=worker,
            employer=employer,
            date=day,
            minutes=record.duration_minutes + record.preparation_minutes,
            kind=TimeKind.COLLECTIVE_ACTION if action else TimeKind.BODY_MEETING,
            source=TimeSource.COLLECTIVE_ACTION if action else TimeSource.BODY_MEETING,
            source_id=record.pk,
            created_by_id=worker.user_id,
        )

    def _management_time(self) -> None:
        """The management of the function: one entry per worker per month (never billed)."""
        months = [
            dt.date(year, month, 1)
            for year in range(self.first_year, self.today.year + 1)
            for month in range(1, 13)
            if dt.date(year, month, 1) <= self.today
        ]
        with transaction.atomic():
            self._add(
                TimeEntry,
                [
                    TimeEntry(
                        worker=worker,
                        employer=None,
                        date=month,
                        minutes=16 * 60,
                        kind=TimeKind.MANAGEMENT,
                        created_by_id=worker.user_id,
                    )
                    for workers in self.workers.values()
                    for worker in workers
                    for month in months
                ],
            )

    def _number_sequences(self) -> None:
        """New referrals and cases recorded afterwards take the following numbers."""
        for (sequence, year), last in self.numbers.items():
            NumberSequence.objects.update_or_create(
                sequence=sequence, year=year, defaults={"last": last}
            )
