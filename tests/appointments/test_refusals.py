"""Overlap, past, holiday, outside-hours and absence: the same French refusal by the
service, the screen and the API."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from polesocial.appointments import rules, services
from polesocial.appointments.models import Appointment
from polesocial.organisations.models import Replacement
from tests.appointments.helpers import Desk, at, booking
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 9)


def _overlap(desk):
    services.appointment_book(**booking(desk, at(MONDAY, 10)))
    return {"start": at(MONDAY, 10, 15)}, rules.OVERLAP


def _past(desk):
    return {"start": at(dt.date(2026, 2, 27), 10)}, rules.PAST


def _holiday(desk):
    return {"start": at(dt.date(2026, 4, 6), 10)}, rules.HOLIDAY.format(
        day="06/04/2026", name="Lundi de Pâques"
    )


def _outside_hours(desk):
    occurrence = services.drop_in_session_create(
        actor=desk.secretary, worker=desk.worker, employer=desk.employer, site="Mairie",
        starts_on=MONDAY, ends_on=MONDAY, start_time=dt.time(9), end_time=dt.time(12),
        recurrence="once",
    ).occurrences.get()  # fmt: skip
    return (
        {"start": at(MONDAY, 11, 45), "place": "drop_in_site", "occurrence": occurrence},
        rules.OUTSIDE_HOURS.format(start="09:00", end="12:00"),
    )


def _absence(desk):
    Replacement.objects.create(
        absent=desk.worker, replacing=SocialWorkerFactory(team=desk.worker.team),
        starts_on=MONDAY, ends_on=MONDAY, created_by=desk.worker.team.counsellor,
    )  # fmt: skip
    return {"start": at(MONDAY, 10)}, rules.ABSENT.format(day="09/03/2026")


SCENARIOS = {
    "overlap": _overlap,
    "past": _past,
    "holiday": _holiday,
    "outside_hours": _outside_hours,
    "absence": _absence,
}


def _by_service(client, desk, data):
    with pytest.raises(ValidationError) as error:
        services.appointment_book(**data)
    return " ".join(error.value.messages)


def _by_screen(client, desk, data):
    sign_in(client, desk.secretary)
    start = data["start"].astimezone(at(MONDAY, 0).tzinfo)
    form = {
        "worker": desk.worker.pk,
        "person_name": data["person_name"],
        "employer": desk.employer.pk,
        "contact_email": data["contact_email"],
        "day": f"{start:%Y-%m-%d}",
        "time": f"{start:%H:%M}",
        "duration_minutes": data["duration_minutes"],
        "place": data["place"],
        "occurrence": data["occurrence"].pk if data.get("occurrence") else "",
    }
    response = client.post(reverse("appointments:appointment_create"), form)
    assert response.status_code == 200  # the form again, with the message beside the date
    return response.content.decode()


def _by_api(client, desk, data):
    sign_in(client, desk.secretary)
    body = {
        "worker": desk.worker.pk,
        "employer": desk.employer.pk,
        "start": data["start"].isoformat(),
        "duration_minutes": data["duration_minutes"],
        "place": data["place"],
        "person_name": data["person_name"],
    }
    if data.get("occurrence"):
        body["drop_in_date"] = data["occurrence"].pk
    response = client.post(reverse("api:appointment-list"), body, content_type="application/json")
    assert response.status_code == 400
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize(
    "channel", [_by_service, _by_screen, _by_api], ids=["service", "screen", "api"]
)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=list(SCENARIOS))
def test_a_refused_booking_says_the_same_thing_everywhere(client, clock, scenario, channel):
    desk = Desk()
    changes, message = SCENARIOS[scenario](desk)
    before = Appointment.objects.count()
    answer = channel(client, desk, booking(desk, changes.pop("start"), **changes))
    assert message.replace("'", "&#x27;") in answer or message in answer
    assert Appointment.objects.count() == before


def test_a_secretary_books_only_for_the_employers_of_the_teams_she_serves(client, clock):
    """She reads the whole register of employers, but books for her teams' only: the
    screen does not offer another team's employer, and the API and the service refuse it
    with the same French message (the API used to accept it)."""
    desk = Desk()
    elsewhere = EmployerFactory()  # served by another team
    data = booking(desk, at(MONDAY, 10), employer=elsewhere)
    with pytest.raises(ValidationError, match=rules.NOT_YOUR_EMPLOYER):
        services.appointment_book(**data)
    sign_in(client, desk.secretary)
    body = {
        "worker": desk.worker.pk,
        "employer": elsewhere.pk,
        "start": data["start"].isoformat(),
        "duration_minutes": 45,
        "place": "operator_office",
        "person_name": data["person_name"],
    }
    response = client.post(reverse("api:appointment-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert rules.NOT_YOUR_EMPLOYER in json.dumps(response.json(), ensure_ascii=False)
    form = client.get(reverse("appointments:appointment_create")).content.decode()
    assert desk.employer.name in form
    assert elsewhere.name not in form
    assert not Appointment.objects.exists()


def test_a_drop_in_session_is_held_only_for_an_employer_of_the_teams_served(clock):
    desk = Desk()
    with pytest.raises(ValidationError, match=rules.NOT_YOUR_EMPLOYER):
        services.drop_in_session_create(
            actor=desk.secretary, worker=desk.worker, employer=EmployerFactory(), site="Mairie",
            starts_on=MONDAY, ends_on=MONDAY, start_time=dt.time(9), end_time=dt.time(12),
            recurrence="once",
        )  # fmt: skip
