"""The casework API: who reads what, senders' receipts, consent, the journal, the contract.

Every request goes through `api` (tests.organisations.test_api.SchemaClient), which checks
the response body against the schema drf-spectacular generates (undeclared keys fail).
"""

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.api.services import api_token_create
from polesocial.casework import rules
from polesocial.casework.models import Case, Employee, Interview, Referral
from polesocial.casework.serializers import employee_reference
from polesocial.casework.services import records, referrals
from polesocial.organisations.models import Replacement
from polesocial.privacy.crypto import decrypt
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.api.conftest import bearer
from tests.conftest import sign_in
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    PartnerFactory,
    SocialWorkerFactory,
    UserFactory,
    open_case_for,
)
from tests.organisations.test_api import SchemaClient

pytestmark = pytest.mark.django_db
R = Role
FORBIDDEN = "Votre rôle ne donne pas accès à cette fonctionnalité."
TOKEN_FORBIDDEN = "Ce jeton d'intégration n'ouvre pas ce point d'accès."
RECEIPT_KEYS = {"number", "received_at", "status"}
REPLACEMENT = dt.date(2026, 7, 1), dt.date(2026, 7, 31)


@pytest.fixture(scope="module")
def openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


class CaseworkSchemaClient(SchemaClient):
    """Literal paths first: /referrals/sent/ would otherwise match /referrals/{id}/."""

    def _operation(self, method, url):
        item = self.openapi["paths"].get(url)
        return item[method] if item is not None else super()._operation(method, url)


@pytest.fixture
def api(client, openapi):
    return CaseworkSchemaClient(client, openapi)


def url(name, pk=None):
    return reverse(f"api:{name}", kwargs={"pk": pk} if pk is not None else None)


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def on(day):
    """Today is `day` for the scope table, the services and the views."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


# --- A case of one worker, and everyone who might try to read it -------------------------


class World:
    """A worker's case with an interview; a colleague; a replacement in July 2026."""

    def __init__(self):
        self.worker = SocialWorkerFactory()
        self.employer = EmployerFactory(team=self.worker.team)
        self.case = open_case_for(self.worker, employer=self.employer)
        self.referral = self.case.referral
        self.employee = self.case.employee
        self.interview = records.interview_record(
            actor=self.worker.user,
            case=self.case,
            occurred_on=dt.date(2026, 3, 9),
            place="workplace",
            duration_minutes=60,
            notes="Point sur le budget.",
            private_note="Impression : épuisement.",
        )
        self.replacing = SocialWorkerFactory(team=self.worker.team)
        Replacement.objects.create(
            absent=self.worker,
            replacing=self.replacing,
            starts_on=REPLACEMENT[0],
            ends_on=REPLACEMENT[1],
            created_by=self.worker.team.counsellor,
        )

    def reader(self, who):
        """The user behind a column of the matrices: a relation to the case, or a role."""
        if who == "in_charge":
            return self.worker.user
        if who == "replacement":
            return self.replacing.user
        if who == "colleague":
            return SocialWorkerFactory(team=self.worker.team).user
        if who == R.COUNSELLOR:  # the counsellor of the worker's own team
            return self.worker.team.counsellor
        user = UserFactory(role=who)
        if who in (R.EMPLOYER_CONTACT, R.PHYSICIAN):
            self.employer.accounts.add(user)
        return user


@pytest.fixture
def world():
    return World()


OTHER_ROLES = [role for role in Role if role != R.SOCIAL_WORKER]
# In charge: everything; a colleague of the same team (or the replacement out of her
# period): nothing, 404 like absent; every other role: 403 on the whole endpoint.
READERS = ["in_charge", "colleague", *OTHER_ROLES]


def expected(who):
    return {"in_charge": 200, "colleague": 404}.get(who, 403)


def check_list_and_detail(api, who, list_url, detail_url, row_id, params=None):
    response = api.get(list_url, params)
    status = expected(who)
    assert response.status_code == (403 if status == 403 else 200)
    if status == 403:
        assert response.json()["detail"] == FORBIDDEN
    else:
        assert ids(response) == ({row_id} if status == 200 else set())
    # One object: a role without case work finds it absent, exactly like out of scope.
    assert api.get(detail_url).status_code == (404 if status == 403 else status)


@pytest.mark.parametrize("who", READERS)
def test_cases_by_reader(api, world, who):
    sign_in(api.client, world.reader(who))
    check_list_and_detail(
        api, who, url("case-list"), url("case-detail", world.case.pk), world.case.pk
    )


