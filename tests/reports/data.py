"""Building a year of case work quickly (bulk_create), for the report tests."""

from __future__ import annotations

import datetime as dt
import itertools

from polesocial.casework.models import Case, CaseDomain, Consent, Employee
from tests.factories import ConventionFactory, EmployerFactory, SocialWorkerFactory

_serial = itertools.count(1)

# Seed 001: 590 employees followed out of 11,367.
YEAR = 2025
STATUS = {"titulaire": 452, "stagiaire": 32, "contractuel": 106}
CATEGORY = {"A": 6, "B": 18, "C": 566}
FAMILY = {"single": 212, "couple": 160, "single_parent": 177, "other": 41}
AGE = {"under_25": 15, "25_34": 98, "35_44": 190, "45_54": 211, "55_and_over": 76}


def born_for_age(band: str, year: int) -> dt.date:
    """A birth date whose age on 31 December of `year` falls in the band."""
    age = {"under_25": 22, "25_34": 30, "35_44": 40, "45_54": 50, "55_and_over": 58}[band]
    return dt.date(year - age, 6, 15)


def expand(spec: dict[str, int]) -> list[str]:
    return [code for code, n in spec.items() for _ in range(n)]


def employers_with_headcounts(year: int, totals: list[int], team=None):
    from polesocial.organisations.models import Headcount

    employers = []
    for total in totals:
        employer = EmployerFactory(**({"team": team} if team else {}))
        ConventionFactory(
            employer=employer,
            active=True,
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
        )
        Headcount.objects.create(employer=employer, year=year, total=total)
        employers.append(employer)
    return employers


def bulk_cases(
    year: int,
    people: list[dict],
    *,
    worker=None,
    employers=None,
    opened_on=None,
    closed_on=None,
    domains=("budget",),
):
    """One employee and one case per entry of `people` (status, category, family_situation,
    birth_date; optionally employee to reuse one), in three bulk inserts."""
    worker = worker or SocialWorkerFactory()
    employers = employers or [EmployerFactory(team=worker.team)]
    opened_on = opened_on or dt.date(year, 3, 1)
    new_people = [p for p in people if "employee" not in p]
    employees = [
        Employee(
            last_name=f"Agent{n}",
            first_name="Test",
            birth_date=p["birth_date"],
            employer=employers[i % len(employers)],
            status=p["status"],
            category=p["category"],
            family_situation=p["family_situation"],
        )
        for i, p in enumerate(new_people)
        for n in [next(_serial)]
    ]
    for employee in employees:
        employee.index_identity()
    Employee.objects.bulk_create(employees)
    for person, employee in zip(new_people, employees, strict=True):
        person["employee"] = employee
    consents = Consent.objects.bulk_create(
        [
            Consent(
                employee=p["employee"], given_on=opened_on, form="oral", recorded_by=worker.user
            )
            for p in people
        ]
    )
    cases = Case.objects.bulk_create(
        [
            Case(
                number=f"T-{next(_serial)}",
                employee=p["employee"],
                worker=worker,
                consent=consent,
                status="closed" if (p.get("closed_on") or closed_on) else "open",
                opened_on=p.get("opened_on", opened_on),
                closed_on=p.get("closed_on", closed_on),
                snapshot_employer=p["employee"].employer,
                snapshot_status=p["status"],
                snapshot_category=p["category"],
                snapshot_birth_year=p["birth_date"].year,
                snapshot_sex="F",
                snapshot_family_situation=p["family_situation"],
            )
            for p, consent in zip(people, consents, strict=True)
        ]
    )
    CaseDomain.objects.bulk_create(
        [CaseDomain(case=case, domain=domain) for case in cases for domain in domains]
    )
    return cases


def profile_people(year: int, status, category, family, age) -> list[dict]:
    """People whose counts by each variable are exactly the given specs (same size)."""
    columns = [expand(status), expand(category), expand(family), expand(age)]
    assert len({len(c) for c in columns}) == 1, "the specs must have the same total"
    return [
        {"status": s, "category": c, "family_situation": f, "birth_date": born_for_age(a, year)}
        for s, c, f, a in zip(*columns, strict=True)
    ]


def profile_figures(profile: dict, followed: int, headcount: int = 2890) -> dict:
    """An employer's exact figures with only a profile: every other count 0."""
    return {
        "headcount": headcount,
        "employees_followed": followed,
        "cases": {"opened": 0, "closed": 0, "open_at_year_end": 0},
        "interviews": {"total": 0, "by_place": {"phone": 0}},
        "referrals": {"total": 0, "by_source": {"employee": 0}},
        "domains": {"budget": 0},
        "profile": profile,
        "orientations": {"total": 0, "by_result": {"pending": 0}},
    }
