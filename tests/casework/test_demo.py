"""The case-work demo: a year of realistic activity, close to the field's figures, once,
after two closed years of history."""

import datetime as dt
import time
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from polesocial.casework import demo as casework_demo
from polesocial.casework.demo.data import MARKER
from polesocial.casework.enums import Domain, InterviewPlace, ReferralSource, ReferralStatus
from polesocial.casework.models import (
    Case,
    CaseClosure,
    CaseDomain,
    Consent,
    Employee,
    Handoff,
    Interview,
    Orientation,
    PlanAction,
    Referral,
)
from polesocial.casework.services.retention import retention_plan
from polesocial.core.management.commands import demo as demo_command
from polesocial.directory import demo as directory_demo
from polesocial.directory.enums import PartnerKind
from polesocial.directory.models import Partner
from polesocial.organisations import demo as organisations_demo
from polesocial.organisations.models import Employer
from polesocial.privacy.audit import audit_verify
from polesocial.privacy.models import AuditEntry
from polesocial.users.models import User
from tests.core.test_demo import row_counts

LOADERS = [organisations_demo.load, directory_demo.load, casework_demo.load]

# Loaded once for the module (a few seconds), on one worker under `-n 2 --dist loadgroup`.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("load_time"),
    pytest.mark.xdist_group("casework_demo"),
]


def run_demo() -> float:
    """`manage.py demo` with the directory and case-work loaders added: seconds taken."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_command, "DEMO_LOADERS", LOADERS)
        start = time.perf_counter()
        call_command("demo", stdout=StringIO())
        return time.perf_counter() - start


@pytest.fixture(scope="module")
def load_time(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module's tests (committed, then flushed)."""
    with django_db_blocker.unblock():
        seconds = run_demo()
    yield seconds
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def reference() -> dt.date:
    return dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE)


def year_ending(end: dt.date) -> tuple[dt.date, dt.date]:
    """The first day and the day after a year of the demo (ending on `end`): each year's
    cases open from 365 days before its end, until the next year begins."""
    return end - dt.timedelta(days=365), end


def share(values, wanted) -> float:
    values = list(values)
    return 100 * sum(v in wanted for v in values) / len(values)


def test_a_few_hundred_cases_load_in_well_under_a_minute(load_time, reference):
    assert load_time < 60
    # About 5 % of each employer's headcount followed in the year (seed 001: « plus de 5 %
    # de l'effectif global »): 480 cases for the 9,301 employees of the active conventions.
    start = reference - dt.timedelta(days=365)
    cases = Case.objects.filter(opened_on__gte=start)
    assert 470 <= cases.count() <= 490
    assert (
        500
        <= Employee.objects.filter(referrals__received_at__date__gte=start).distinct().count()
        <= 550
    )
    assert 530 <= Referral.objects.filter(received_at__date__gte=start).count() <= 560
    assert Interview.objects.filter(case__in=cases).count() >= cases.count()
    closed = cases.filter(status="closed").count()
    assert 0.4 <= closed / cases.count() <= 0.6  # closures for about half


def test_every_domain_place_source_and_partner_kind_appears():
    assert set(CaseDomain.objects.values_list("domain", flat=True)) == set(Domain.values)
    assert set(Interview.objects.values_list("place", flat=True)) == set(InterviewPlace.values)
    assert set(Referral.objects.values_list("source", flat=True)) == set(ReferralSource.values)
    assert set(Partner.objects.values_list("kind", flat=True)) == set(PartnerKind.values)
    assert Partner.objects.count() >= 20
    domains = Counter(CaseDomain.objects.values_list("domain", flat=True))
    top = {code for code, _ in domains.most_common(5)}
    assert top == {"budget", "housing", "health", "work", "family"}
    per_case = Counter(Counter(CaseDomain.objects.values_list("case", flat=True)).values())
    assert set(per_case) == {1, 2, 3}
    interviews = Counter(Counter(Interview.objects.values_list("case", flat=True)).values())
    assert min(interviews) == 1 and max(interviews) <= 10  # 1 to 8, and a reopening's
    places = Counter(Interview.objects.values_list("place", flat=True)).most_common()
    assert places[0][0] == "operator_office" and places[-1][0] in ("home", "video")


