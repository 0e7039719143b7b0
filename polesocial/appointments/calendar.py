"""A worker's iCalendar feed (RFC 5545, `icalendar` library) at a secret address.

By default an event says « Entretien », the place and the time — no employee name (a
calendar synced to a phone leaves the social service's protection). The worker may opt in
to the employee's initials. Drop-in sessions are « Permanence » with the employer's site.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.utils import timezone

from polesocial.appointments.models import Appointment, CalendarFeed, DropInOccurrence
from polesocial.appointments.services import token_hash

PAST_DAYS = 30
FUTURE_DAYS = 366


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("worker__user")
        .first()
    )


def _event(uid: str, summary: str, start, end, location: str, status: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{settings.ICAL_UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("status", status)
    return event


def feed_ics(feed: CalendarFeed) -> bytes:
    now = timezone.now()
    window = (now - dt.timedelta(days=PAST_DAYS), now + dt.timedelta(days=FUTURE_DAYS))
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Pôle social//Agenda//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Pôle social — mon agenda")
    appointments = (
        Appointment.objects.filter(worker=feed.worker, start__gte=window[0], start__lt=window[1])
        .busy()
        .select_related("employer", "occurrence__session")
    )
    for a in appointments:
        summary = f"Entretien {a.initials}" if feed.show_initials else "Entretien"
        location = a.get_place_display()
        if a.occurrence_id:
            location = f"{a.occurrence.session.site} ({a.employer.name})"
        cal.add_component(_event(f"rdv-{a.pk}", summary, a.start, a.end, location, "CONFIRMED"))
    occurrences = DropInOccurrence.objects.filter(
        worker=feed.worker, start__gte=window[0], start__lt=window[1]
    ).select_related("session__employer")
    for o in occurrences:
        status = "CANCELLED" if o.cancelled_at else "CONFIRMED"
        location = f"{o.session.site} ({o.session.employer.name})"
        cal.add_component(
            _event(f"permanence-{o.pk}", "Permanence", o.start, o.end, location, status)
        )
    return cal.to_ical()
