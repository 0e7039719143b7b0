"""The medico-social secretary's morning in the browser (issue 16).

She takes a call and records the referral on behalf of the caller, then sees only that it
was received; she books a slot of a drop-in session of a worker of her team and finds it on
her agenda; she opens nothing of any case, by screen or API: 404, as for an absent case.
The main screens are checked with axe, for CSP violations and script errors.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from polesocial.appointments import rules, services
from polesocial.appointments.models import Appointment, SecretaryTeam
from polesocial.casework.models import Referral
from polesocial.users.enums import Role
from tests.e2e.conftest import hand_session
from tests.e2e.helpers import check, heading, required
from tests.factories import (
    EmployerFactory,
    OperatorFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    open_case_for,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

EMPLOYER = "Commune de Saint-Pierre"
CALLER = "Roselyne Alexandre (encadrante)"
NOT_FOUND = "Page introuvable"


def _free_day() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() >= 5 or rules.holiday_name(day, "972"):
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def desk(transactional_db):
    OperatorFactory()
    team = TeamFactory(name="Équipe Nord Martinique")
    worker = SocialWorkerFactory(team=team, user__first_name="Lise", user__last_name="Ursulet")
    employer = EmployerFactory(team=team, name=EMPLOYER, postcode="97250")
    secretary = UserFactory(
        role=Role.SECRETARY, with_totp=True, first_name="Martine", last_name="Fournier"
    )
    SecretaryTeam.objects.create(secretary=secretary, team=team)
    day = _free_day()
    session = services.drop_in_session_create(
        actor=worker.user, worker=worker, employer=employer, site="Mairie annexe, salle 2",
        starts_on=day, ends_on=day, start_time=dt.time(9), end_time=dt.time(12),
        recurrence="once",
    )  # fmt: skip
    case = open_case_for(worker, employer=employer)
    return {"secretary": secretary, "worker": worker, "session": session, "case": case}


def test_the_secretary_takes_a_call_books_a_drop_in_slot_and_opens_no_case(
    page, live_server, console_messages, desk
):
    hand_session(page, live_server, desk["secretary"])

    # A call: a line manager worried about an agent. She records the referral for the caller.
    page.goto("/saisines/nouvelle/")
    check(page, console_messages, "secretaire-saisine")
    page.get_by_label("Employeur de l'agent").select_option(label=EMPLOYER)
    page.get_by_label("Origine de la demande").select_option(label="Un·e encadrant·e")
    required(page, "Nom de l'agent").fill("Jean-Baptiste")
    page.get_by_label("Prénom de l'agent").fill("Gérard")
    page.get_by_label("Motif de la demande").fill("Absences répétées, semble en difficulté.")
    page.get_by_label("Nom de la personne qui appelle").fill(CALLER)
    page.get_by_label("Ses coordonnées").fill("0596 00 00 00")
    page.get_by_role("button", name="Envoyer la saisine").click()
    expect(page.get_by_text("transmise au service social")).to_be_visible()
    referral = Referral.objects.get(created_by=desk["secretary"])
    expect(page.get_by_role("cell", name=referral.number)).to_be_visible()
    expect(page.get_by_text("Reçue", exact=True)).to_be_visible()
    expect(page.get_by_text("Absences répétées")).to_have_count(0)

    # The drop-in session of the worker: she books the first slot for the caller's agent.
    page.goto("/agenda/permanences/")
    check(page, console_messages, "secretaire-permanences")
    page.get_by_role("link", name="Réserver un créneau").click()
    expect(heading(page)).to_have_text("Prendre un rendez-vous")
    page.get_by_label("Nom et prénom de l'agent").fill("Gérard Jean-Baptiste")
    page.get_by_label("Téléphone").fill("0696 12 34 56")
    page.get_by_role("button", name="Prendre le rendez-vous").click()
    expect(page.get_by_text("Rendez-vous pris.")).to_be_visible()
    appointment = Appointment.objects.get()
    assert appointment.occurrence.session == desk["session"]
    assert appointment.booked_by == desk["secretary"]

    # Her agenda shows who, when, where.
    day = desk["session"].starts_on
    page.goto(f"/agenda/?date={day:%Y-%m-%d}")
    check(page, console_messages, "secretaire-agenda")
    expect(page.get_by_text("Rendez-vous : Gérard Jean-Baptiste")).to_be_visible()
    expect(page.get_by_text("Mairie annexe, salle 2").first).to_be_visible()

    # Nothing of any case: 404 as for an absent one, by screen and by API.
    case = desk["case"]
    for url in (f"/dossiers/{case.pk}/", f"/dossiers/{case.pk}/entretiens/", "/dossiers/999999/"):
        page.goto(url)
        expect(heading(page)).to_have_text(NOT_FOUND)
    response = page.request.get(f"/api/v1/cases/{case.pk}/")
    assert response.status == 404