def test_the_profile_of_the_employees_followed_is_close_to_the_seed_figures():
    cases = list(Case.objects.select_related("snapshot_employer", "employee"))
    statuses = [c.snapshot_status for c in cases]
    assert abs(share(statuses, {"titulaire", "stagiaire"}) - 82) <= 3
    families = [c.snapshot_family_situation for c in cases]
    assert abs(share(families, {"single"}) - 36) <= 3
    assert abs(share(families, {"single_parent"}) - 30) <= 3
    ages = [int((c.opened_on - c.employee.birth_date).days / 365.25) for c in cases]
    assert abs(share(ages, set(range(35, 55))) - 68) <= 3
    in_communes = [c.snapshot_category for c in cases if c.snapshot_employer.kind == "commune"]
    assert abs(share(in_communes, {"C"}) - 96) <= 3
    assert share([c.snapshot_category for c in cases], {"C"}) >= 85


def test_dates_are_consistent_and_never_after_the_reference_date(reference):
    for referral in Referral.objects.select_related("first_assessment"):
        assert timezone.localdate(referral.received_at) <= reference
        if referral.status == ReferralStatus.ASSESSED:
            assessed = referral.first_assessment.assessed_on
            assert timezone.localdate(referral.received_at) <= assessed <= reference
    for case in Case.objects.select_related("consent", "referral__first_assessment"):
        assert case.referral.first_assessment.assessed_on <= case.opened_on <= reference
        assert case.consent.given_on <= case.opened_on
        assert case.closed_on is None or case.opened_on <= case.closed_on <= reference
        assert case.opened_on.weekday() < 5
    for interview in Interview.objects.select_related("case__consent"):
        case = interview.case
        assert case.opened_on <= interview.occurred_on <= (case.closed_on or reference)
        assert 0 < interview.duration_minutes <= 480
        withdrawn = case.consent.withdrawn_on
        assert withdrawn is None or interview.occurred_on <= withdrawn
    for orientation in Orientation.objects.select_related("case"):
        assert orientation.case.opened_on <= orientation.oriented_on <= reference
    for closure in CaseClosure.objects.all():
        assert closure.reopened_on is None or closure.closed_on <= closure.reopened_on
    numbers = [c.number for c in Case.objects.order_by("opened_on", "number")]
    assert numbers == sorted(numbers)  # numbered in opening order, year by year


def test_queues_reopenings_withdrawals_and_silent_matching_are_there():
    waiting = Referral.objects.exclude(status=ReferralStatus.ASSESSED)
    assert 12 <= waiting.count() <= 18
    assert waiting.filter(urgency="urgent").exists()
    assert waiting.filter(status=ReferralStatus.ASSIGNED).exists()
    assert not waiting.filter(employee__isnull=False).exists()
    assert 3 <= CaseClosure.objects.filter(reopened_on__isnull=False).count() <= 30  # 3 years
    withdrawn = Consent.objects.filter(withdrawn_on__isnull=False)
    assert withdrawn.count() == 2
    assert {c.status for c in Case.objects.filter(consent__in=withdrawn)} == {"open", "closed"}
    twice = Counter(Referral.objects.exclude(employee=None).values_list("employee", flat=True))
    assert any(count > 1 for count in twice.values())
    assert PlanAction.objects.filter(status="todo", due_on__gt="2026-11-16").exists()


def test_each_worker_sees_her_own_cases_only_and_others_none():
    claire = User.objects.get(email="claire.martin@demo.polesocial.fr")
    counsellor = User.objects.get(email="isabelle.moreau@demo.polesocial.fr")
    mine = Case.objects.visible_by(claire)
    assert 40 <= mine.count() < Case.objects.count()
    assert not mine.exclude(worker__user=claire).exists()
    assert not Case.objects.visible_by(counsellor).exists()
    assert Case.objects.metadata_visible_by(counsellor).count() == Case.objects.count()
    assert Employee.objects.visible_by(claire).search("Mercier").exists()


