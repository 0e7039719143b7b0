"""An employee's contact details (phone, e-mail, address) are encrypted at rest.

So are names and birth date since migration 0005 (tests/casework/test_identity_at_rest.py):
silent matching and name search read blind indexes instead.
"""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from polesocial.casework.models import Employee, Referral
from polesocial.casework.services import referrals
from polesocial.privacy.fields import EncryptedLookupError
from tests.casework.api_helpers import CaseworkSchemaClient, assess_body, assigned_referral, url
from tests.casework.test_referral_views import assigned_to, identity_post
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, EmployerFactory, SocialWorkerFactory

CONTACT = {
    "phone": "06 12 34 56 78",
    "email": "eloise.dupont-lefevre@mairie-exemple.fr",
    "address": "12 rue des Lilas, 35000 Rennes",
}
INVALID_EMAIL = "Saisissez une adresse électronique valide."
BEFORE, AFTER = (
    ("casework", "0003_encrypted_names_of_referrers_and_documents"),
    ("casework", "0004_encrypted_employee_contact"),
)


def raw_contact(employee: Employee) -> dict[str, str]:
    """The three columns exactly as stored, read without the ORM."""
    table = connection.ops.quote_name(Employee._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT phone, email, address FROM {table} WHERE id = %s",  # noqa: S608
            [employee.pk],
        )
        return dict(zip(("phone", "email", "address"), cursor.fetchone(), strict=True))


def assessed_employee(identity=EMPLOYEE_IDENTITY, **contact) -> Employee:
    """The employee a referral creates, through the services, as the worker would."""
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    referral = referrals.referral_create(
        actor=None,
        employer=employer,
        source="employer_hr",
        reason="Difficultés financières signalées par le service RH.",
        person_last_name=identity["last_name"],
        person_first_name=identity["first_name"],
    )
    referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)
    assessment = referrals.first_assessment_record(
        actor=worker.user,
        referral=referral,
        assessed_on=dt.date(2026, 3, 2),
        outcome="open_case",
        employee={**identity, **contact, "employer": employer},
    )
    return assessment.referral.employee


def assert_encrypted(raw: dict[str, str]) -> None:
    for name, value in CONTACT.items():
        assert raw[name].startswith("gAAAA"), name  # a Fernet token
        assert value not in raw[name]
    assert "Lilas" not in raw["address"] and "mairie-exemple" not in raw["email"]


# --- At rest ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_contact_a_referral_records_is_not_readable_in_the_database():
    employee = assessed_employee(**CONTACT)
    assert_encrypted(raw_contact(employee))
    # Search still finds the employee, through the names' blind indexes.
    assert Employee.objects.search("dupont eloise").get() == employee
    employee = Employee.objects.get(pk=employee.pk)
    assert (employee.phone, employee.email, employee.address) == tuple(CONTACT.values())


@pytest.mark.django_db
def test_contact_left_blank_stays_blank_and_the_database_cannot_search_it():
    employee = assessed_employee()
    assert raw_contact(employee) == {"phone": "", "email": "", "address": ""}
    with pytest.raises(EncryptedLookupError):
        list(Employee.objects.filter(email=CONTACT["email"]))


# --- Migration 0004 on rows written before it -----------------------------------------------


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_reverses():
    employee = assessed_employee(**CONTACT)
    blank = assessed_employee({**EMPLOYEE_IDENTITY, "first_name": "Jeanne"})
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        migrate([BEFORE])
        # Backwards: the columns hold the contact in clear again, as before 0004.
        assert raw_contact(employee) == CONTACT
        assert raw_contact(blank) == {"phone": "", "email": "", "address": ""}
        migrate([AFTER])
        # Forwards: the same rows are encrypted in place and read back unchanged.
        assert_encrypted(raw_contact(employee))
        assert raw_contact(blank) == {"phone": "", "email": "", "address": ""}
    finally:
        migrate(latest)
    employee = Employee.objects.get(pk=employee.pk)
    assert (employee.phone, employee.email, employee.address) == tuple(CONTACT.values())


@pytest.mark.django_db(transaction=True)
def test_migration_0003_reverses_and_encrypts_the_referrer_again():
    """0003 (who referred the employee) shares 0004's conversion: back to clear, then not."""
    referral = referrals.referral_create(
        actor=None,
        employer=EmployerFactory(),
        source="employer_hr",
        reason="Motif.",
        referrer_name="Mme Responsable RH",
        referrer_contact="rh@mairie-exemple.fr",
        person_last_name="Dupont-Lefèvre",
        person_first_name="Éloïse",
    )
    table = connection.ops.quote_name("casework_referral")

    def raw() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT referrer_name, referrer_contact FROM {table} WHERE id = %s",  # noqa: S608
                [referral.pk],
            )
            return cursor.fetchone()

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate([("casework", "0002_person_records")])
        assert raw() == ("Mme Responsable RH", "rh@mairie-exemple.fr")
        migrate([BEFORE])
        assert "Responsable" not in raw()[0] and "mairie" not in raw()[1]
    finally:
        migrate(latest)


# --- An invalid e-mail is still refused, in French ----------------------------------------------


@pytest.mark.django_db
def test_an_invalid_email_is_refused_in_french_at_the_assessment_form(client):
    worker = SocialWorkerFactory()
    referral = assigned_to(worker)
    sign_in(client, worker.user)
    post = {**identity_post(EMPLOYEE_IDENTITY, referral.employer), "email": "eloise@@mairie"}
    response = client.post(reverse("casework:referral_assess", args=[referral.pk]), post)
    assert response.status_code == 200
    assert INVALID_EMAIL in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).employee is None
    assert not Employee.objects.exists()


@pytest.fixture(scope="module")
def openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


@pytest.mark.django_db
def test_an_invalid_email_is_refused_in_french_by_the_api(client, openapi):
    api = CaseworkSchemaClient(client, openapi)
    worker = SocialWorkerFactory()
    referral = assigned_referral(worker)
    sign_in(client, worker.user)
    response = api.post(url("referral-assess", referral.pk), assess_body(email="eloise@@mairie"))
    assert response.status_code == 400
    # DRF's own wording, in French like every API error.
    assert response.json()["errors"] == {
        "employee": {"email": ["Saisissez une adresse e-mail valide."]}
    }
    assert not Employee.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_an_invalid_email_whoever_calls_it():
    with pytest.raises(ValidationError) as refused:
        assessed_employee(email="eloise@@mairie")
    assert refused.value.message_dict == {"email": [INVALID_EMAIL]}
    assert not Employee.objects.exists()
