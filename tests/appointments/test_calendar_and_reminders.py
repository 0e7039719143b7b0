"""The iCalendar feed at its secret address, and the reminders of the day before."""

import datetime as dt
import re
from io import StringIO

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from polesocial.appointments import services
from polesocial.appointments.models import Appointment
from tests.appointments.helpers import Desk, at, booking
from tests.conftest import sign_in
from tests.factories import open_case_for

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 9)


def feed_url(client, worker) -> str:
    sign_in(client, worker.user)
    page = client.post(reverse("appointments:calendar_feed"), {"action": "renouveler"})
    return re.search(r"<code>https?://[^/]+([^<]+)</code>", page.content.decode()).group(1)


def events(client, url) -> list:
    client.logout()  # a calendar application, not a signed-in browser
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_parses_and_names_no_one_by_default_initials_on_request(client, clock):
    desk = Desk()
    services.appointment_book(**booking(desk, at(MONDAY, 10)))
    services.drop_in_session_create(
        actor=desk.secretary, worker=desk.worker, employer=desk.employer, site="Mairie, salle 2",
        starts_on=MONDAY, ends_on=MONDAY, start_time=dt.time(14), end_time=dt.time(17),
        recurrence="once",
    )  # fmt: skip
    url = feed_url(client, desk.worker)
    found = {str(e["summary"]): e for e in events(client, url)}
    assert set(found) == {"Entretien", "Permanence"}
    assert found["Entretien"].decoded("dtstart") == at(MONDAY, 10)
    assert "Mairie, salle 2" in str(found["Permanence"]["location"])
    body = client.get(url).content.decode()
    assert "Dupont" not in body and "Éloïse" not in body and "eloise@" not in body

    sign_in(client, desk.worker.user)
    client.post(
        reverse("appointments:calendar_feed"), {"action": "initiales", "show_initials": "on"}
    )
    summaries = {str(e["summary"]) for e in events(client, url)}
    assert "Entretien É.D." in summaries


def test_a_revoked_or_renewed_address_stops_working(client, clock):
    desk = Desk()
    first = feed_url(client, desk.worker)
    second = feed_url(client, desk.worker)
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    sign_in(client, desk.worker.user)
    client.post(reverse("appointments:calendar_feed"), {"action": "revoquer"})
    client.logout()
    assert client.get(second).status_code == 404


def test_reminders_go_the_day_before_only_with_consent_and_name_no_domain_or_reason(clock):
    desk = Desk()
    case = open_case_for(desk.worker, employer=desk.employer)
    agreed = services.appointment_book(
        **booking(desk, at(MONDAY, 10), actor=desk.worker.user, case=case, reminder_consent=True)
    )
    services.appointment_book(**booking(desk, at(MONDAY, 11), contact_email="non@example.org"))
    withdrawn = services.appointment_book(
        **booking(desk, at(MONDAY, 14), contact_email="retire@example.org", reminder_consent=True)
    )
    services.reminder_consent_withdraw(actor=desk.secretary, appointment=withdrawn)

    out = StringIO()
    call_command("appointments_daily", "--date=2026-03-08", stdout=out)
    assert "Simulation : 1 rappel(s)" in out.getvalue() and not mail.outbox
    call_command("appointments_daily", "--date=2026-03-08", "--wet-run", stdout=out)
    call_command("appointments_daily", "--date=2026-03-08", "--wet-run", stdout=out)  # once

    (message,) = mail.outbox
    assert message.to == ["eloise@example.org"]
    assert "09/03/2026 à 10:00" in message.body
    for secret in ("budget", "logement", "loyer", "Difficultés", desk.worker.user.last_name):
        assert secret.lower() not in (message.subject + message.body).lower()
    agreed.refresh_from_db()
    assert agreed.reminder_sent_at is not None
    assert Appointment.objects.filter(reminder_sent_at__isnull=False).count() == 1


def test_the_sms_hook_is_called_when_configured(clock, settings):
    sent = []
    settings.APPOINTMENT_SMS_BACKEND = "tests.appointments.test_calendar_and_reminders.fake_sms"
    FAKE.append(sent)
    desk = Desk()
    services.appointment_book(
        **booking(desk, at(MONDAY, 10), contact_phone="0696 00 00 00", reminder_consent=True)
    )
    services.reminders_send(day=MONDAY, wet_run=True)
    assert sent == [("0696 00 00 00", services.reminder_text(Appointment.objects.get())[1])]


FAKE: list = []


def fake_sms(phone, text):
    FAKE[-1].append((phone, text))
