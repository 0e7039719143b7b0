"""The casework API, referrals: senders get a receipt and nothing else, integration tokens,
the worker's assessment and consent, silent matching.
"""

import json
import re

import pytest
from django.utils import timezone

from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.api.services import api_token_create
from polesocial.casework.models import Employee, Referral
from polesocial.casework.services import referrals
from polesocial.organisations.models import CounsellorInterim
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.api.conftest import bearer
from tests.casework.api_helpers import (
    FORBIDDEN,
    READERS,
    RECEIPT_KEYS,
    assess_body,
    assigned_referral,
    check_list_and_detail,
    url,
)
from tests.conftest import sign_in
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    SocialWorkerFactory,
    UserFactory,
    open_case_for,
)

pytestmark = pytest.mark.django_db
R = Role
TOKEN_FORBIDDEN = "Ce jeton d'intégration n'ouvre pas ce point d'accès."


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


# The secretary records referrals on behalf of callers (issue 16: intake by phone).
SENDERS = {R.EMPLOYER_CONTACT, R.PHYSICIAN, R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY}


@pytest.mark.parametrize("role", list(Role))
def test_sending_a_referral_by_role(api, role):
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    user = {R.SOCIAL_WORKER: worker.user, R.COUNSELLOR: worker.team.counsellor}.get(role)
    user = user or UserFactory(role=role)
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


def test_a_counsellor_posts_only_for_the_employers_of_the_teams_she_leads(api):
    """As the form offers them (privacy.scopes Employer "referral"): her team's, and those
    of a team whose counsellor's interim she holds today; another team's answers 404."""
    own, held, other = EmployerFactory(), EmployerFactory(), EmployerFactory()
    counsellor = own.team.counsellor
    today = timezone.localdate()
    CounsellorInterim.objects.create(
        team=held.team, absent=held.team.counsellor, interim=counsellor,
        starts_on=today, ends_on=today, created_by=counsellor,
    )  # fmt: skip
    sign_in(api.client, counsellor)
    body = {"source": "line_manager"}
    by_siret = {**referral_body(other, **body), "siret": other.siret}
    del by_siret["employer"]
    assert api.post(url("referral-list"), referral_body(other, **body)).status_code == 404
    assert api.post(url("referral-list"), by_siret).status_code == 404
    assert not Referral.objects.exists()
    for employer in (own, held):
        assert api.post(url("referral-list"), referral_body(employer, **body)).status_code == 201
    assert set(Referral.objects.values_list("employer", flat=True)) == {own.pk, held.pk}


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


# --- The worker's assessment and consent --------------------------------------------------


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
