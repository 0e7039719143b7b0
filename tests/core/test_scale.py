"""`manage.py demo --scale`: the benchmark's national-size data, checked at a tiny size."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Sum

from polesocial.billing.enums import TimeKind, TimeSource
from polesocial.billing.models import TimeEntry
from polesocial.casework.models import Case, Employee, Interview, Referral
from polesocial.casework.services import numbering
from polesocial.core.scale import SCALES, generate
from polesocial.organisations.models import Employer, SocialWorker, Team
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def test_the_generated_service_is_whole_and_every_interview_records_its_time():
    counts = generate("tiny", seed=7)

    tiny = SCALES["tiny"]
    assert Employer.objects.count() == tiny.employers
    assert SocialWorker.objects.count() == tiny.workers
    # Staff came through the services of a real installation, each creation journaled.
    assert Team.objects.count() == AuditEntry.objects.filter(action=AuditAction.TEAM_CREATE).count()
    assert (
        AuditEntry.objects.filter(action=AuditAction.SOCIAL_WORKER_CREATE).count() == tiny.workers
    )
    assert counts["casework_case"] == Case.objects.count() > 0
    # One time entry per interview, of its minutes, for its employer.
    interview_time = TimeEntry.objects.filter(source=TimeSource.INTERVIEW)
    assert interview_time.count() == Interview.objects.count()
    assert (
        interview_time.aggregate(m=Sum("minutes"))["m"]
        == Interview.objects.aggregate(m=Sum("duration_minutes"))["m"]
    )
    assert not interview_time.exclude(kind=TimeKind.INTERVIEW).exists()
    # A person's cases never overlap: the next one opens after the previous closed.
    for employee in Employee.objects.annotate(n=Count("cases")).filter(n__gt=1):
        cases = list(employee.cases.order_by("opened_on"))
        for earlier, later in zip(cases, cases[1:], strict=False):
            assert earlier.closed_on is not None and earlier.closed_on < later.opened_on
    # Interviews belong to the case's employer and never precede its opening.
    assert not Interview.objects.exclude(employer=F("case__snapshot_employer")).exists()
    assert not Interview.objects.filter(occurred_on__lt=F("case__opened_on")).exists()


def _generated(seed: int) -> tuple[list, list]:
    """Generate in a savepoint rolled back afterwards; return what a reader would compare."""
    with transaction.atomic():
        generate("tiny", seed=seed)
        cases = sorted(Case.objects.values_list("number", "opened_on", "closed_on", "status"))
        people = sorted((e.last_name, e.first_name, e.birth_date) for e in Employee.objects.all())
        transaction.set_rollback(True)
    return cases, people


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _generated(3)
    assert first == _generated(3)
    assert first != _generated(4)
    cases, people = first
    assert len({number for number, *_ in cases}) == len(cases)
    assert len(set(people)) == len(people)  # one record per person


def test_work_recorded_afterwards_takes_the_following_numbers_and_ids():
    generate("tiny", seed=5)
    year = Referral.objects.order_by("-received_at").first().received_at.year
    last = max(
        int(n.rsplit("-", 1)[1])
        for n in Referral.objects.filter(number__startswith=f"S-{year}-").values_list(
            "number", flat=True
        )
    )
    assert numbering.referral_number(year) == f"S-{year}-{last + 1:05d}"
    # The ids taken by the generator are behind the database's sequence (PostgreSQL).
    case = Case.objects.first()
    interview = Interview.objects.create(
        case=case,
        occurred_on=case.opened_on,
        place="operator_office",
        duration_minutes=30,
        employer=case.snapshot_employer,
        author=case.worker.user,
    )
    assert interview.pk > Interview.objects.exclude(pk=interview.pk).order_by("-pk").first().pk


def test_a_database_with_employers_is_refused_in_french():
    EmployerFactory()
    with pytest.raises(CommandError, match="part d'une base vide"):
        call_command("demo", "--scale", "tiny", stdout=StringIO())