@pytest.mark.parametrize("who", READERS)
def test_interviews_by_reader(api, world, who):
    sign_in(api.client, world.reader(who))
    check_list_and_detail(
        api,
        who,
        url("interview-list"),
        url("interview-detail", world.interview.pk),
        world.interview.pk,
        {"case": world.case.pk},
    )


@pytest.mark.parametrize("who", READERS)
def test_employees_by_reader(api, world, who):
    sign_in(api.client, world.reader(who))
    reference = employee_reference(world.employee.pk)
    check_list_and_detail(
        api, who, url("employee-list"), url("employee-detail", reference), reference
    )


@pytest.mark.parametrize("who", READERS)
def test_referrals_by_reader(api, world, who):
    sign_in(api.client, world.reader(who))
    check_list_and_detail(
        api,
        who,
        url("referral-list"),
        url("referral-detail", world.referral.pk),
        world.referral.pk,
    )


@pytest.mark.parametrize(
    "name",
    ["referral-list", "referral-sent", "employee-list", "case-list", "interview-list"],
)
def test_signed_out_is_a_json_401(api, name):
    response = api.get(url(name))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")


def test_what_a_case_holds_is_listed_one_case_at_a_time(api, world):
    sign_in(api.client, world.worker.user)
    for name in ("interview-list", "plan-objective-list", "plan-action-list", "orientation-list"):
        response = api.get(url(name))
        assert response.status_code == 400
        assert response.json()["errors"] == {"case": ["Ce champ est obligatoire."]}


def test_a_method_a_view_does_not_route_is_405(api, world):
    sign_in(api.client, world.worker.user)
    assert api.client.delete(url("case-detail", world.case.pk)).status_code == 405
    assert api.client.patch(url("interview-detail", world.interview.pk)).status_code == 405
    assert api.client.post(url("employee-list")).status_code == 405


# --- Senders: a receipt, and nothing else, ever -------------------------------------------


def referral_body(employer, **overrides):
    body = {
        "employer": employer.pk,
        "reason": "Agent en grande difficulté financière, signalé par son encadrant.",
        "person_last_name": "Dupont-Lefèvre",
        "person_first_name": "Éloïse",
        "urgency": "urgent",
    }
    return {**body, **overrides}


def identity_body(**overrides):
    body = {
        key: (value.isoformat() if isinstance(value, dt.date) else value)
        for key, value in EMPLOYEE_IDENTITY.items()
    }
    return {**body, **overrides}


def assess_body(**identity):
    return {
        "assessed_on": "2026-03-02",
        "outcome": "open_case",
        "notes": "Appel de 20 minutes.",
        "employee": identity_body(**identity),
    }


def test_an_hr_contact_gets_a_receipt_and_never_learns_what_became_of_it(api):
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    contact = UserFactory(role=R.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    sign_in(api.client, contact)
    response = api.post(url("referral-list"), referral_body(employer))
    assert response.status_code == 201
    receipt = response.json()
    assert set(receipt) == RECEIPT_KEYS
    assert receipt["status"] == "received"
    referral = Referral.objects.get(number=receipt["number"])
    assert (referral.source, referral.created_by) == ("employer_hr", contact)
    assert referral.referrer_name == contact.full_name

    # The worker takes it through to an interview, by API.
    referrals.referral_assign(actor=worker.team.counsellor, referral=referral, worker=worker)
    sign_in(api.client, worker.user)
    assert api.post(url("referral-assess", referral.pk), assess_body()).status_code == 200
    consent = api.post(
        url("referral-consent", referral.pk), {"given_on": "2026-03-02", "form": "oral"}
    )
    body = {"consent": consent.json()["id"], "domains": ["budget"], "opened_on": "2026-03-02"}
    case = api.post(url("case-list"), body).json()
    interview = {"case": case["id"], "occurred_on": "2026-03-09", "place": "phone"}
    interview = api.post(url("interview-list"), {**interview, "duration_minutes": 30}).json()

    sign_in(api.client, contact)
    sent = api.get(url("referral-sent"))
    assert sent.json()["results"] == [receipt]  # still "received", nothing more
    answers = [
        api.get(url("case-detail", case["id"])),
        api.get(url("case-list")),
        api.get(url("interview-detail", interview["id"])),
        api.get(url("interview-list"), {"case": case["id"]}),
        api.get(url("referral-detail", referral.pk)),
        api.get(url("referral-list")),
        api.get(url("employee-list")),
    ]
    objects = [answers[0], answers[2], answers[4]]
    collections = [answers[1], answers[3], answers[5], answers[6]]
    for answer in objects:  # the case, its interview, the referral: absent for him
        assert answer.status_code == 404
    for answer in collections:
        assert answer.status_code == 403
        assert answer.json() == {"detail": FORBIDDEN}
    for answer in [sent, *answers]:
        text = answer.content.decode()
        assert "Dupont" not in text and case["number"] not in text


@pytest.mark.parametrize(
    ("role", "source"),
    [(R.EMPLOYER_CONTACT, "employer_hr"), (R.PHYSICIAN, "occupational_health")],
)
def test_a_sender_posts_only_for_his_own_employers(api, role, source):
    mine, other = EmployerFactory(), EmployerFactory()
    sender = UserFactory(role=role)
    mine.accounts.add(sender)
    sign_in(api.client, sender)
    response = api.post(url("referral-list"), referral_body(other))
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}
    by_siret = {**referral_body(other), "siret": other.siret}
    del by_siret["employer"]
    assert api.post(url("referral-list"), by_siret).status_code == 404
    assert not Referral.objects.exists()
    assert api.post(url("referral-list"), referral_body(mine)).status_code == 201
    assert Referral.objects.get().source == source


