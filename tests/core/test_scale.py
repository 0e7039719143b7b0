"""`manage.py demo --scale`: the benchmark's national-size data, checked at a tiny size."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from polesocial.aid.enums import AidStatus, DecisionOutcome, Payee
from polesocial.aid.models import AidDecision, AidPayment, AidRequest
from polesocial.billing.enums import TimeKind, TimeSource
from polesocial.billing.models import TimeEntry
from polesocial.casework.enums import ConsentScope
from polesocial.casework.models import Case, Employee, Interview, Referral
from polesocial.casework.services import numbering
from polesocial.core.numbering import next_number
from polesocial.core.scale import SCALES, generate
from polesocial.organisations.models import Employer, SocialWorker, Team
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.reports import dominance, queries
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


GRANTING = (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED)


def test_the_generated_aid_is_where_the_requests_lifecycle_leaves_it_and_never_ahead():
    """Each request as the product's transitions leave it: submitted while its case is
    open, decided in a sitting of the worker's team committee (or by written procedure when
    urgent), paid after a grant of the whole amount granted; nothing after today."""
    counts = generate("tiny", seed=7)
    today = timezone.localdate()
    requests = AidRequest.objects.select_related(
        "case__consent", "case__worker", "case__employee", "scheme", "session__committee"
    )
    assert counts["aid_aidrequest"] == requests.count() > 0
    assert counts["aid_aiddecision"] == AidDecision.objects.count() > 0
    assert counts["aid_aidpayment"] == AidPayment.objects.count() > 0
    statuses = Counter()
    for request in requests:
        case = request.case
        statuses[request.status] += 1
        assert request.created_by_id == case.worker.user_id
        assert ConsentScope.AID_COMMITTEE in case.consent.scope
        assert request.justification and request.committee_summary  # decrypted on read
        assert request.scheme.employer_id in (None, case.snapshot_employer_id)
        assert request.amount_requested <= (request.scheme.ceiling or request.amount_requested)
        decisions = list(request.decisions.order_by("decided_on", "pk"))
        payments = list(request.payments.all())
        if request.status == AidStatus.DRAFT:
            assert case.closed_on is None and not decisions and not payments
            assert request.submitted_on is None and request.committee_number is None
            continue
        end = case.closed_on or today
        assert case.opened_on <= request.submitted_on <= end <= today
        assert timezone.localtime(request.created_at).date() <= request.submitted_on
        assert request.committee_number.startswith(f"{request.submitted_on.year}-")
        for decision in decisions:
            assert request.submitted_on < decision.decided_on <= end
            if decision.written_procedure:
                assert request.urgent and decision.session is None
            else:
                assert decision.session.held_on == decision.decided_on
                assert decision.session.committee.team_id == case.worker.team_id
        settled = decisions and decisions[-1].outcome != DecisionOutcome.POSTPONED
        assert all(d.outcome == DecisionOutcome.POSTPONED for d in decisions[:-1])
        final = decisions[-1] if settled else None
        if request.status in (AidStatus.PAID, AidStatus.DECIDED):
            assert final.outcome in GRANTING and final.amount == request.amount_granted > 0
            assert final.session == request.session
        if request.status == AidStatus.PAID:
            assert sum(p.amount for p in payments) == request.amount_granted
            for payment in payments:
                assert final.decided_on < payment.paid_on <= end
                assert (payment.payee == Payee.THIRD_PARTY) == bool(payment.payee_name)
        else:
            assert not payments
        if request.status == AidStatus.CLOSED:
            assert final.outcome == DecisionOutcome.REFUSED and request.amount_granted == 0
        if request.status == AidStatus.ON_AGENDA:
            assert final is None and request.session.held_on > today
        if request.status == AidStatus.SUBMITTED:
            assert final is None and request.session is None
        if request.status != AidStatus.CLOSED and final is None:
            assert case.closed_on is None  # a case stays open while its request waits
    assert statuses[AidStatus.PAID] > statuses[AidStatus.CLOSED] > 0
    # The report counts each request under the employer of its case's person.
    operator = queries.resolve_scope("operator")
    for year in range(today.year - SCALES["tiny"].years + 1, today.year + 1):
        reported = Counter()
        for _funder, _scheme, employer, _employee, amount in dominance.aid_rows(year, operator)[
            "requested"
        ]:
            reported[employer] += amount
        expected = Counter()
        for request in requests.filter(submitted_on__year=year):
            expected[request.case.employee.employer_id] += request.amount_requested
        assert reported == expected
    # Files submitted afterwards take the following committee numbers.
    year = max(requests.exclude(submitted_on=None).values_list("submitted_on__year", flat=True))
    last = max(
        int(number.rsplit("-", 1)[1])
        for number in requests.filter(committee_number__startswith=f"{year}-").values_list(
            "committee_number", flat=True
        )
    )
    assert next_number(sequence="aid_committee", year=year) == last + 1


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
