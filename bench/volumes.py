"""Benchmark volumes, made with the test factories (built, then inserted in bulk) and with
`audit_log` itself for the journal, so that every entry is a genuine link of the chain.
Each employer also gets its activity (time entries, case work: see activity.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from bench import activity
from polesocial.organisations.enums import BillingMode, ConventionStatus, EmployerKind
from polesocial.organisations.models import Convention, Employer, FteShare, Headcount, Team
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.factories import (
    ConventionFactory,
    EmployerFactory,
    OperatorFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
)

TEAMS = 8
CONVENTIONS_PER_EMPLOYER = 3
HEADCOUNT_YEARS = (2023, 2024, 2025)
BATCH = 500
KINDS = EmployerKind.values
CITIES = ("Troyes", "Romilly-sur-Seine", "Bar-sur-Aube", "Nogent-sur-Seine", "Arcis-sur-Aube")


@dataclass
class Organisation:
    """The register the pages show, grown in steps by `grow`."""

    operator: object
    teams: list[Team]
    counsellor: object  # the signed-in reader of the pages
    system_user: object  # the actor of the journal entries and the floor's inserts
    people: activity.People  # the workers and the partner the activity is recorded by
    employers: list[Employer] = field(default_factory=list)
    activity: dict[str, int] = field(default_factory=dict)  # rows of activity created

    @property
    def featured(self) -> Employer:
        """The employer whose detail page is measured: the same one at every volume."""
        return self.employers[0]


def create_organisation() -> Organisation:
    operator = OperatorFactory()
    teams = [TeamFactory(operator=operator) for _ in range(TEAMS)]
    return Organisation(
        operator=operator,
        teams=teams,
        counsellor=UserFactory(role=Role.COUNSELLOR),
        system_user=UserFactory(role=Role.DPO),
        people=activity.create_people(teams),
    )


def grow(organisation: Organisation, total_employers: int) -> None:
    """Add employers (each with its conventions and headcounts) up to `total_employers`."""
    start = len(organisation.employers)
    if total_employers <= start:
        return
    with transaction.atomic():
        employers = [
            EmployerFactory.build(
                operator=organisation.operator,
                team=organisation.teams[i % TEAMS],
                kind=KINDS[i % len(KINDS)],
                postcode=f"10{i % 1000:03d}",
                city=CITIES[i % len(CITIES)],
                hr_contact_name=f"Contact RH {i}",
                hr_contact_email=f"rh{i}@exemple.fr",
            )
            for i in range(start, total_employers)
        ]
        employers = Employer.objects.bulk_create(employers, batch_size=BATCH)
        conventions = [c for e in employers for c in _conventions(e)]
        Convention.objects.bulk_create(conventions, batch_size=BATCH)
        headcounts = [_headcount(e, year) for e in employers for year in HEADCOUNT_YEARS]
        Headcount.objects.bulk_create(headcounts, batch_size=BATCH)
        if start == 0:
            _fte_shares(employers[0])
        added = activity.add(organisation.people, employers, first_rank=start)
    organisation.employers.extend(employers)
    for key, count in added.items():
        organisation.activity[key] = organisation.activity.get(key, 0) + count


def _conventions(employer: Employer) -> list[Convention]:
    """A terminated one (sessions), an active one renewing tacitly (hourly, billed by the
    invoice run), a draft for a later year (FTE share)."""
    return [
        ConventionFactory.build(
            employer=employer,
            reference=f"CONV-{employer.pk}-2022",
            status=ConventionStatus.TERMINATED,
            billing_mode=BillingMode.SESSIONS,
            hourly_rate=None,
            session_rate=Decimal("180.00"),
            starts_on=dt.date(2022, 1, 1),
            ends_on=dt.date(2022, 12, 31),
            signed_on=dt.date(2021, 12, 15),
            terminated_on=dt.date(2023, 12, 31),
        ),
        ConventionFactory.build(
            employer=employer,
            reference=f"CONV-{employer.pk}-2024",
            active=True,
            billing_mode=BillingMode.HOURLY,
            hourly_rate=Decimal("60.00"),
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2024, 12, 31),
        ),
        ConventionFactory.build(
            employer=employer,
            reference=f"CONV-{employer.pk}-2027",
            billing_mode=BillingMode.FTE_SHARE,
            hourly_rate=None,
            fte_yearly_amount=Decimal("21000.00"),
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 12, 31),
        ),
    ][:CONVENTIONS_PER_EMPLOYER]


def _headcount(employer: Employer, year: int) -> Headcount:
    total = 40 + (employer.pk * 37 + year) % 900
    return Headcount(
        employer=employer,
        year=year,
        total=total,
        titulaire=total * 7 // 10,
        stagiaire=total // 20,
        contractuel=total - total * 7 // 10 - total // 20,
        category_a=total // 10,
        category_b=total // 5,
        category_c=total - total // 10 - total // 5,
    )


def _fte_shares(employer: Employer) -> None:
    """Two workers of the featured employer's team share it, for two years."""
    for n, share in enumerate((Decimal("0.300"), Decimal("0.200"))):
        worker = SocialWorkerFactory(
            team=employer.team, fte=Decimal("0.80") if n else Decimal("1.00")
        )
        for year in (2025, 2026):
            FteShare.objects.create(worker=worker, employer=employer, year=year, share=share)


# The journal holds codes of the product only (privacy.enums.AuditAction).
ACTIONS = (AuditAction.EMPLOYER_UPDATE,)


def grow_journal(organisation: Organisation, total_entries: int, batch: int = 1000) -> int:
    """Append journal entries through `audit_log` until it holds `total_entries`.

    Appends go in transactions of `batch` entries (the chain is the same as with one
    transaction each, only faster to build). Returns the number of entries now held.
    """
    have = AuditEntry.objects.count()
    employers = organisation.employers or [None]
    while have < total_entries:
        with transaction.atomic():
            for n in range(have, min(have + batch, total_entries)):
                audit_log(
                    actor=organisation.system_user,
                    action=ACTIONS[n % len(ACTIONS)],
                    target=employers[n % len(employers)],
                    detail={"n": n, "page": n % 40},
                )
        have = AuditEntry.objects.count()
    return have
