"""Booking rules, drop-in sessions and their time, as the services enforce them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from polesocial.appointments import rules, services
from polesocial.appointments.enums import AppointmentStatus
from polesocial.appointments.models import Appointment
from polesocial.billing import services as billing
from polesocial.billing.models import TimeEntry
from polesocial.casework.services import records
from polesocial.organisations.models import Replacement
from tests.appointments.helpers import Desk, at, booking
from tests.factories import ConventionFactory, SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db
D = dt.date
MONDAY = D(2026, 3, 9)


def refusal(data) -> list[str]:
    with pytest.raises(ValidationError) as error:
        services.appointment_book(**data)
    return error.value.messages


def weekly_session(desk, actor=None, **overrides):
    data = {
        "actor": actor or desk.secretary,
        "worker": desk.worker,
        "employer": desk.employer,
        "site": "Mairie annexe, salle 2",
        "starts_on": MONDAY,
        "ends_on": MONDAY + dt.timedelta(weeks=3),
        "start_time": dt.time(9),
        "end_time": dt.time(12),
        "recurrence": "weekly",
    }
    data.update(overrides)
    return services.drop_in_session_create(**data)


def test_the_secretary_books_for_a_worker_of_her_team_and_the_slot_is_then_taken(clock):
    desk = Desk()
    services.appointment_book(**booking(desk, at(MONDAY, 14)))
    assert refusal(booking(desk, at(MONDAY, 14, 30))) == [rules.OVERLAP]
    # Back to back is not an overlap.
    services.appointment_book(**booking(desk, at(MONDAY, 14, 45)))


def test_an_appointment_outside_a_drop_in_session_may_not_overlap_it(clock):
    desk = Desk()
    weekly_session(desk)
    assert refusal(booking(desk, at(MONDAY, 11, 30))) == [rules.OVERLAP]


def test_no_booking_in_the_past(clock):
    desk = Desk()
    assert refusal(booking(desk, at(D(2026, 3, 1), 10))) == [rules.PAST]


def test_no_booking_on_a_public_holiday_nor_on_the_martinique_one(clock):
    desk = Desk()
    message = rules.HOLIDAY.format(day="01/05/2026", name="Fête du Travail")
    assert refusal(booking(desk, at(D(2026, 5, 1), 10))) == [message]
    # 22 May, abolition of slavery: a holiday in Martinique, a working day in Paris.
    services.appointment_book(**booking(desk, at(D(2026, 5, 22), 10)))
    martinique = Desk(postcode="97200")
    (message,) = refusal(booking(martinique, at(D(2026, 5, 22), 10)))
    assert message.startswith("Le 22/05/2026 est un jour férié")


def test_no_booking_outside_the_drop_in_hours(clock):
    desk = Desk()
    occurrence = weekly_session(desk).occurrences.first()
    data = booking(desk, at(MONDAY, 11, 45), place="drop_in_site", occurrence=occurrence)
    assert refusal(data) == [rules.OUTSIDE_HOURS.format(start="09:00", end="12:00")]
    inside = booking(desk, at(MONDAY, 11, 15), place="drop_in_site", occurrence=occurrence)
    services.appointment_book(**inside)
    assert refusal({**inside, "start": at(MONDAY, 11)}) == [rules.OVERLAP]


def test_no_booking_during_the_workers_absence(clock):
    desk = Desk()
    Replacement.objects.create(
        absent=desk.worker,
        replacing=SocialWorkerFactory(team=desk.worker.team),
        starts_on=MONDAY,
        ends_on=MONDAY + dt.timedelta(days=4),
        created_by=desk.worker.team.counsellor,
    )
    assert refusal(booking(desk, at(MONDAY, 10))) == [rules.ABSENT.format(day="09/03/2026")]


def test_home_only_when_the_employee_is_on_leave_and_video_needs_a_link(clock):
    desk = Desk()
    assert refusal(booking(desk, at(MONDAY, 10), place="home")) == [rules.HOME_ON_LEAVE_ONLY]
    assert refusal(booking(desk, at(MONDAY, 10), place="video")) == [rules.VIDEO_LINK]
    services.appointment_book(**booking(desk, at(MONDAY, 10), place="home", employee_on_leave=True))


def test_a_secretary_books_only_for_the_workers_of_her_teams(clock):
    desk, other = Desk(), Desk()
    data = booking(desk, at(MONDAY, 10), actor=other.secretary)
    assert refusal(data) == [rules.NOT_YOURS]


def test_cancelling_keeps_the_history_and_frees_the_slot(clock):
    desk = Desk()
    appointment = services.appointment_book(**booking(desk, at(MONDAY, 10)))
    services.appointment_cancel(actor=desk.secretary, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.status_changed_by == desk.secretary
    services.appointment_book(**booking(desk, at(MONDAY, 10)))
    assert Appointment.objects.count() == 2
    with pytest.raises(ValidationError, match="annulé"):
        services.appointment_cancel(actor=desk.secretary, appointment=appointment)


def test_only_the_worker_marks_it_done_the_secretary_marks_it_missed(clock):
    desk = Desk()
    first = services.appointment_book(**booking(desk, at(MONDAY, 10)))
    second = services.appointment_book(**booking(desk, at(MONDAY, 11)))
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.appointment_mark_missed(actor=desk.secretary, appointment=first)
    clock.set(MONDAY, 15)
    with pytest.raises(ValidationError, match="Seule l'ASS"):
        services.appointment_mark_done(actor=desk.secretary, appointment=first)
    services.appointment_mark_done(actor=desk.worker.user, appointment=first)
    services.appointment_mark_missed(actor=desk.secretary, appointment=second)
    assert services.interview_prefill_query(first) == {
        "date": "2026-03-09",
        "lieu": "operator_office",
        "duree": 45,
        "employeur": desk.employer.pk,
    }


def test_a_weekly_session_skips_public_holidays_and_the_exceptions(clock):
    desk = Desk()
    # Thursdays of May 2026: the 14th is Ascension, the 21st an exception.
    session = weekly_session(
        desk,
        starts_on=D(2026, 5, 7),
        ends_on=D(2026, 5, 28),
        exceptions=[D(2026, 5, 21)],
    )
    days = [o.day for o in session.occurrences.all()]
    assert days == [D(2026, 5, 7), D(2026, 5, 28)]


def test_monthly_and_fortnightly_recurrences():
    assert rules.recurrence_dates(D(2026, 3, 10), D(2026, 6, 30), "monthly") == [
        D(2026, 3, 10), D(2026, 4, 14), D(2026, 5, 12), D(2026, 6, 9),
    ]  # fmt: skip
    assert rules.recurrence_dates(D(2026, 3, 2), D(2026, 3, 31), "fortnightly") == [
        D(2026, 3, 2), D(2026, 3, 16), D(2026, 3, 30),
    ]  # fmt: skip


def test_a_session_may_not_overlap_an_appointment_already_planned(clock):
    desk = Desk()
    services.appointment_book(**booking(desk, at(MONDAY + dt.timedelta(weeks=1), 10)))
    with pytest.raises(ValidationError) as error:
        weekly_session(desk)
    assert error.value.messages == [f"Le 16/03/2026 : {rules.OVERLAP}"]


def test_a_drop_in_session_with_two_interviews_bills_exactly_its_remaining_time(clock):
    desk = Desk()
    ConventionFactory(employer=desk.employer, active=True, billing_period="quarterly")
    weekly_session(desk, actor=desk.worker.user, ends_on=MONDAY)
    case = open_case_for(desk.worker, employer=desk.employer)
    clock.set(MONDAY, 13)
    for minutes in (45, 32):
        records.interview_record(
            actor=desk.worker.user, case=case, occurred_on=MONDAY, place="drop_in_site",
            duration_minutes=minutes, employer=desk.employer,
        )  # fmt: skip
    services.drop_in_time_record_until(MONDAY)
    services.drop_in_time_record_until(MONDAY)  # the daily task again: nothing twice
    drop_in = TimeEntry.objects.get(kind="drop_in_session")
    assert drop_in.minutes == 180 - 45 - 32

    clock.set(D(2026, 4, 2), 10)
    (invoice,) = billing.invoice_run(actor=None, year=2026, quarter=1)
    lines = {line.time_kind: line for line in invoice.lines.all()}
    assert lines["drop_in_session"].minutes == 103
    assert lines["drop_in_session"].amount == Decimal("103.00")  # 60 €/h
    assert lines["interview"].minutes == 77
    assert sum(line.minutes for line in lines.values()) == 180  # the morning, once


def test_an_interview_removed_from_the_session_gives_its_time_back_to_it(clock):
    desk = Desk()
    occurrence = weekly_session(desk, actor=desk.worker.user, ends_on=MONDAY).occurrences.get()
    case = open_case_for(desk.worker, employer=desk.employer)
    clock.set(MONDAY, 13)
    services.drop_in_time_record(occurrence=occurrence)
    assert TimeEntry.objects.get(kind="drop_in_session").minutes == 180
    records.interview_record(
        actor=desk.worker.user, case=case, occurred_on=MONDAY, place="drop_in_site",
        duration_minutes=60, employer=desk.employer,
    )  # fmt: skip
    assert TimeEntry.objects.get(kind="drop_in_session").minutes == 120


def test_a_cancelled_drop_in_date_bills_nothing_and_refuses_while_booked(clock):
    desk = Desk()
    occurrence = weekly_session(desk, ends_on=MONDAY).occurrences.get()
    appointment = services.appointment_book(
        **booking(desk, at(MONDAY, 9), place="drop_in_site", occurrence=occurrence)
    )
    with pytest.raises(ValidationError, match="Des rendez-vous sont prévus"):
        services.drop_in_occurrence_cancel(actor=desk.secretary, occurrence=occurrence)
    services.appointment_cancel(actor=desk.secretary, appointment=appointment)
    services.drop_in_occurrence_cancel(actor=desk.secretary, occurrence=occurrence)
    clock.set(MONDAY, 13)
    services.drop_in_time_record_until(MONDAY)
    assert not TimeEntry.objects.filter(kind="drop_in_session").exists()


def test_cancelled_and_missed_appointments_are_counted_in_the_annual_report(clock):
    from polesocial.reports.queries import Scope
    from polesocial.reports.report import build_report

    desk = Desk()
    first = services.appointment_book(**booking(desk, at(MONDAY, 10)))
    second = services.appointment_book(**booking(desk, at(MONDAY, 11)))
    services.appointment_book(**booking(desk, at(MONDAY, 14)))
    services.appointment_cancel(actor=desk.secretary, appointment=first)
    clock.set(MONDAY, 16)
    services.appointment_mark_missed(actor=desk.secretary, appointment=second)
    report = build_report(2026, Scope("worker", desk.worker.pk), controlled=False)
    assert report["appointments"] == {"cancelled": 1, "missed": 1}
    published = build_report(2026, Scope("employer", desk.employer.pk), controlled=True)
    assert published["appointments"] == {"cancelled": None, "missed": None}  # 1 < 11
