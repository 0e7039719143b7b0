"""An employee's identity: impossible birth dates refused at entry."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from polesocial.casework.models import Employee
from polesocial.casework.services import referrals
from polesocial.casework.services.retention import years_before
from tests.factories import EMPLOYEE_IDENTITY, EmployerFactory, SocialWorkerFactory

pytestmark = pytest.mark.django_db


def assess(birth_date: dt.date):
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    referral = referrals.referral_create(
        actor=None, employer=employer, source="employee", reason="Demande d'aide",
        person_last_name="Dupont-Lefèvre", person_first_name="Éloïse",
    )  # fmt: skip
    referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)
    return referrals.first_assessment_record(
        actor=worker.user, referral=referral, assessed_on=dt.date(2026, 3, 2),
        outcome="open_case",
        employee={**EMPLOYEE_IDENTITY, "birth_date": birth_date, "employer": employer},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("years_ago", "message"),
    [
        (-4, "La date de naissance doit être passée."),  # 2030 typed for 1930
        (6, "l'agent aurait 6 ans"),
        (126, "l'agent aurait 126 ans"),
    ],
)
def test_an_impossible_birth_date_is_refused_at_the_first_assessment(years_ago, message):
    with pytest.raises(ValidationError) as refused:
        assess(years_before(timezone.localdate(), years_ago))
    assert message in refused.value.message_dict["birth_date"][0]
    assert not Employee.objects.exists()


def test_a_plausible_birth_date_is_accepted():
    birth_date = years_before(timezone.localdate(), 65)
    assessment = assess(birth_date)
    assert assessment.referral.employee.birth_date == birth_date