SENDERS = {R.EMPLOYER_CONTACT, R.PHYSICIAN, R.SOCIAL_WORKER, R.COUNSELLOR}


@pytest.mark.parametrize("role", list(Role))
def test_sending_a_referral_by_role(api, role):
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    user = worker.user if role == R.SOCIAL_WORKER else UserFactory(role=role)
    if role in (R.EMPLOYER_CONTACT, R.PHYSICIAN):
        employer.accounts.add(user)
    sign_in(api.client, user)
    response = api.post(url("referral-list"), referral_body(employer, source="line_manager"))
    assert response.status_code == (201 if role in SENDERS else 403)
    assert Referral.objects.exists() == (role in SENDERS)
    sent = api.get(url("referral-sent"))
    assert sent.status_code == (200 if role in SENDERS else 403)
    if role in SENDERS - {R.COUNSELLOR}:  # the counsellor has no receipts (scope table)
        assert [set(row) for row in sent.json()["results"]] == [RECEIPT_KEYS]


def test_the_operators_staff_say_where_a_referral_comes_from(api):
    worker = SocialWorkerFactory()
    sign_in(api.client, worker.user)
    body = referral_body(EmployerFactory(team=worker.team))
    response = api.post(url("referral-list"), body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"source": ["Indiquez l'origine de la saisine."]}
    assert api.post(url("referral-list"), {**body, "source": "employee"}).status_code == 201


def test_a_referral_names_its_employer_once(api):
    employer = EmployerFactory()
    sign_in(api.client, UserFactory(role=R.COUNSELLOR))
    both = referral_body(employer, siret=employer.siret, source="employee")
    response = api.post(url("referral-list"), both)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Indiquez l'employeur par son SIRET")


# --- Integration tokens -------------------------------------------------------------------


def integration_token(user, scopes=("referrals.create",)):
    _, key = api_token_create(
        actor=None, user=user, name="SIRH", kind=ApiTokenKind.INTEGRATION, days=30, scopes=scopes
    )
    return bearer(key)


def test_the_referral_scope_is_registered_with_a_french_label():
    assert INTEGRATION_SCOPES["referrals.create"] == "Dépôt de saisines"


def test_an_integration_token_posts_a_referral_and_reaches_nothing_else(api, world):
    contact = UserFactory(role=R.EMPLOYER_CONTACT)
    world.employer.accounts.add(contact)
    token = integration_token(contact)
    body = {**referral_body(world.employer), "siret": world.employer.siret}
    del body["employer"]
    response = api.post(url("referral-list"), body, **token)
    assert response.status_code == 201
    assert set(response.json()) == RECEIPT_KEYS
    referral = Referral.objects.get(number=response.json()["number"])
    assert referral.created_by == contact
    assert AuditEntry.objects.filter(actor=contact, action="referral.create").count() == 1
    for other in (
        api.get(url("referral-sent"), **token),
        api.get(url("referral-list"), **token),
        api.get(url("referral-detail", referral.pk), **token),
        api.get(url("case-list"), **token),
        api.get(url("case-detail", world.case.pk), **token),
        api.get(url("interview-list"), {"case": world.case.pk}, **token),
        api.get(url("employee-list"), **token),
        api.get(url("headcount-list"), **token),
    ):
        assert other.status_code == 403
        assert other.json()["detail"] == TOKEN_FORBIDDEN


