"""Reports of closed years are computed once and kept; a correction to that year's data
(an interview, a case, a time entry, a headcount of that year) makes them computed again."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.models import Interview
from polesocial.organisations.models import Headcount
from polesocial.reports.models import StoredReport
from polesocial.users.enums import Role
from tests.factories import EmployerFactory, SocialWorkerFactory
from tests.reports.data import bulk_cases, profile_people

pytestmark = pytest.mark.django_db


def _employer_with_year(client, year):
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    employer.accounts.add(client.user)
    people = profile_people(year, {"titulaire": 12}, {"C": 12}, {"single": 12}, {"35_44": 12})
    cases = bulk_cases(year, people, worker=worker, employers=[employer])
    Headcount.objects.create(employer=employer, year=year, total=300)
    return employer, cases


def test_a_closed_year_is_read_from_the_stored_report_until_its_data_is_corrected(
    client_as, django_assert_max_num_queries
):
    client = client_as(Role.EMPLOYER_CONTACT)
    year = timezone.localdate().year - 1
    employer, cases = _employer_with_year(client, year)
    url = reverse("reports:download", args=["employer", employer.pk, year, "json"])
    first = client.get(url).json()
    assert first["employees_followed"] == 12 and first["interviews"]["total"] == 0
    assert set(
        StoredReport.objects.filter(scope_id=employer.pk, year=year).values_list(
            "variant", flat=True
        )
    ) == {"offer", "obs-controlled"}
    # Read back: the same bytes, without the figures' queries.
    with django_assert_max_num_queries(12):
        again = client.get(url)
    assert again.json() == first

    # A correction to that year: 12 interviews recorded late.
    for case in cases:
        Interview.objects.create(
            case=case,
            occurred_on=dt.date(year, 6, 1),
            place="phone",
            duration_minutes=30,
            employer=employer,
            author=case.worker.user,
        )
    assert not StoredReport.objects.filter(year=year).exists()
    assert client.get(url).json()["interviews"]["total"] == 12

    # A headcount of another year leaves this one alone.
    Headcount.objects.create(employer=employer, year=year - 1, total=280)
    assert StoredReport.objects.filter(year=year).exists()
    Headcount.objects.filter(employer=employer, year=year).get().save()
    assert not StoredReport.objects.filter(year=year).exists()


def test_the_current_year_is_never_stored(client_as):
    client = client_as(Role.EMPLOYER_CONTACT)
    year = timezone.localdate().year
    employer, _ = _employer_with_year(client, year)
    client.get(reverse("reports:report", args=["employer", employer.pk, year]))
    assert not StoredReport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_reports_kept_under_the_former_groupings_are_dropped_by_the_migration_that_adds_them():
    """A stored yearly report and a pooled report protected against the yearly reports as
    computed now must come from the same rules: the migration that brings new groupings
    drops what was kept before it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("reports", "0003_stored_report")]
    after = [("reports", "0004_clear_stored_reports_new_groupings")]
    MigrationExecutor(connection).migrate(before)
    StoredReport.objects.create(
        scope_kind="employer", scope_id=1, year=2025, variant="controlled", content="{}"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert not StoredReport.objects.exists()
