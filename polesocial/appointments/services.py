"""Every write of appointments and drop-in sessions: rules, transaction, journal.

The rules (appointments.rules) are checked here, so the screen, the API and the commands
refuse alike with the same French message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from polesocial.appointments import rules
from polesocial.appointments.enums import AppointmentStatus
from polesocial.appointments.models import (
    Appointment,
    CalendarFeed,
    DropInOccurrence,
    DropInSession,
    SecretaryTeam,
)
from polesocial.appointments.permissions import (
    is_worker_of,
    may_book,
    may_book_for,
    may_change_status,
)
from polesocial.billing.enums import TimeKind, TimeSource
from polesocial.billing.services.time_entries import time_sync
from polesocial.casework.enums import InterviewPlace
from polesocial.organisations.models import Employer, Replacement, SocialWorker
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role

if TYPE_CHECKING:
    from polesocial.casework.models import Case
    from polesocial.users.models import User


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _absent_on(worker: SocialWorker, day: dt.date) -> bool:
    return Replacement.objects.filter(absent=worker, starts_on__lte=day, ends_on__gte=day).exists()


def _worker_busy(
    worker: SocialWorker,
    start: dt.datetime,
    end: dt.datetime,
    *,
    within: DropInOccurrence | None = None,
    ignore_occurrences_of: DropInSession | None = None,
) -> bool:
    """True when the worker has a planned (or held) appointment, or a drop-in session other
    than `within`, between `start` and `end`."""
    appointments = Appointment.objects.filter(worker=worker).busy().overlapping(start, end)
    occurrences = DropInOccurrence.objects.filter(worker=worker).held().overlapping(start, end)
    if within is not None:
        occurrences = occurrences.exclude(pk=within.pk)
    if ignore_occurrences_of is not None:
        occurrences = occurrences.exclude(session=ignore_occurrences_of)
    return appointments.exists() or occurrences.exists()


def check_slot(
    *,
    worker: SocialWorker,
    employer: Employer,
    start: dt.datetime,
    end: dt.datetime,
    occurrence: DropInOccurrence | None = None,
) -> None:
    """The time rules of a booking: not in the past, not on a public holiday, not during
    the worker's absence, within the drop-in session's hours, no overlap."""
    day = timezone.localtime(start).date()
    errors: list[str] = []
    if start < timezone.now():
        errors.append(rules.PAST)
    if error := rules.duration_error(start, end):
        errors.append(error)
    elif timezone.localtime(end).date() != day:
        errors.append(rules.ONE_DAY)
    postcode = occurrence.session.employer.postcode if occurrence else employer.postcode
    if error := rules.holiday_error(day, rules.subdivision_of(postcode)):
        errors.append(error)
    if _absent_on(worker, day):
        errors.append(rules.ABSENT.format(day=f"{day:%d/%m/%Y}"))
    if occurrence is not None and not (occurrence.start <= start and end <= occurrence.end):
        errors.append(
            rules.OUTSIDE_HOURS.format(
                start=f"{timezone.localtime(occurrence.start):%H:%M}",
                end=f"{timezone.localtime(occurrence.end):%H:%M}",
            )
        )
    if not errors and _worker_busy(worker, start, end, within=occurrence):
        errors.append(rules.OVERLAP)
    if errors:
        raise ValidationError({"start": errors})


def _check_bookable(actor: User, worker: SocialWorker, employer: Employer) -> None:
    if not may_book(actor, worker):
        raise ValidationError({"worker": rules.NOT_YOURS})
    if not may_book_for(actor, employer):
        raise ValidationError({"employer": rules.NOT_YOUR_EMPLOYER})


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    worker: SocialWorker,
    employer: Employer,
    start: dt.datetime,
    duration_minutes: int,
    place: str,
    person_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    video_link: str = "",
    employee_on_leave: bool = False,
    occurrence: DropInOccurrence | None = None,
    case: Case | None = None,
    reminder_consent: bool = False,
) -> Appointment:
    """Book an appointment for `worker` (by herself, or a secretary of her team), for an
    employer of the booker's teams (privacy.scopes "booking", as the screen offers)."""
    _check_bookable(actor, worker, employer)
    # Serialise the bookings of one worker: two at once cannot both pass the overlap rule.
    SocialWorker.objects.select_for_update().filter(pk=worker.pk).first()
    errors = rules.place_errors(
        place=place, employee_on_leave=employee_on_leave, video_link=video_link
    )
    if occurrence is not None and place != InterviewPlace.DROP_IN_SITE:
        errors["place"] = rules.DROP_IN_PLACE
    if occurrence is None and place == InterviewPlace.DROP_IN_SITE:
        errors["occurrence"] = rules.NOT_DROP_IN
    if occurrence is not None and occurrence.worker_id != worker.pk:
        errors["occurrence"] = rules.NOT_DROP_IN
    if errors:
        raise ValidationError(errors)
    end = start + dt.timedelta(minutes=duration_minutes)
    check_slot(worker=worker, employer=employer, start=start, end=end, occurrence=occurrence)
    appointment = Appointment(
        worker=worker,
        employer=employer,
        employee=case.employee if case is not None else None,
        case=case,
        person_name=person_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        start=start,
        end=end,
        place=place,
        video_link=video_link.strip() if place == InterviewPlace.VIDEO else "",
        employee_on_leave=employee_on_leave,
        occurrence=occurrence,
        booked_by=actor,
        reminder_consent_on=timezone.localdate() if reminder_consent else None,
    )
    appointment.full_clean(exclude=["interview"])
    appointment.save()
    audit_log(
        actor=actor,
        action=AuditAction.APPOINTMENT_BOOK,
        target=appointment,
        subject=case,
    )
    return appointment