def test_an_integration_token_without_the_scope_posts_nothing(api):
    employer = EmployerFactory()
    contact = UserFactory(role=R.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    token = integration_token(contact, scopes=["headcounts.create"])
    response = api.post(url("referral-list"), referral_body(employer), **token)
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_an_integration_token_of_a_role_that_may_not_send_posts_nothing(api):
    token = integration_token(UserFactory(role=R.BILLING))
    response = api.post(url("referral-list"), referral_body(EmployerFactory()), **token)
    assert response.status_code == 403
    assert response.json()["detail"] == FORBIDDEN


# --- The worker's path: assessment, consent, case, interviews, plan, orientations --------


def assigned_referral(worker, employer=None, **person):
    referral = referrals.referral_create(
        actor=None,
        employer=employer or EmployerFactory(team=worker.team),
        source="employee",
        reason="Demande d'entretien.",
        person_last_name=person.get("last_name", "Dupont-Lefèvre"),
        person_first_name=person.get("first_name", "Éloïse"),
    )
    return referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)


def test_the_whole_path_through_the_api(api):
    worker = SocialWorkerFactory()
    referral = assigned_referral(worker)
    sign_in(api.client, worker.user)
    response = api.post(url("referral-assess", referral.pk), assess_body())
    assert response.status_code == 200
    assert response.json()["status"] == "assessed"
    assert response.json()["first_assessment"]["outcome"] == "open_case"
    consent = api.post(
        url("referral-consent", referral.pk),
        {"given_on": "2026-03-02", "form": "written", "scope": ["partners"]},
    )
    assert consent.status_code == 201
    assert consent.json()["is_active"] is True
    body = {
        "consent": consent.json()["id"],
        "domains": ["budget", "housing"],
        "opened_on": "2026-03-02",
        "assessment": "Dettes de loyer.",
    }
    response = api.post(url("case-list"), body)
    assert response.status_code == 201
    case = response.json()
    assert (case["assessment"], case["domains"], case["consent_active"]) == (
        "Dettes de loyer.",
        ["budget", "housing"],
        True,
    )
    assert case["snapshot_family_situation"] == "single_parent"
    assert case["employee"] == employee_reference(Case.objects.get().employee_id)
    detail = url("case-detail", case["id"])
    response = api.patch(detail, {"domains": ["budget", "work"]})
    assert response.json()["domains"] == ["budget", "work"]
    assert response.json()["assessment"] == "Dettes de loyer."
    interview = {
        "case": case["id"],
        "occurred_on": "2026-03-09",
        "place": "home",
        "duration_minutes": 480,
    }
    assert api.post(url("interview-list"), interview).status_code == 201
    objective = api.post(
        url("plan-objective-list"), {"case": case["id"], "title": "Résorber la dette"}
    )
    assert objective.status_code == 201
    action = {
        "objective": objective.json()["id"],
        "description": "Dossier FSL",
        "due_on": "2026-04-01",
    }
    action = api.post(url("plan-action-list"), action)
    assert action.json()["case"] == case["id"]
    done = api.patch(url("plan-action-detail", action.json()["id"]), {"status": "done"})
    assert done.json()["status"] == "done"
    orientation = {
        "case": case["id"],
        "partner": PartnerFactory().pk,
        "oriented_on": "2026-03-10",
        "purpose": "Aide au logement",
    }
    orientation = api.post(url("orientation-list"), orientation).json()
    response = api.patch(url("orientation-detail", orientation["id"]), {"result": "achieved"})
    assert response.json()["result"] == "achieved"
    closed = api.post(
        url("case-close", case["id"]), {"closed_on": "2026-06-30", "reason": "objectives_met"}
    )
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", "2026-06-30")
    assert closed.json()["closures"][0]["reason"] == "objectives_met"
    reopened = api.post(url("case-reopen", case["id"]), {"reopened_on": "2026-07-02"})
    assert reopened.json()["status"] == "open"
    assert reopened.json()["closures"][0]["reopened_on"] == "2026-07-02"
    history = AuditEntry.objects.filter(subject=f"casework.Case:{case['id']}")
    assert list(history.values_list("action", flat=True)) == [
        "case.open",
        "case.update",
        "interview.create",
        "plan_objective.create",
        "plan_action.create",
        "plan_action.update",
        "orientation.create",
        "orientation.update",
        "case.close",
        "case.reopen",
    ]


