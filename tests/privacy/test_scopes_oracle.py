"""The index-friendly access rules read exactly the rows the former rules read.

`privacy.scopes` now computes the workers a social worker reads for (herself and whom she
replaces today) in one small query and filters `worker_id IN (…)`, with unions for
referrals, employees and consents. The former rules (an OR across joins, a NOT EXISTS per
referral), kept below as the oracle, must give the same rows for every user of every role
over a varied dataset: replacements active, expired and future, transferred cases,
referrals unassigned, assigned without a case and held through a colleague's case, two
teams.
"""

import datetime as dt

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from polesocial.casework.models import (
    Case,
    CaseClosure,
    CaseDocument,
    Consent,
    Employee,
    FirstAssessment,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
    Referral,
)
from polesocial.organisations.models import Replacement
from polesocial.privacy import scopes
from polesocial.users.enums import Role
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    open_case_for,
)

pytestmark = pytest.mark.django_db


# --- The former rules (main d1938db), verbatim but for names: the oracle. ---


def _old_replaced_workers(user):
    today = timezone.localdate()
    return Replacement.objects.active_on(today).filter(replacing__user=user).values("absent")


def _old_in_charge_q(worker_path, user):
    return Q(**{f"{worker_path}__user": user}) | Q(
        **{f"{worker_path}__in": _old_replaced_workers(user)}
    )


def old_in_charge(worker_path):
    def rule(queryset, user):
        return queryset.filter(_old_in_charge_q(worker_path, user))

    return rule


def old_referrals_in_charge(queryset, user):
    held_cases = old_in_charge("worker")(Case.objects.all(), user)
    held_elsewhere = Case.objects.filter(referral=OuterRef("pk")).exclude(
        _old_in_charge_q("worker", user)
    )
    return queryset.filter(
        (_old_in_charge_q("assigned_to", user) & ~Exists(held_elsewhere))
        | Q(pk__in=held_cases.values("referral"))
    )


def _old_held_referrals(user):
    return old_referrals_in_charge(Referral.objects.all(), user)


def old_employees_in_charge(queryset, user):
    cases = old_in_charge("worker")(Case.objects.all(), user).values("employee")
    referrals = _old_held_referrals(user).values("employee")
    return queryset.filter(Q(pk__in=cases) | Q(pk__in=referrals))


def old_consents_in_charge(queryset, user):
    cases = old_in_charge("worker")(Case.objects.all(), user).values("consent")
    referrals = _old_held_referrals(user).values("pk")
    return queryset.filter(Q(pk__in=cases) | Q(referral__in=referrals))


def old_assessments_in_charge(queryset, user):
    return queryset.filter(referral__in=_old_held_referrals(user).values("pk"))


OLD_AND_NEW = [
    (Case, old_in_charge("worker"), scopes.SCOPES["casework.Case"][Role.SOCIAL_WORKER]),
    (Interview, old_in_charge("case__worker"), scopes.in_charge("case__worker")),
    (Orientation, old_in_charge("case__worker"), scopes.in_charge("case__worker")),
    (PlanObjective, old_in_charge("case__worker"), scopes.in_charge("case__worker")),
    (
        PlanAction,
        old_in_charge("objective__case__worker"),
        scopes.in_charge("objective__case__worker"),
    ),
    (CaseDocument, old_in_charge("case__worker"), scopes.in_charge("case__worker")),
    (CaseClosure, old_in_charge("case__worker"), scopes.in_charge("case__worker")),
    (Referral, old_referrals_in_charge, scopes.referrals_in_charge),
    (FirstAssessment, old_assessments_in_charge, scopes.assessments_in_charge),
    (Employee, old_employees_in_charge, scopes.employees_in_charge),
    (Consent, old_consents_in_charge, scopes.consents_in_charge),
]


def new_referral(employer, last_name):
    from polesocial.casework.services import referrals

    return referrals.referral_create(
        actor=None,
        employer=employer,
        source="employer_hr",
        reason="Difficultés signalées.",
        person_last_name=last_name,
        person_first_name="Léa",
    )