def _check_planned(appointment: Appointment) -> None:
    if appointment.status != AppointmentStatus.PLANNED:
        status = appointment.get_status_display().lower()
        raise ValidationError(rules.NOT_PLANNED.format(status=status))


def _set_status(actor: User, appointment: Appointment, status: str, action) -> Appointment:
    appointment.status = status
    appointment.status_changed_by = actor
    appointment.status_changed_at = timezone.now()
    appointment.save(update_fields=["status", "status_changed_by", "status_changed_at"])
    audit_log(actor=actor, action=action, target=appointment, subject=appointment.case)
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment) -> Appointment:
    """Cancel a planned appointment (its worker or a secretary of her team): the row stays,
    with who cancelled and when, and it is counted in the annual report."""
    if not may_change_status(actor, appointment):
        raise ValidationError(rules.NOT_YOURS)
    _check_planned(appointment)
    return _set_status(
        actor, appointment, AppointmentStatus.CANCELLED, AuditAction.APPOINTMENT_CANCEL
    )


@transaction.atomic
def appointment_mark_missed(*, actor: User, appointment: Appointment) -> Appointment:
    """The employee did not come (worker or secretary), once its time has come."""
    if not may_change_status(actor, appointment):
        raise ValidationError(rules.NOT_YOURS)
    _check_planned(appointment)
    if appointment.start > timezone.now():
        raise ValidationError(rules.NOT_YET)
    return _set_status(actor, appointment, AppointmentStatus.MISSED, AuditAction.APPOINTMENT_MISSED)


@transaction.atomic
def appointment_mark_done(*, actor: User, appointment: Appointment) -> Appointment:
    """Only the worker marks it done; she then records the interview on the case (its form
    is pre-filled from the appointment, and the consent rule of case work applies there)."""
    if not is_worker_of(actor, appointment):
        raise ValidationError(rules.ONLY_WORKER_DONE)
    _check_planned(appointment)
    if appointment.start > timezone.now():
        raise ValidationError(rules.NOT_YET)
    return _set_status(actor, appointment, AppointmentStatus.DONE, AuditAction.APPOINTMENT_DONE)


def interview_prefill_query(appointment: Appointment) -> dict:
    """The query string that pre-fills the interview form of the case after an appointment
    done (read by casework.views.case_records)."""
    return {
        "date": timezone.localtime(appointment.start).date().isoformat(),
        "lieu": appointment.place,
        "duree": appointment.duration_minutes,
        "employeur": appointment.employer_id,
    }


@transaction.atomic
def reminder_consent_withdraw(*, actor: User, appointment: Appointment) -> Appointment:
    """The employee no longer wants reminders: kept with its date, never sent again."""
    if not may_change_status(actor, appointment):
        raise ValidationError(rules.NOT_YOURS)
    if appointment.wants_reminder:
        appointment.reminder_withdrawn_on = timezone.localdate()
        appointment.save(update_fields=["reminder_withdrawn_on"])
        audit_log(actor=actor, action=AuditAction.REMINDER_CONSENT_WITHDRAW, target=appointment)
    return appointment


# --- Drop-in sessions ---------------------------------------------------------------------