def test_consent_comes_after_the_assessment(api):
    worker = SocialWorkerFactory()
    referral = assigned_referral(worker)
    sign_in(api.client, worker.user)
    response = api.post(
        url("referral-consent", referral.pk), {"given_on": "2026-03-02", "form": "oral"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Enregistrez d'abord l'évaluation téléphonique")


def test_an_assessment_is_recorded_once(api):
    worker = SocialWorkerFactory()
    referral = assigned_referral(worker)
    sign_in(api.client, worker.user)
    assert api.post(url("referral-assess", referral.pk), assess_body()).status_code == 200
    response = api.post(url("referral-assess", referral.pk), assess_body())
    assert response.status_code == 400
    assert response.json()["detail"] == "Cette saisine a déjà son évaluation téléphonique."


# --- No case, no interview without consent -----------------------------------------------


def test_no_case_without_an_active_consent(api, world):
    sign_in(api.client, world.worker.user)
    withdrawn = referrals.consent_record(
        actor=world.worker.user,
        employee=world.employee,
        given_on=dt.date(2026, 3, 2),
        form="oral",
        referral=world.referral,
    )
    referrals.consent_withdraw(
        actor=world.worker.user, consent=withdrawn, withdrawn_on=dt.date(2026, 3, 3)
    )
    colleague = SocialWorkerFactory(team=world.worker.team)
    theirs = open_case_for(colleague, identity={**EMPLOYEE_IDENTITY, "first_name": "Jeanne"})
    before = Case.objects.count()
    for consent in (withdrawn.pk, theirs.consent_id, 999_999):
        body = {"consent": consent, "domains": ["budget"], "opened_on": "2026-03-04"}
        response = api.post(url("case-list"), body)
        assert response.status_code == 400, consent
        assert response.json() == {
            "detail": rules.NO_CONSENT,
            "errors": {"non_field_errors": [rules.NO_CONSENT]},
        }
    assert Case.objects.count() == before


def test_no_interview_once_consent_is_withdrawn(api, world):
    referrals.consent_withdraw(
        actor=world.worker.user, consent=world.case.consent, withdrawn_on=dt.date(2026, 4, 1)
    )
    sign_in(api.client, world.worker.user)
    body = {
        "case": world.case.pk,
        "occurred_on": "2026-04-02",
        "place": "phone",
        "duration_minutes": 30,
    }
    response = api.post(url("interview-list"), body)
    assert response.status_code == 400
    assert response.json()["detail"] == rules.NO_CONSENT
    assert api.get(url("case-detail", world.case.pk)).json()["consent_active"] is False
    objective = api.post(url("plan-objective-list"), {"case": world.case.pk, "title": "x"})
    assert objective.json()["detail"] == rules.NO_CONSENT
    assert Interview.objects.count() == 1
    # The case can still be closed.
    closed = api.post(
        url("case-close", world.case.pk), {"closed_on": "2026-04-02", "reason": "employee_choice"}
    )
    assert closed.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"duration_minutes": 481},
            "duration_minutes",
            "Un entretien ne peut pas dépasser 8 heures (480 minutes).",
        ),
        ({"duration_minutes": 0}, "duration_minutes", "La durée doit être d'au moins une minute."),
        (
            {"occurred_on": "2026-11-24"},
            "occurred_on",
            "Un entretien ne peut pas être daté dans le futur.",
        ),
    ],
)
def test_an_impossible_interview_is_a_french_400(api, world, overrides, field, message):
    sign_in(api.client, world.worker.user)
    body = {
        "case": world.case.pk,
        "occurred_on": "2026-03-10",
        "place": "phone",
        "duration_minutes": 60,
    }
    with on(dt.date(2026, 11, 23)):
        response = api.post(url("interview-list"), {**body, **overrides})
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert Interview.objects.count() == 1


def test_a_colleague_writes_nothing_on_someone_elses_case(api, world):
    colleague = SocialWorkerFactory(team=world.worker.team)
    sign_in(api.client, colleague.user)
    case = world.case.pk
    interview = {"case": case, "occurred_on": "2026-03-10", "place": "phone"}
    answers = [
        api.post(url("interview-list"), {**interview, "duration_minutes": 60}),
        api.post(url("plan-objective-list"), {"case": case, "title": "x"}),
        api.post(url("case-close", case), {"closed_on": "2026-04-02", "reason": "other"}),
        api.patch(url("case-detail", case), {"domains": ["work"]}),
        api.post(url("referral-assess", world.referral.pk), assess_body()),
        api.post(
            url("referral-consent", world.referral.pk), {"given_on": "2026-03-02", "form": "oral"}
        ),
    ]
    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert Interview.objects.count() == 1
    assert Case.objects.get(pk=case).status == "open"


