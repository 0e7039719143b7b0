"""Rows for the agenda: appointments, drop-in sessions, the calendar feed (issue 16).

Written from the access rules: the social worker keeps her own agenda and the medico-social
secretary the agendas of the workers of the teams she serves (feature `agenda`); every other
role is refused the screens (403). Builders give the worker her employment record and the
secretary a team she serves, with an appointment or a drop-in date in their agenda; POSTs
without a body redirect back with a message (302). The iCalendar feed answers at a secret
address only: an unknown token is absent (404) for everyone, signed in or not.
"""

import datetime as dt

from django.utils import timezone

from tests.url_rows import R, only

DESK = (R.SOCIAL_WORKER, R.SECRETARY)

ROWS = {
    "appointments:agenda": ("GET", None, only(*DESK)),
    "appointments:appointment_create": ("GET", "booking_desk", only(*DESK)),
    "appointments:appointment_detail": ("GET", "appointment_in_agenda", only(*DESK)),
    "appointments:appointment_cancel": ("POST", "appointment_in_agenda", only(*DESK, ok=302)),
    "appointments:appointment_missed": ("POST", "appointment_in_agenda", only(*DESK, ok=302)),
    "appointments:appointment_done": ("POST", "appointment_in_agenda", only(*DESK, ok=302)),
    "appointments:reminder_withdraw": ("POST", "appointment_in_agenda", only(*DESK, ok=302)),
    "appointments:drop_in_list": ("GET", None, only(*DESK)),
    "appointments:drop_in_create": ("GET", "booking_desk", only(*DESK)),
    "appointments:occurrence_cancel": ("POST", "occurrence_in_agenda", only(*DESK, ok=302)),
    "appointments:calendar_feed": ("GET", "booking_desk", only(R.SOCIAL_WORKER)),
    "appointments:calendar_ics": ("GET", "unknown_feed", only(ok=404, others=404, anon=404)),
    # The administrator sets the teams each secretary serves (she manages the teams).
    "appointments:secretary_teams": ("GET", None, only(R.ADMIN)),
    # The API: the same roles, 401 in JSON signed out.
    "api:appointment-list": ("GET", None, only(*DESK, anon=401)),
    "api:appointment-detail": ("GET", "appointment_in_agenda", only(*DESK, anon=401)),
    "api:appointment-cancel": ("POST", "appointment_in_agenda", only(*DESK, anon=401)),
    "api:appointment-missed": ("POST", "appointment_in_agenda", only(*DESK, ok=400, anon=401)),
    "api:appointment-done": (
        "POST",
        "appointment_in_agenda",
        only(R.SOCIAL_WORKER, ok=400, anon=401) | {R.SECRETARY: 400},
    ),
}


def _desk(user):
    """The worker whose agenda the signed-in user keeps (a stranger's for other roles)."""
    from polesocial.appointments.models import SecretaryTeam
    from tests.factories import SocialWorkerFactory

    role = getattr(user, "role", None)
    if role == R.SOCIAL_WORKER:
        return SocialWorkerFactory(user=user)
    worker = SocialWorkerFactory()
    if role == R.SECRETARY:
        SecretaryTeam.objects.create(secretary=user, team=worker.team)
    return worker


def _booking_desk(user):
    _desk(user)
    return {}


def _appointment_in_agenda(user):
    from polesocial.appointments.models import Appointment
    from tests.factories import EmployerFactory

    worker = _desk(user)
    start = timezone.now() + dt.timedelta(days=2)
    appointment = Appointment.objects.create(
        worker=worker,
        employer=EmployerFactory(team=worker.team),
        person_name="Éloïse Dupont-Lefèvre",
        start=start,
        end=start + dt.timedelta(minutes=45),
        place="operator_office",
        booked_by=worker.user,
        reminder_consent_on=timezone.localdate(),
    )
    return {"pk": appointment.pk}


def _occurrence_in_agenda(user):
    from polesocial.appointments.models import DropInOccurrence, DropInSession
    from tests.factories import EmployerFactory

    worker = _desk(user)
    start = timezone.now() + dt.timedelta(days=3)
    session = DropInSession.objects.create(
        worker=worker,
        employer=EmployerFactory(team=worker.team),
        site="Mairie, salle 2",
        starts_on=start.date(),
        ends_on=start.date(),
        start_time=dt.time(9),
        end_time=dt.time(12),
        recurrence="once",
        created_by=worker.user,
    )
    occurrence = DropInOccurrence.objects.create(
        session=session, worker=worker, start=start, end=start + dt.timedelta(hours=3)
    )
    return {"pk": occurrence.pk}


BUILDERS = {
    "booking_desk": _booking_desk,
    "appointment_in_agenda": _appointment_in_agenda,
    "occurrence_in_agenda": _occurrence_in_agenda,
    "unknown_feed": lambda user: {"token": "inconnu"},
}
