"""Demo data: a month of the secretary's desk around the reference date.

Drop-in sessions at three employers (weekly, every other week, monthly), slots booked in
them, appointments at the office, by phone and by video, some cancelled or missed before
the reference date, planned ones after it, a few with reminders agreed. The secretary
serves every team. Idempotent: nothing is added when drop-in sessions already exist.
The records are made directly (past dates would be refused by the booking rules, which is
right for a person and wrong for a history); the time of past drop-in dates is recorded
through the service, as the daily task does.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from polesocial.appointments import rules, services
from polesocial.appointments.enums import AppointmentStatus, Recurrence
from polesocial.appointments.models import (
    Appointment,
    DropInOccurrence,
    DropInSession,
    SecretaryTeam,
)
from polesocial.casework.enums import InterviewPlace
from polesocial.casework.models import Case
from polesocial.organisations.models import Team
from polesocial.users.enums import Role
from polesocial.users.models import User

SEED = 16
NAMES = [
    "Laurence Petit", "Karim Mansouri", "Sandrine Leroy", "Yannick Joseph", "Fatou Diallo",
    "Bruno Lemoine", "Céline Marchand", "Didier Bernard", "Agnès Fontaine", "Mickaël Robin",
    "Nathalie Chevalier", "Stéphane Gauthier", "Josiane Clément", "Rodrigue Séraphin",
    "Véronique Perrin", "Hervé Mathieu", "Élodie Rey", "Patrice Lucas", "Sylvie Barbier",
    "Thierry Noël",
]  # fmt: skip
# (weekday, start hour, end hour, recurrence) of the three drop-in sessions.
SESSIONS = [
    (1, 9, 12, Recurrence.WEEKLY),  # Tuesday morning
    (3, 14, 17, Recurrence.FORTNIGHTLY),  # Thursday afternoon, every other week
    (0, 9, 12, Recurrence.MONTHLY),  # Monday morning, the same week each month
]
OFFICE_PLACES = [InterviewPlace.OPERATOR_OFFICE, InterviewPlace.PHONE, InterviewPlace.VIDEO]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _first_weekday(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def _status(start: dt.datetime, reference: dt.datetime, rng: random.Random) -> str:
    if start >= reference:
        return AppointmentStatus.CANCELLED if rng.random() < 0.08 else AppointmentStatus.PLANNED
    draw = rng.random()
    if draw < 0.12:
        return AppointmentStatus.CANCELLED
    if draw < 0.22:
        return AppointmentStatus.MISSED
    return AppointmentStatus.DONE


def _appointment(worker, employer, start, minutes, place, secretary, reference, rng, **extra):
    name = rng.choice(NAMES)
    status = _status(start, reference, rng)
    consent = rng.random() < 0.4
    return Appointment(
        worker=worker,
        employer=employer,
        person_name=name,
        contact_email=f"{name.split()[0].lower()}@example.org" if consent else "",
        contact_phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        place=place,
        video_link="https://visio.example.org/rdv" if place == InterviewPlace.VIDEO else "",
        status=status,
        booked_by=extra.pop("booked_by", secretary),
        # What was recorded happened by the demo's « today »: only the meeting may lie ahead.
        booked_at=min(start - dt.timedelta(days=rng.randint(2, 15)), reference),
        status_changed_by=secretary if status != AppointmentStatus.PLANNED else None,
        status_changed_at=min(start, reference) if status != AppointmentStatus.PLANNED else None,
        reminder_consent_on=(
            min(start - dt.timedelta(days=7), reference).date() if consent else None
        ),
        **extra,
    )


def _hosts(teams) -> list[tuple]:
    """Three employers, taken in turn from each team, with a worker of their team."""
    queues = [list(t.employers.order_by("name", "pk")) for t in teams]
    hosts = []
    while len(hosts) < len(SESSIONS) and any(queues):
        for team, queue in zip(teams, queues, strict=True):
            if queue and len(hosts) < len(SESSIONS):
                workers = list(team.workers.order_by("pk"))
                hosts.append((queue.pop(0), workers[len(hosts) % len(workers)]))
    return hosts


def _sessions(teams, first: dt.date, last: dt.date, secretary) -> list[DropInSession]:
    sessions = []
    for (employer, worker), (weekday, start, end, recurrence) in zip(
        _hosts(teams), SESSIONS, strict=False
    ):
        starts_on = _first_weekday(first, weekday)
        session = DropInSession.objects.create(
            worker=worker, employer=employer,
            site=f"{employer.name} — salle de réunion du rez-de-chaussée",
            starts_on=starts_on, ends_on=last, start_time=dt.time(start),
            end_time=dt.time(end), recurrence=recurrence, slot_minutes=45, created_by=secretary,
        )  # fmt: skip
        subdivision = rules.subdivision_of(employer.postcode)
        for day in rules.recurrence_dates(starts_on, last, recurrence):
            if rules.holiday_name(day, subdivision) is None:
                DropInOccurrence.objects.create(
                    session=session, worker=worker, start=_aware(day, start), end=_aware(day, end)
                )
        sessions.append(session)
    return sessions


def load(reference_date: dt.date) -> None:
    if DropInSession.objects.exists():
        return
    secretary = User.objects.filter(role=Role.SECRETARY).order_by("pk").first()
    teams = [t for t in Team.objects.order_by("pk") if t.workers.exists() and t.employers.exists()]
    if secretary is None or not teams:
        return
    for team in teams:
        SecretaryTeam.objects.get_or_create(secretary=secretary, team=team)
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    reference = _aware(reference_date, 12)
    first = reference_date - dt.timedelta(days=reference_date.weekday() + 14)
    last = first + dt.timedelta(weeks=4, days=-1)
    sessions = _sessions(teams, first, last, secretary)
    rows = []
    for session in sessions:
        occurrences = session.occurrences.all()
        for occurrence in occurrences:
            slots = occurrence.minutes // session.slot_minutes
            for slot in sorted(rng.sample(range(slots), k=min(slots, rng.randint(1, 3)))):
                start = occurrence.start + dt.timedelta(minutes=slot * session.slot_minutes)
                rows.append(_appointment(
                    session.worker, session.employer, start, session.slot_minutes,
                    InterviewPlace.DROP_IN_SITE, secretary, reference, rng, occurrence=occurrence,
                ))  # fmt: skip
    busy = {
        (o.worker_id, timezone.localtime(o.start).date()) for o in DropInOccurrence.objects.all()
    }
    for team in teams[:2]:
        for worker in team.workers.order_by("pk")[:2]:
            employers = list(team.employers.order_by("name", "pk")[:4])
            cases = list(Case.objects.filter(worker=worker, status="open").order_by("pk")[:3])
            day = first
            while day <= last:
                if day.weekday() < 5 and (worker.pk, day) not in busy and rng.random() < 0.6:
                    if rules.holiday_name(day, None) is None:
                        start = _aware(day, rng.choice([10, 14, 15]), rng.choice([0, 30]))
                        extra = {}
                        if cases and rng.random() < 0.3:
                            case = rng.choice(cases)
                            extra = {"case": case, "employee": case.employee,
                                     "booked_by": worker.user}  # fmt: skip
                        rows.append(_appointment(
                            worker, rng.choice(employers), start, 45, rng.choice(OFFICE_PLACES),
                            secretary, reference, rng, **extra,
                        ))  # fmt: skip
                day += dt.timedelta(days=1)
    Appointment.objects.bulk_create(rows)
    for occurrence in DropInOccurrence.objects.filter(start__lt=reference).select_related(
        "session", "worker"
    ):
        services.drop_in_time_record(occurrence=occurrence)