# --- Replacement --------------------------------------------------------------------------


def test_a_replacement_reads_through_the_api_during_her_period_only(api, world):
    sign_in(api.client, world.replacing.user)
    detail = url("case-detail", world.case.pk)
    with on(REPLACEMENT[0] - dt.timedelta(days=1)):
        assert api.get(detail).status_code == 404
    with on(REPLACEMENT[1]):
        response = api.get(detail)
        assert response.status_code == 200
        assert response.json()["replacement_until"] == "2026-07-31"
        assert ids(api.get(url("case-list"))) == {world.case.pk}
        interview = api.get(url("interview-detail", world.interview.pk)).json()
        assert interview["notes"] == "Point sur le budget."
        assert interview["private_note"] is None  # the author's only
    with on(REPLACEMENT[1] + dt.timedelta(days=1)):
        assert api.get(detail).status_code == 404
        assert ids(api.get(url("case-list"))) == set()
        assert api.get(url("interview-detail", world.interview.pk)).status_code == 404
    reads = AuditEntry.objects.filter(actor=world.replacing.user)
    assert list(reads.values_list("action", "replacement")) == [
        ("case.read", True),
        ("case.list", True),
        ("interview.read", True),
        ("case.list", False),  # the day after: nothing shown
    ]


def test_a_replacement_writes_as_a_replacement_and_keeps_her_private_note(api, world):
    sign_in(api.client, world.replacing.user)
    body = {
        "case": world.case.pk,
        "occurred_on": "2026-07-15",
        "place": "phone",
        "duration_minutes": 20,
        "private_note": "Note de la remplaçante",
    }
    with on(dt.date(2026, 7, 15)):
        response = api.post(url("interview-list"), body)
    assert response.status_code == 201
    assert response.json()["private_note"] == "Note de la remplaçante"
    entry = AuditEntry.objects.get(action="interview.create", actor=world.replacing.user)
    assert entry.replacement is True
    sign_in(api.client, world.worker.user)
    assert api.get(url("interview-detail", response.json()["id"])).json()["private_note"] is None
    own = api.get(url("interview-detail", world.interview.pk)).json()
    assert own["private_note"] == "Impression : épuisement."
    assert world.case.worker == world.worker  # still hers


# --- The journal: one entry per read --------------------------------------------------------


def test_every_read_writes_one_journal_entry(api, world):
    user = world.worker.user
    sign_in(api.client, user)
    case_key = f"casework.Case:{world.case.pk}"
    second = open_case_for(world.worker, identity={**EMPLOYEE_IDENTITY, "first_name": "Jeanne"})
    reads = [
        (url("case-list"), None, "case.list", [second.pk, world.case.pk], ""),
        (url("case-detail", world.case.pk), None, "case.read", [world.case.pk], case_key),
        (
            url("interview-list"),
            {"case": world.case.pk},
            "interview.list",
            [world.interview.pk],
            case_key,
        ),
        (
            url("interview-detail", world.interview.pk),
            None,
            "interview.read",
            [world.interview.pk],
            case_key,
        ),
        (
            url("referral-detail", world.referral.pk),
            None,
            "referral.read",
            [world.referral.pk],
            f"casework.Referral:{world.referral.pk}",
        ),
        (
            url("employee-detail", employee_reference(world.employee.pk)),
            None,
            "employee.read",
            [world.employee.pk],
            f"casework.Employee:{world.employee.pk}",
        ),
    ]
    for path, params, action, object_ids, subject in reads:
        before = AuditEntry.objects.count()
        assert api.get(path, params).status_code == 200
        assert AuditEntry.objects.count() == before + 1, action
        entry = AuditEntry.objects.order_by("-sequence").first()
        assert (entry.actor, entry.action, entry.replacement) == (user, action, False)
        assert (entry.object_ids, entry.subject) == (object_ids, subject)
    before = AuditEntry.objects.count()
    api.get(url("referral-sent"))
    assert AuditEntry.objects.count() == before  # receipts hold no identity


# --- Silent matching ----------------------------------------------------------------------