@transaction.atomic
def drop_in_session_create(
    *,
    actor: User,
    worker: SocialWorker,
    employer: Employer,
    site: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    start_time: dt.time,
    end_time: dt.time,
    recurrence: str,
    slot_minutes: int = 30,
    exceptions: list[dt.date] | None = None,
) -> DropInSession:
    """Schedule a drop-in session and its dates: public holidays of the employer's place
    and the worker's absences are left out; a date overlapping her agenda is refused."""
    _check_bookable(actor, worker, employer)
    ends_on = ends_on or starts_on
    errors: dict[str, str] = {}
    if starts_on < timezone.localdate():
        errors["starts_on"] = rules.PAST
    if ends_on < starts_on or (ends_on - starts_on).days > rules.MAX_SESSION_DAYS:
        errors["ends_on"] = rules.SESSION_SPAN
    if end_time <= start_time:
        errors["end_time"] = "La fin vient après le début."
    if errors:
        raise ValidationError(errors)
    subdivision = rules.subdivision_of(employer.postcode)
    days = [
        day
        for day in rules.recurrence_dates(
            starts_on, ends_on, recurrence, frozenset(exceptions or ())
        )
        if rules.holiday_name(day, subdivision) is None and not _absent_on(worker, day)
    ]
    if not days:
        raise ValidationError({"starts_on": rules.SESSION_NO_DATE})
    SocialWorker.objects.select_for_update().filter(pk=worker.pk).first()
    session = DropInSession(
        worker=worker,
        employer=employer,
        site=site.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        recurrence=recurrence,
        slot_minutes=slot_minutes,
        created_by=actor,
    )
    session.full_clean()
    session.save()
    for day in days:
        start, end = _aware(day, start_time), _aware(day, end_time)
        if _worker_busy(worker, start, end, ignore_occurrences_of=session):
            raise ValidationError({"starts_on": f"Le {day:%d/%m/%Y} : {rules.OVERLAP}"})
        DropInOccurrence.objects.create(session=session, worker=worker, start=start, end=end)
    audit_log(actor=actor, action=AuditAction.DROP_IN_CREATE, target=session)
    return session


@transaction.atomic
def drop_in_occurrence_cancel(*, actor: User, occurrence: DropInOccurrence) -> DropInOccurrence:
    """Make one date an exception of its session (kept, marked cancelled): refused while
    appointments are planned in it."""
    if not may_book(actor, occurrence.worker):
        raise ValidationError(rules.NOT_YOURS)
    if occurrence.appointments.filter(status=AppointmentStatus.PLANNED).exists():
        raise ValidationError(rules.OCCURRENCE_HAS_APPOINTMENTS)
    if occurrence.cancelled_at is None:
        occurrence.cancelled_at = timezone.now()
        occurrence.save(update_fields=["cancelled_at"])
        audit_log(actor=actor, action=AuditAction.DROP_IN_CANCEL, target=occurrence)
        drop_in_time_record(occurrence=occurrence)
    return occurrence


def _interview_minutes(occurrence: DropInOccurrence) -> int:
    """The interviews the worker recorded at this drop-in site that day, for its employer:
    they carry their own time."""
    from polesocial.casework.models import Interview

    session = occurrence.session
    total = Interview.objects.filter(
        author__social_worker=occurrence.worker_id,
        occurred_on=occurrence.day,
        place=InterviewPlace.DROP_IN_SITE,
        employer=session.employer_id,
    ).aggregate(total=Sum("duration_minutes"))["total"]
    return total or 0


def drop_in_time_record(*, occurrence: DropInOccurrence, actor: User | None = None) -> list:
    """The session's time for its employer (time kind « Permanences »), once its day has
    come: its duration less the interviews recorded within it. A cancelled date has none."""
    rows = []
    if occurrence.cancelled_at is None and occurrence.day <= timezone.localdate():
        minutes = rules.remaining_minutes(occurrence.minutes, _interview_minutes(occurrence))
        if minutes:
            rows = [(occurrence.session.employer_id, occurrence.day, TimeKind.DROP_IN, minutes)]
    return time_sync(
        actor=actor,
        worker=occurrence.worker,
        source=TimeSource.DROP_IN,
        source_id=occurrence.pk,
        rows=rows,
    )


CATCH_UP_DAYS = 31


def drop_in_time_record_until(day: dt.date) -> int:
    """Record the time of the held drop-in dates of the month up to `day` (the daily task,
    which may have missed a few days); later interviews keep it in step (signals). How many.
    """
    since = day - dt.timedelta(days=CATCH_UP_DAYS)
    occurrences = DropInOccurrence.objects.held().filter(
        start__date__lte=day, start__date__gte=since
    )
    count = 0
    for occurrence in occurrences.select_related("session", "worker"):
        with transaction.atomic():
            drop_in_time_record(occurrence=occurrence)
        count += 1
    return count


def drop_in_time_after_interview(*, worker_id: int, day: dt.date, employer_id: int) -> None:
    """An interview at a drop-in site changed: recompute that day's session time."""
    occurrences = DropInOccurrence.objects.held().filter(
        worker_id=worker_id, session__employer_id=employer_id
    )
    for occurrence in occurrences.select_related("session", "worker"):
        if occurrence.day == day:
            drop_in_time_record(occurrence=occurrence)


