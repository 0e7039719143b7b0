"""Migration casework 0006 (issue 13) on the demo: every yearly report is byte-identical
before and after it, and it reverses to the columns the former code wrote.

The demo is loaded, then migrated back to 0005 (the schema every earlier database has, its
names, birth dates and match keys in clear). Its reports are computed there with the age
bands as reports/queries.py defined them then (from the case's birth date); the database is
migrated forward and the reports computed again by today's code (from the birth year).
"""

import datetime as dt
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import DateField, Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from polesocial.casework.models import Case, Employee
from polesocial.casework.models.referrals import ReferralQuerySet
from polesocial.core.text import normalise
from polesocial.organisations.models import Employer, SocialWorker, Team
from polesocial.reports import queries

BEFORE = ("casework", "0005_number_sequences_in_core")


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def legacy_age_bands(year: int) -> dict[str, Q]:
    """The age bands of reports/queries.py before 0006, as they were, on the column they
    read (the case's birth date, which today's model no longer has: hence RawSQL)."""
    quote = connection.ops.quote_name
    column = f"{quote('casework_case')}.{quote('snapshot_birth_date')}"
    born = RawSQL(column, (), DateField())  # noqa: S611 - a column name of ours, no input

    def born_by(age: int) -> dt.date:  # age on 31 December is at least `age`
        return dt.date(year - age, 12, 31)

    return {
        "under_25": Q(GreaterThan(born, born_by(25))),
        "25_34": Q(GreaterThan(born, born_by(35)), LessThanOrEqual(born, born_by(25))),
        "35_44": Q(GreaterThan(born, born_by(45)), LessThanOrEqual(born, born_by(35))),
        "45_54": Q(GreaterThan(born, born_by(55)), LessThanOrEqual(born, born_by(45))),
        "55_and_over": Q(LessThanOrEqual(born, born_by(55))),
    }


def scopes() -> list[list[str]]:
    """The operator, and every team, employer and social worker of the demo."""
    return [
        [],
        *(["--team", str(pk)] for pk in Team.objects.values_list("pk", flat=True)),
        *(["--employer", str(pk)] for pk in Employer.objects.values_list("pk", flat=True)),
        *(["--worker", str(pk)] for pk in SocialWorker.objects.values_list("pk", flat=True)),
    ]


def reports(years: list[int], scopes: list[list[str]]) -> dict[tuple, str]:
    """Each yearly report of each scope, as `manage.py annual_report --format json` writes it."""
    out = {}
    for year in years:
        for scope in scopes:
            text = StringIO()
            call_command("annual_report", "--year", str(year), *scope, stdout=text)
            out[(year, *scope)] = text.getvalue()
    return out


def raw_employees() -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, last_name, first_name, birth_date, match_key FROM casework_employee"
        )
        return {pk: tuple(str(value) for value in rest) for pk, *rest in cursor.fetchall()}


def raw_case_births() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, snapshot_birth_date FROM casework_case")
        return {pk: str(birth) for pk, birth in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_yearly_reports_of_the_demo_are_identical_before_and_after_the_migration():
    call_command("demo", stdout=StringIO())
    people = {e.pk: e for e in Employee.objects.all()}
    cases = dict(Case.objects.values_list("pk", "employee"))
    years = sorted({day.year for day in Case.objects.dates("opened_on", "year")})
    assert years == [2024, 2025, 2026]  # the demo year and its two years of history
    every_scope = scopes()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate([BEFORE])
        # The former columns, in clear, exactly as the former code wrote them.
        assert raw_employees() == {
            pk: (
                e.last_name,
                e.first_name,
                e.birth_date.isoformat(),
                f"{normalise(e.last_name)}|{normalise(e.first_name)}|{e.birth_date.isoformat()}",
            )
            for pk, e in people.items()
        }
        assert raw_case_births() == {
            pk: people[employee].birth_date.isoformat() for pk, employee in cases.items()
        }
        # The spam mark of public requests (a later column) does not exist at 0005. Before
        # 0006 the appointments app (issue 16) did not exist: none cancelled or missed
        # (migrating back drops its table, so the reports after count none either).
        no_appointments = {"cancelled": 0, "missed": 0}
        with (
            mock.patch.object(queries, "age_bands", legacy_age_bands),
            mock.patch.object(ReferralQuerySet, "not_spam", lambda self: self),
            mock.patch.object(queries, "appointments", lambda year, scope: no_appointments),
        ):
            before = reports(years, every_scope)
    finally:
        migrate(latest)
    after = reports(years, every_scope)
    assert list(after) == list(before) and len(after) > 30
    for key, report in after.items():
        assert report == before[key], key
    operator = before[(2026,)]
    assert re.search(r'"35_44": [1-9]', operator) and re.search(r'"45_54": [1-9]', operator)
    # Forward again: nothing of the identities left in clear, and they still read back.
    for pk, (last, first, birth, key) in raw_employees().items():
        assert last.startswith("gAAAA") and first.startswith("gAAAA") and birth.startswith("gAAAA")
        assert re.fullmatch(r"[0-9a-f]{64}", key)
        assert people[pk].last_name not in (last, first) and "|" not in key
    again = Employee.objects.get(pk=next(iter(people)))
    assert (again.last_name, again.birth_date) == (
        people[again.pk].last_name,
        people[again.pk].birth_date,
    )
    assert (
        Employee.objects.matching(again.last_name, again.first_name, again.birth_date).get()
        == again
    )
    assert again in Employee.objects.search(again.last_name)