# What differs between two referrals whatever the person: their own ids and dates, the
# names the referrer gave, and the (opaque) reference of the employee.
OWN_FIELDS = {
    "id",
    "number",
    "received_at",
    "assigned_at",
    "person_last_name",
    "person_first_name",
    "employee",
}


def test_assessing_a_known_person_answers_like_an_unknown_one(api):
    colleague = SocialWorkerFactory()
    known = {**EMPLOYEE_IDENTITY, "phone": "06 12 34 56 78", "address": "3 rue des Tilleuls"}
    open_case_for(colleague, identity=known)
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    first = assigned_referral(worker, employer)
    second = assigned_referral(worker, employer, last_name="Martin", first_name="Paul")
    sign_in(api.client, worker.user)
    answers = [
        api.post(
            url("referral-assess", first.pk),
            assess_body(last_name="DUPONT LEFEVRE", first_name="eloise"),
        ),
        api.post(
            url("referral-assess", second.pk), assess_body(last_name="Martin", first_name="Paul")
        ),
    ]
    assert Employee.objects.count() == 2  # the first one was matched
    bodies = [answer.json() for answer in answers]
    assert [answer.status_code for answer in answers] == [200, 200]
    for body in bodies:
        assert re.fullmatch(r"[0-9a-f]{24}", body["employee"])
        text = json.dumps(body)
        assert "06 12 34 56 78" not in text and "Tilleuls" not in text
    assert [{k: v for k, v in body.items() if k not in OWN_FIELDS} for body in bodies] == [
        {k: v for k, v in bodies[0].items() if k not in OWN_FIELDS}
    ] * 2
    assert bodies[0]["employee"] != str(Referral.objects.get(pk=first.pk).employee_id)