def identity(last_name):
    return {**EMPLOYEE_IDENTITY, "last_name": last_name}


@pytest.fixture
def dataset():
    """Three workers in two teams, their cases, referrals and replacements; every role."""
    from polesocial.casework.services import referrals

    today = timezone.localdate()
    north, south = TeamFactory(), TeamFactory()
    anne, berthe = SocialWorkerFactory(team=north), SocialWorkerFactory(team=north)
    claire = SocialWorkerFactory(team=south)
    lonely = SocialWorkerFactory(team=south)  # no case, no referral, replaces no one
    employer_north, employer_south = EmployerFactory(team=north), EmployerFactory(team=south)

    open_case_for(anne, employer=employer_north, identity=identity("Aubert"))
    open_case_for(anne, employer=employer_north, identity=identity("Arnaud"))
    open_case_for(berthe, employer=employer_north, identity=identity("Barre"))
    open_case_for(claire, employer=employer_south, identity=identity("Colin"))
    # A case transferred from Anne to Claire: its referral goes with it.
    moved = open_case_for(anne, employer=employer_north, identity=identity("Martin"))
    Case.objects.filter(pk=moved.pk).update(worker=claire)
    # Referrals: unassigned; assigned to Anne with no case yet; assigned to Claire.
    new_referral(employer_north, "Nadal")
    referrals.referral_assign(
        actor=anne.user, referral=new_referral(employer_north, "Petit"), worker=anne
    )
    referrals.referral_assign(
        actor=claire.user, referral=new_referral(employer_south, "Roux"), worker=claire
    )

    admin = UserFactory(role=Role.ADMIN)
    # Berthe replaces Anne today; Claire replaced Anne until yesterday; Anne will replace
    # Claire from tomorrow; Lonely replaced Berthe last year.
    for absent, replacing, starts, ends in [
        (anne, berthe, today - dt.timedelta(days=2), today),
        (anne, claire, today - dt.timedelta(days=10), today - dt.timedelta(days=1)),
        (claire, anne, today + dt.timedelta(days=1), today + dt.timedelta(days=5)),
        (berthe, lonely, today - dt.timedelta(days=400), today - dt.timedelta(days=300)),
    ]:
        Replacement.objects.create(
            absent=absent, replacing=replacing, starts_on=starts, ends_on=ends, created_by=admin
        )
    users = [anne.user, berthe.user, claire.user, lonely.user, admin]
    users += [UserFactory(role=role) for role in Role if role != Role.ADMIN]
    return users


def test_the_new_rules_read_exactly_the_rows_the_former_rules_read(dataset):
    assert Referral.objects.filter(assigned_to__isnull=True).exists()
    for model, old_rule, new_rule in OLD_AND_NEW:
        every_row = model.objects.all()
        if model in (Case, Referral, FirstAssessment, Employee, Consent):
            assert every_row.exists(), f"no {model.__name__}: the check would prove nothing"
        for user in dataset:
            old = set(old_rule(every_row, user).values_list("pk", flat=True))
            new = set(new_rule(every_row, user).values_list("pk", flat=True))
            assert new == old, f"{model.__name__} for {user.role} {user}"


def test_a_replacement_reads_the_absent_colleagues_rows_and_only_today(dataset):
    anne, berthe, claire = dataset[:3]
    anne_cases = set(Case.objects.filter(worker__user=anne).values_list("pk", flat=True))
    assert anne_cases
    assert anne_cases <= set(Case.objects.visible_by(berthe).values_list("pk", flat=True))
    assert not anne_cases & set(Case.objects.visible_by(claire).values_list("pk", flat=True))
    # The transferred case's referral and employee went to Claire: Anne no longer reads them.
    martin = Employee.objects.visible_by(claire).search("Martin")
    assert martin.count() == 1
    assert not Employee.objects.visible_by(anne).search("Martin").exists()


def test_every_role_without_case_work_reads_no_case_row(dataset):
    for user in dataset[4:]:
        if user.role == Role.SOCIAL_WORKER:
            continue
        for model, _old, _new in OLD_AND_NEW:
            assert not model.objects.visible_by(user).exists(), (model.__name__, user.role)
