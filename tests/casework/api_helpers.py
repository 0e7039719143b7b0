"""What the casework API tests share: URLs, a worker's case and its readers, request bodies.

The `openapi`, `api` and `world` fixtures built on these live in tests/casework/conftest.py.
"""

import datetime as dt
from unittest import mock

from django.urls import reverse

from polesocial.casework.services import records, referrals
from polesocial.organisations.models import Replacement
from polesocial.users.enums import Role
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    SocialWorkerFactory,
    UserFactory,
    open_case_for,
)
from tests.organisations.test_api import SchemaClient

R = Role
FORBIDDEN = "Votre rôle ne donne pas accès à cette fonctionnalité."

RECEIPT_KEYS = {"number", "received_at", "status"}

REPLACEMENT = dt.date(2026, 7, 1), dt.date(2026, 7, 31)


class CaseworkSchemaClient(SchemaClient):
    """Literal paths first: /referrals/sent/ would otherwise match /referrals/{id}/."""

    def _operation(self, method, url):
        item = self.openapi["paths"].get(url)
        return item[method] if item is not None else super()._operation(method, url)


def url(name, pk=None):
    return reverse(f"api:{name}", kwargs={"pk": pk} if pk is not None else None)


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def on(day):
    """Today is `day` for the scope table, the services and the views."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


# --- A case of one worker, and everyone who might try to read it --------------------------


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


# --- Request bodies and a referral assigned to a worker -----------------------------------


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
