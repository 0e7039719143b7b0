"""Two teams, their employers, workers and HR contacts; helpers that record through the
services, as the screens and the API do."""

import datetime as dt

import pytest

from polesocial.collective import services
from polesocial.organisations.models import Headcount
from polesocial.users.enums import Role
from tests.factories import (
    EmployerFactory,
    PartnerFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
)

YEAR = 2026


@pytest.fixture
def world(db):
    """Team A serves Saint-Aubin (headcount 50 in 2026) and Valmont (no headcount known);
    team B serves Brissac. Claire and Nadia work in team A, Sophie in team B."""
    team_a, team_b = TeamFactory(name="Nord"), TeamFactory(name="Sud")
    aubin = EmployerFactory(team=team_a, name="Commune de Saint-Aubin")
    valmont = EmployerFactory(team=team_a, name="Commune de Valmont")
    brissac = EmployerFactory(team=team_b, name="Commune de Brissac")
    Headcount.objects.create(employer=aubin, year=YEAR, total=50)
    Headcount.objects.create(employer=brissac, year=YEAR, total=30)
    contacts = {
        "aubin": UserFactory(role=Role.EMPLOYER_CONTACT, first_name="Céline"),
        "aubin_other": UserFactory(role=Role.EMPLOYER_CONTACT, first_name="Hugo"),
        "brissac": UserFactory(role=Role.EMPLOYER_CONTACT, first_name="Léa"),
    }
    aubin.accounts.add(contacts["aubin"], contacts["aubin_other"])
    brissac.accounts.add(contacts["brissac"])
    return {
        "team_a": team_a,
        "team_b": team_b,
        "aubin": aubin,
        "valmont": valmont,
        "brissac": brissac,
        "claire": SocialWorkerFactory(team=team_a),
        "nadia": SocialWorkerFactory(team=team_a),
        "sophie": SocialWorkerFactory(team=team_b),
        "contacts": contacts,
        "partner": PartnerFactory(name="CARSAT Centre"),
    }


def make_action(worker, employers, **fields):
    """employers: [(employer, attendance)]."""
    values = {
        "title": "Préparer sa retraite",
        "kind": "information_meeting",
        "theme": "retirement",
        "starts_on": dt.date(YEAR, 3, 10),
        "duration_minutes": 120,
        **fields,
    }
    return services.collective_action_create(
        actor=worker.user, worker=worker, employers=employers, **values
    )


def make_meeting(worker, employer, **fields):
    values = {
        "body": "clas",
        "held_on": dt.date(YEAR, 4, 2),
        "duration_minutes": 90,
        "topics": "Plan d'action sociale de l'année.",
        **fields,
    }
    return services.body_meeting_create(
        actor=worker.user, worker=worker, employer=employer, **values
    )


def make_alert(worker, employer, addressees, **fields):
    values = {
        "raised_on": dt.date(YEAR, 5, 4),
        "risk": "reorganisation",
        "description": "La fusion de deux services inquiète les équipes techniques.",
        **fields,
    }
    return services.alert_create(
        actor=worker.user, worker=worker, employer=employer, addressees=addressees, **values
    )


def known_employee(employer, first_name="Éloïse", last_name="Dupont-Lefèvre", *, followed_by):
    """An employee of `employer` whom the worker `followed_by` follows (a case of hers, as
    case work records one): the name check reads the employees the writer follows only."""
    from tests.factories import EMPLOYEE_IDENTITY, open_case_for

    identity = {**EMPLOYEE_IDENTITY, "first_name": first_name, "last_name": last_name}
    return open_case_for(followed_by, employer=employer, identity=identity).employee