# --- Calendar feed ------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_renew(*, actor: User, worker: SocialWorker) -> str:
    """A new secret address for the worker's calendar (the former one stops working); the
    token is returned once, only its hash is kept."""
    token = secrets.token_urlsafe(32)
    feed, _ = CalendarFeed.objects.get_or_create(worker=worker)
    feed.token_hash = token_hash(token)
    feed.revoked_at = None
    feed.created_at = timezone.now()
    feed.save()
    audit_log(actor=actor, action=AuditAction.CALENDAR_FEED_RENEW, target=feed)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: User, worker: SocialWorker) -> None:
    feed = CalendarFeed.objects.filter(worker=worker).first()
    if feed is not None and feed.token_hash:
        feed.token_hash = None
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["token_hash", "revoked_at"])
        audit_log(actor=actor, action=AuditAction.CALENDAR_FEED_REVOKE, target=feed)


@transaction.atomic
def calendar_feed_set_initials(*, actor: User, worker: SocialWorker, show: bool) -> None:
    feed, _ = CalendarFeed.objects.get_or_create(worker=worker)
    feed.show_initials = show
    feed.save(update_fields=["show_initials"])


# --- Reminders ----------------------------------------------------------------------------

REMINDER_SUBJECT = "Rappel de votre rendez-vous du {day}"
REMINDER_TEXT = (
    "Bonjour,\n\n"
    "Nous vous rappelons votre rendez-vous avec le service social le {day} à {time} "
    "({place}).\n\n"
    "En cas d'empêchement, merci de prévenir le secrétariat du service social.\n\n"
    "Vous recevez ce message parce que vous avez accepté les rappels lors de la prise de "
    "rendez-vous ; dites-le au secrétariat pour ne plus en recevoir."
)


def reminders_due(day: dt.date):
    """Planned appointments on `day` whose employee agreed to a reminder not yet sent."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return (
        Appointment.objects.filter(
            status=AppointmentStatus.PLANNED,
            reminder_consent_on__isnull=False,
            reminder_withdrawn_on__isnull=True,
            reminder_sent_at__isnull=True,
        )
        .between(start, start + dt.timedelta(days=1))
        .select_related("occurrence__session")
    )


def reminder_text(appointment: Appointment) -> tuple[str, str]:
    """The subject and body of a reminder: day, time and place — never a domain, a reason
    or the worker's notes (an e-mail box is not the social service's)."""
    start = timezone.localtime(appointment.start)
    place = appointment.get_place_display().lower()
    if appointment.occurrence is not None:
        place = f"{place} : {appointment.occurrence.session.site}"
    elif appointment.video_link:
        place = f"{place} : {appointment.video_link}"
    day = f"{start:%d/%m/%Y}"
    return (
        REMINDER_SUBJECT.format(day=day),
        REMINDER_TEXT.format(day=day, time=f"{start:%H:%M}", place=place),
    )


def _sms_send(phone: str, text: str) -> None:
    from django.conf import settings
    from django.utils.module_loading import import_string

    if settings.APPOINTMENT_SMS_BACKEND and phone:
        import_string(settings.APPOINTMENT_SMS_BACKEND)(phone, text)


def reminders_send(*, day: dt.date, wet_run: bool) -> int:
    """Send the reminders of `day`'s appointments (the day before, by the daily task): by
    e-mail, and by SMS when a hook is configured; each one once. How many."""
    from django.core.mail import send_mail

    due = list(reminders_due(day))
    if not wet_run:
        return len(due)
    sent = []
    for appointment in due:
        subject, body = reminder_text(appointment)
        if appointment.contact_email:
            send_mail(subject, body, None, [appointment.contact_email])
        _sms_send(appointment.contact_phone, body)
        Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=timezone.now())
        sent.append(appointment)
    if sent:
        audit_log(actor=None, action=AuditAction.REMINDER_SEND, targets=sent)
    return len(sent)


# --- The secretary's teams ----------------------------------------------------------------

NOT_SECRETARY = "Ce compte n'est pas celui d'un secrétariat médico-social."


@transaction.atomic
def secretary_teams_set(*, actor: User, secretary: User, teams) -> None:
    """The teams whose workers a medico-social secretary books for (set by the
    administrator, who manages the teams)."""
    if secretary.role != Role.SECRETARY:
        raise ValidationError({"secretary": NOT_SECRETARY})
    teams = list(teams)
    SecretaryTeam.objects.filter(secretary=secretary).exclude(team__in=teams).delete()
    for team in teams:
        SecretaryTeam.objects.get_or_create(secretary=secretary, team=team)
    audit_log(
        actor=actor,
        action=AuditAction.SECRETARY_TEAMS_SET,
        target=secretary,
        detail={"teams": sorted(t.pk for t in teams)},
    )