def test_one_journal_entry_summarises_the_load_and_the_chain_holds():
    entry = AuditEntry.objects.get(action="demo.load")
    assert entry.actor is None
    history = entry.detail["history"].values()
    assert entry.detail["cases"] + sum(year["cases"] for year in history) == Case.objects.count()
    assert AuditEntry.objects.filter(action="partner.create").count() == Partner.objects.count()
    audit_verify()


def test_running_the_demo_again_changes_nothing():
    before, journal = row_counts(), AuditEntry.objects.count()
    run_demo()
    assert row_counts() == before
    assert AuditEntry.objects.count() == journal


def test_the_demo_hands_a_redeployment_situation_to_the_mobility_adviser():
    handoff = Handoff.objects.get()
    assert handoff.adviser.role == "mobility_adviser"
    assert "mobility_adviser" in handoff.consent.scope
    assert handoff.follow_ups.exists()
    assert Handoff.objects.visible_by(handoff.adviser).get() == handoff


def test_the_demo_has_the_history_of_a_service_running_for_three_years(reference):
    """Two closed years before the demo year, for the employers under convention then: all
    their cases closed before the demo year, nothing done after a closure, nothing left
    waiting, and the story employee's case the demo year's only."""
    start, _ = year_ending(reference)
    followed = set(Case.objects.filter(opened_on__gte=start).values_list("snapshot_employer"))
    starts = dict(
        Employer.objects.filter(pk__in=[pk for (pk,) in followed])
        .exclude(conventions__status="draft")
        .annotate(first=Min("conventions__starts_on"))
        .values_list("pk", "first")
    )
    for years in (1, 2):
        first, end = year_ending(reference - dt.timedelta(days=365 * years))
        cases = Case.objects.filter(opened_on__gte=first, opened_on__lt=end)
        assert cases.count() >= 200
        assert not cases.exclude(status="closed").exists()
        assert not cases.filter(closed_on__gt=end - dt.timedelta(days=3)).exists()
        done = [
            *Interview.objects.filter(case__in=cases).values_list("case", "occurred_on"),
            *Orientation.objects.filter(case__in=cases).values_list("case", "oriented_on"),
        ]
        periods = {pk: (o, c) for pk, o, c in cases.values_list("pk", "opened_on", "closed_on")}
        assert all(periods[pk][0] <= day <= periods[pk][1] for pk, day in done)
        assert not cases.filter(consent__withdrawn_on__isnull=False).exists()
        assert not Handoff.objects.filter(case__in=cases).exists()
        received = Referral.objects.filter(received_at__date__gte=first, received_at__date__lt=end)
        assert not received.exclude(status=ReferralStatus.ASSESSED).exists()
        # Every employer followed now was followed then, once its convention had started.
        in_service = {pk for (pk,) in followed if starts[pk] < end - dt.timedelta(days=30)}
        assert set(cases.values_list("snapshot_employer", flat=True)) == in_service
        assert len(in_service) >= 8
    story = Case.objects.filter(employee__in=Employee.objects.matching(*MARKER))
    assert story.count() == 1 and story.get().opened_on >= start


def test_on_the_reference_date_the_retention_job_would_archive_the_first_year_only(reference):
    """Two years without contact take a case out of the active base: on the reference date
    the retention job (not run by the demo: `manage.py retention` shows it) would archive
    the demo's first year, closed, and anonymise its referrals that never became a case;
    nothing of the two later years, and no open case to flag."""
    first_year_end = reference - dt.timedelta(days=730)
    plan = retention_plan(today=reference)
    archived = Case.objects.filter(pk__in=plan.to_archive)
    assert archived.count() >= 200 and plan.to_flag == [] and plan.to_anonymise == []
    assert not archived.filter(opened_on__gte=first_year_end).exists()
    assert (
        not Case.objects.filter(opened_on__lt=first_year_end)
        .exclude(pk__in=plan.to_archive)
        .exists()
    )
    referrals = Referral.objects.filter(pk__in=plan.referrals_to_anonymise)
    assert not referrals.filter(received_at__date__gte=first_year_end).exists()
