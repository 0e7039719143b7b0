"""An employee's identity: impossible birth dates refused at entry, and corrected by the
worker in charge (rectification), journaled without the values."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.models import Employee
from polesocial.casework.services import referrals
from polesocial.casework.services.identity import employee_identity_correct
from polesocial.casework.services.retention import years_before
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from tests.conftest import sign_in
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    SocialWorkerFactory,
    open_case_for,
)

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


def test_the_worker_in_charge_corrects_a_misspelt_identity_and_the_journal_keeps_no_value():
    case = open_case_for(SocialWorkerFactory())
    correct_birth = dt.date(1979, 4, 21)
    employee_identity_correct(
        actor=case.worker.user, case=case, last_name="Dupont-Lefebvre", first_name="Éloïse",
        birth_date=correct_birth,
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.person.last_name, case.person.birth_date) == ("Dupont-Lefebvre", correct_birth)
    assert case.snapshot_birth_year == 1979
    assert case.referral.first_assessment.person.last_name == "Dupont-Lefebvre"
    assert Employee.objects.matching("Dupont-Lefebvre", "Éloïse", correct_birth).get() == (
        case.employee
    )
    old = EMPLOYEE_IDENTITY
    assert not Employee.objects.matching(
        old["last_name"], old["first_name"], old["birth_date"]
    ).exists()  # the wrong identity does not linger
    entry = AuditEntry.objects.get(action=AuditAction.EMPLOYEE_IDENTITY_CORRECT)
    assert entry.object_ids == [case.pk] and entry.detail == {}


def test_a_correction_to_a_person_already_known_joins_that_record_silently():
    other = {**EMPLOYEE_IDENTITY, "last_name": "Martin", "first_name": "Jeanne"}
    colleague_case = open_case_for(SocialWorkerFactory(), identity=other)
    case = open_case_for(SocialWorkerFactory())
    employee_identity_correct(
        actor=case.worker.user, case=case, last_name="MARTIN", first_name="jeanne",
        birth_date=EMPLOYEE_IDENTITY["birth_date"],
    )  # fmt: skip
    case.refresh_from_db()
    assert case.employee_id == colleague_case.employee_id
    assert case.consent.employee_id == colleague_case.employee_id
    assert Employee.objects.count() == 1
    colleague_case.refresh_from_db()
    assert colleague_case.person.last_name == "Martin"  # her own record is untouched


def test_only_the_worker_in_charge_may_correct_the_identity():
    case = open_case_for(SocialWorkerFactory())
    with pytest.raises(ValidationError, match="Seule l'ASS en charge"):
        employee_identity_correct(
            actor=SocialWorkerFactory().user, case=case, last_name="X", first_name="Y",
            birth_date=dt.date(1979, 4, 12),
        )  # fmt: skip


def test_a_correction_to_an_impossible_birth_date_is_refused():
    case = open_case_for(SocialWorkerFactory())
    with pytest.raises(ValidationError, match="doit être passée"):
        employee_identity_correct(
            actor=case.worker.user, case=case, last_name="Dupont", first_name="Éloïse",
            birth_date=years_before(timezone.localdate(), -4),
        )  # fmt: skip


# The screen: « Corriger l'identité », folded on the case's Situation tab.


def correct_from_the_case_page(client, case, **identity):
    data = {
        "last_name": "Dupont-Lefèvre",
        "first_name": "Éloïse",
        "birth_date": "1979-04-12",
    } | identity
    url = reverse("casework:identity_correct", args=[case.pk])
    return client.post(url, {f"identite-{name}": value for name, value in data.items()})


def test_the_worker_corrects_a_misspelt_name_from_the_case_page(client):
    case = open_case_for(SocialWorkerFactory())
    sign_in(client, case.worker.user)
    page = client.get(reverse("casework:case_detail", args=[case.pk]))
    assert "Corriger l'identité" in page.text
    response = correct_from_the_case_page(
        client, case, last_name="Dupont-Lefebvre", birth_date="1979-04-21"
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Identité de l&#x27;agent corrigée." in page.text
    assert "Dupont-Lefebvre" in page.text and "21/04/1979" in page.text
    assert "Dupont-Lefèvre" not in page.text
    entry = AuditEntry.objects.get(action=AuditAction.EMPLOYEE_IDENTITY_CORRECT)
    assert entry.object_ids == [case.pk] and entry.detail == {}  # that it changed, not to what


@pytest.mark.parametrize(
    ("years_ago", "message"),
    [
        (-1, "La date de naissance doit être passée."),
        (13, "Date de naissance impossible : l'agent aurait 13 ans"),
        (101, "Date de naissance impossible : l'agent aurait 101 ans"),
    ],
)
def test_an_impossible_birth_date_is_refused_beside_the_field(client, years_ago, message):
    case = open_case_for(SocialWorkerFactory())
    sign_in(client, case.worker.user)
    birth_date = years_before(timezone.localdate(), years_ago)
    response = correct_from_the_case_page(
        client, case, last_name="Dupont-Lefebvre", birth_date=birth_date.isoformat()
    )
    assert response.status_code == 200
    form = response.context["identity_form"]
    assert message in form.errors["birth_date"][0]
    case.refresh_from_db()
    assert case.person.last_name == "Dupont-Lefèvre"
    assert not AuditEntry.objects.filter(action=AuditAction.EMPLOYEE_IDENTITY_CORRECT).exists()


def test_a_colleague_cannot_correct_the_identity_of_a_case_she_does_not_hold(client):
    case = open_case_for(SocialWorkerFactory())
    sign_in(client, SocialWorkerFactory().user)
    response = correct_from_the_case_page(client, case, last_name="Martin")
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.person.last_name == "Dupont-Lefèvre"