def test_an_incomplete_identity_is_refused_alike_for_a_known_person(api):
    """Fields a case snapshots are required by the API, not filled in from a known record."""
    open_case_for(SocialWorkerFactory())
    worker = SocialWorkerFactory()
    known = assigned_referral(worker)
    unknown = assigned_referral(worker, last_name="Martin", first_name="Paul")
    sign_in(api.client, worker.user)
    answers = []
    for referral, name in ((known, "Dupont-Lefèvre"), (unknown, "Martin")):
        body = assess_body(last_name=name)
        del body["employee"]["status"], body["employee"]["sex"]
        answers.append(api.post(url("referral-assess", referral.pk), body))
    assert [answer.status_code for answer in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert set(answers[0].json()["errors"]["employee"]) == {"status", "sex"}


def test_employees_are_named_by_reference_never_by_id(api, world):
    sign_in(api.client, world.worker.user)
    reference = employee_reference(world.employee.pk)
    assert ids(api.get(url("employee-list"))) == {reference}
    assert api.get(url("employee-detail", world.employee.pk)).status_code == 404
    assert api.get(url("employee-detail", reference)).json()["last_name"] == "Dupont-Lefèvre"
    filtered = api.get(url("case-list"), {"employee": reference, "status": "open"})
    assert ids(filtered) == {world.case.pk}
    assert ids(api.get(url("case-list"), {"employee": "0" * 24})) == set()
    assert ids(api.get(url("case-list"), {"status": "closed"})) == set()


@pytest.mark.parametrize("text", ["dupont lefevre", "ÉLOÏSE", "Lefèvre Éloïse", "dupont"])
def test_employee_search_ignores_accents_and_case(api, world, text):
    open_case_for(
        world.worker, identity={**EMPLOYEE_IDENTITY, "last_name": "Martin", "first_name": "Paul"}
    )
    sign_in(api.client, world.worker.user)
    assert ids(api.get(url("employee-list"), {"q": text})) == {
        employee_reference(world.employee.pk)
    }
    assert ids(api.get(url("employee-list"), {"q": "durand"})) == set()


def follow_known_people(worker, names):
    """Cases of `worker` for people a colleague met first, each with another phone."""
    colleague = SocialWorkerFactory()
    for number, name in enumerate(names):
        open_case_for(colleague, identity={**EMPLOYEE_IDENTITY, "last_name": name})
        mine = {**EMPLOYEE_IDENTITY, "last_name": name.upper(), "phone": f"06 11 22 33 {number:02}"}
        open_case_for(worker, identity=mine)


def employee_rows(api, limit):
    rows, offset = {}, 0
    while True:
        body = api.get(url("employee-list"), {"limit": limit, "offset": offset}).json()
        rows |= {row["id"]: (row["last_name"], row["phone"]) for row in body["results"]}
        if body["next"] is None:
            return rows
        offset += limit


def test_every_page_of_employees_shows_them_as_the_reader_recorded_them(api):
    """Silent matching shares the rows; the worker still reads her own spelling and phone
    on each page, the employee of an assessed referral (no case yet) included."""
    worker = SocialWorkerFactory()
    follow_known_people(worker, ["Bernard", "Durand", "Martin", "Petit", "Robert"])
    referral = assigned_referral(worker, last_name="Simon", first_name="Léa")
    referrals.first_assessment_record(
        actor=worker.user,
        referral=referral,
        assessed_on=dt.date(2026, 3, 2),
        outcome="open_case",
        employee={
            **EMPLOYEE_IDENTITY,
            "last_name": "SIMON",
            "first_name": "Léa",
            "phone": "06 99 99 99 99",
            "employer": referral.employer,
        },
    )
    sign_in(api.client, worker.user)
    paged = employee_rows(api, limit=2)
    assert paged == employee_rows(api, limit=50)  # one page holds them all
    assert sorted(paged.values()) == [
        ("BERNARD", "06 11 22 33 00"),
        ("DURAND", "06 11 22 33 01"),
        ("MARTIN", "06 11 22 33 02"),
        ("PETIT", "06 11 22 33 03"),
        ("ROBERT", "06 11 22 33 04"),
        ("SIMON", "06 99 99 99 99"),
    ]


def decryptions_for(api, path, params=None):
    with mock.patch("polesocial.privacy.fields.decrypt", wraps=decrypt) as spy:
        assert api.get(path, params).status_code == 200
    return spy.call_count


def test_a_page_of_employees_costs_the_same_whatever_the_caseload(api):
    """Queries and decrypted values follow the rows shown, not the worker's caseload."""
    worker = SocialWorkerFactory()
    follow_known_people(worker, ["Bernard", "Durand"])
    sign_in(api.client, worker.user)
    page = (url("employee-list"), {"limit": 2})
    before = queries_for(api, *page), decryptions_for(api, *page)
    follow_known_people(worker, ["Martin", "Petit", "Robert", "Simon"])
    after = queries_for(api, *page), decryptions_for(api, *page)
    assert after == before
    assert api.get(*page).json()["count"] == 6


# --- The contract ---------------------------------------------------------------------------


def test_the_schema_describes_the_casework_endpoints(openapi):
    paths = openapi["paths"]
    assert {
        "/api/v1/referrals/",
        "/api/v1/referrals/sent/",
        "/api/v1/referrals/{id}/assess/",
        "/api/v1/referrals/{id}/consent/",
        "/api/v1/employees/{id}/",
        "/api/v1/cases/{id}/close/",
        "/api/v1/cases/{id}/reopen/",
        "/api/v1/interviews/",
        "/api/v1/plan-objectives/{id}/",
        "/api/v1/plan-actions/{id}/",
        "/api/v1/orientations/{id}/",
    } <= set(paths)
    receipt = openapi["components"]["schemas"]["ReferralReceipt"]
    assert set(receipt["properties"]) == RECEIPT_KEYS
    assert paths["/api/v1/referrals/"]["post"]["security"] == [{"jeton": []}, {"session": []}]
    assert paths["/api/v1/employees/{id}/"]["get"]["parameters"][0]["schema"] == {"type": "string"}


# --- Queries ------------------------------------------------------------------------------


def queries_for(api, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path, params).status_code == 200
    return len(captured.captured_queries)


def test_lists_cost_the_same_for_one_row_or_many(api, world):
    sign_in(api.client, world.worker.user)
    lists = [
        (url("case-list"), None),
        (url("referral-list"), None),
        (url("employee-list"), None),
        (url("interview-list"), {"case": world.case.pk}),
    ]
    before = [queries_for(api, *args) for args in lists]
    for first_name in ("Jeanne", "Lucie"):
        case = open_case_for(world.worker, identity={**EMPLOYEE_IDENTITY, "first_name": first_name})
        records.interview_record(
            actor=world.worker.user,
            case=world.case,
            occurred_on=dt.date(2026, 3, 10),
            place="phone",
            duration_minutes=15,
        )
        referrals.consent_record(
            actor=world.worker.user,
            employee=case.employee,
            given_on=dt.date(2026, 3, 2),
            form="oral",
            referral=case.referral,
        )
    after = [queries_for(api, *args) for args in lists]
    assert after == before
