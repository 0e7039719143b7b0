"""The secretary's desk and the worker's agenda, through the screens."""

import datetime as dt

import pytest
from django.urls import reverse

from polesocial.appointments import services
from polesocial.appointments.models import Appointment
from polesocial.casework.models import Referral
from tests.appointments.helpers import Desk, at, booking
from tests.conftest import sign_in
from tests.factories import open_case_for

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 9)


def test_the_secretary_takes_a_call_and_then_sees_only_that_the_referral_was_received(client):
    desk = Desk()
    sign_in(client, desk.secretary)
    page = client.get(reverse("casework:referral_create")).content.decode()
    assert "Nom de la personne qui appelle" in page
    response = client.post(
        reverse("casework:referral_create"),
        {
            "employer": desk.employer.pk,
            "source": "line_manager",
            "person_last_name": "Martin",
            "person_first_name": "Jules",
            "reason": "Son encadrante s'inquiète de retards de loyer.",
            "urgency": "normal",
            "referrer_name": "Claire Vidal (encadrante)",
            "referrer_contact": "01 02 03 04 05",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.created_by == desk.secretary and referral.source == "line_manager"
    receipts = client.get(reverse("casework:referral_sent")).content.decode()
    assert referral.number in receipts and "Reçue" in receipts
    assert "loyer" not in receipts and "Martin" not in receipts


def test_the_secretary_opens_nothing_of_a_case(client):
    desk = Desk()
    case = open_case_for(desk.worker, employer=desk.employer)
    sign_in(client, desk.secretary)
    for name in ("casework:case_detail", "casework:case_interviews", "casework:case_plan"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 404


def test_the_secretary_agenda_shows_who_when_where_and_never_the_case(client, clock):
    desk = Desk()
    case = open_case_for(desk.worker, employer=desk.employer)
    services.appointment_book(
        **booking(desk, at(MONDAY, 10), actor=desk.worker.user, case=case, place="phone")
    )
    sign_in(client, desk.secretary)
    page = client.get(reverse("appointments:agenda"), {"date": "2026-03-09"}).content.decode()
    assert "Éloïse Dupont-Lefèvre" in page and "10:00" in page and "Par téléphone" in page
    assert desk.worker.user.full_name in page
    for secret in ("Budget", "Logement", "Dettes de loyer", "Difficultés financières"):
        assert secret not in page


def test_the_secretary_books_a_drop_in_slot_from_the_list(client, clock):
    desk = Desk()
    occurrence = services.drop_in_session_create(
        actor=desk.secretary, worker=desk.worker, employer=desk.employer, site="Mairie, salle 2",
        starts_on=MONDAY, ends_on=MONDAY, start_time=dt.time(9), end_time=dt.time(12),
        recurrence="once",
    ).occurrences.get()  # fmt: skip
    sign_in(client, desk.secretary)
    listing = client.get(reverse("appointments:drop_in_list")).content.decode()
    assert "Mairie, salle 2" in listing and "0 / 6" in listing
    form_url = reverse("appointments:appointment_create") + f"?permanence={occurrence.pk}"
    form = client.get(form_url)
    assert form.context["form"].initial["place"] == "drop_in_site"
    response = client.post(
        form_url,
        {
            "worker": desk.worker.pk, "person_name": "Jules Martin", "employer": desk.employer.pk,
            "day": "2026-03-09", "time": "09:30", "duration_minutes": 30,
            "place": "drop_in_site", "occurrence": occurrence.pk,
        },
    )  # fmt: skip
    appointment = Appointment.objects.get()
    assert response.url == reverse("appointments:appointment_detail", args=[appointment.pk])
    assert appointment.occurrence == occurrence and appointment.booked_by == desk.secretary


def test_the_worker_marks_done_and_lands_on_the_case_interview_form_prefilled(client, clock):
    desk = Desk()
    case = open_case_for(desk.worker, employer=desk.employer)
    sign_in(client, desk.worker.user)
    response = client.post(
        reverse("appointments:appointment_create") + f"?dossier={case.pk}",
        {
            "worker": desk.worker.pk, "person_name": "Éloïse Dupont-Lefèvre",
            "employer": desk.employer.pk, "day": "2026-03-09", "time": "14:00",
            "duration_minutes": 50, "place": "workplace",
        },
    )  # fmt: skip
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and appointment.case == case
    clock.set(MONDAY, 16)
    sign_in(client, desk.worker.user)  # the afternoon: a new session
    done = client.post(reverse("appointments:appointment_done", args=[appointment.pk]))
    assert done.url.startswith(reverse("casework:case_interviews", args=[case.pk]))
    form = client.get(done.url).context["form"]
    assert form.initial["place"] == "workplace"
    assert form.initial["duration_minutes"] == 50
    assert form.initial["occurred_on"] == MONDAY
    client.post(
        reverse("casework:interview_create", args=[case.pk]),
        {
            "occurred_on": "2026-03-09", "place": "workplace", "duration_minutes": 50,
            "employer": desk.employer.pk, "notes": "",
        },
    )  # fmt: skip
    appointment.refresh_from_db()
    assert appointment.interview is not None and appointment.interview.duration_minutes == 50


def test_the_secretary_cannot_mark_an_appointment_done(client, clock):
    desk = Desk()
    appointment = services.appointment_book(**booking(desk, at(MONDAY, 10)))
    clock.set(MONDAY, 16)
    sign_in(client, desk.secretary)
    page = client.get(reverse("appointments:appointment_detail", args=[appointment.pk]))
    assert "Honoré : saisir l&#x27;entretien" not in page.content.decode()
    client.post(reverse("appointments:appointment_done", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == "planned"
    client.post(reverse("appointments:appointment_missed", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == "missed"


def test_a_secretary_of_another_team_finds_the_appointment_absent(client, clock):
    desk, other = Desk(), Desk()
    appointment = services.appointment_book(**booking(desk, at(MONDAY, 10)))
    sign_in(client, other.secretary)
    url = reverse("appointments:appointment_detail", args=[appointment.pk])
    assert client.get(url).status_code == 404


def test_the_administrator_sets_the_teams_a_secretary_serves(client):
    from polesocial.appointments.models import SecretaryTeam
    from polesocial.users.enums import Role
    from tests.factories import TeamFactory, UserFactory

    admin, secretary = UserFactory(role=Role.ADMIN), UserFactory(role=Role.SECRETARY)
    north, south = TeamFactory(name="Nord"), TeamFactory(name="Sud")
    sign_in(client, admin)
    url = reverse("appointments:secretary_teams")
    client.post(url, {"secretary": secretary.pk, "teams": [north.pk, south.pk]})
    client.post(url, {"secretary": secretary.pk, "teams": [south.pk]})
    assert list(SecretaryTeam.objects.values_list("team__name", flat=True)) == ["Sud"]
    page = client.post(url, {"secretary": admin.pk, "teams": [north.pk]}).content.decode()
    assert "Sélectionnez un choix valide" in page  # only secretaries are offered
