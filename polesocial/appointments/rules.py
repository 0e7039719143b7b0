"""Pure rules of appointments and drop-in sessions: dates, holidays, places (no writes).

The French messages live here so that the screen, the API and the commands refuse alike.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings

from polesocial.appointments.enums import Recurrence
from polesocial.casework.enums import InterviewPlace

OVERLAP = "Ce créneau chevauche un autre rendez-vous ou une permanence de l'ASS."
PAST = "Un rendez-vous ne se prend pas dans le passé."
HOLIDAY = "Le {day} est un jour férié ({name}) : choisissez un autre jour."
OUTSIDE_HOURS = "Ce rendez-vous sort des horaires de la permanence ({start} – {end})."
ABSENT = "L'ASS est absente le {day} : choisissez une autre date."
HOME_ON_LEAVE_ONLY = "Le rendez-vous au domicile est réservé à l'agent en arrêt."
VIDEO_LINK = "Indiquez le lien de la visioconférence."
DROP_IN_PLACE = "Un créneau de permanence a lieu sur le site de permanence."
NOT_DROP_IN = "Choisissez une date de permanence pour un rendez-vous sur le site de permanence."
DURATION = "Un rendez-vous dure de 10 minutes à 4 heures."
ONE_DAY = "Un rendez-vous commence et finit le même jour."
NOT_PLANNED = "Ce rendez-vous n'est plus prévu : il a déjà été {status}."
NOT_YET = "Ce rendez-vous n'a pas encore eu lieu."
ONLY_WORKER_DONE = "Seule l'ASS du rendez-vous le marque honoré."
NOT_YOURS = "Vous ne prenez de rendez-vous que pour les ASS de vos équipes."
NOT_YOUR_EMPLOYER = "Cet employeur n'est pas servi par vos équipes : choisissez l'un des leurs."
SESSION_SPAN = "Une permanence se programme sur un an au plus."
SESSION_NO_DATE = "Aucune date de cette permanence ne tombe un jour ouvré."
OCCURRENCE_HAS_APPOINTMENTS = (
    "Des rendez-vous sont prévus pendant cette permanence : annulez-les ou déplacez-les d'abord."
)
# Postcode prefixes of the overseas departments, and of Alsace-Moselle (local holidays).
OVERSEAS = ("971", "972", "973", "974", "976")
ALSACE = ("67", "68")
MOSELLE = ("57",)
MAX_SESSION_DAYS = 366


def subdivision_of(postcode: str) -> str | None:
    """The `holidays` subdivision of a French postcode (overseas departments, Alsace-Moselle);
    None for the rest of metropolitan France, or the operator's default setting."""
    code = (postcode or "").strip()
    for prefix in OVERSEAS:
        if code.startswith(prefix):
            return prefix
    if code.startswith(ALSACE):
        return "6AE"
    if code.startswith(MOSELLE):
        return "57"
    return getattr(settings, "HOLIDAYS_SUBDIVISION", "") or None


@lru_cache(maxsize=64)
def _holidays(subdivision: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", subdiv=subdivision, years=year, language="fr")


def holiday_name(day: dt.date, subdivision: str | None) -> str | None:
    """The name of the French public holiday on `day` (in that subdivision), or None."""
    return _holidays(subdivision, day.year).get(day)


def holiday_error(day: dt.date, subdivision: str | None) -> str | None:
    name = holiday_name(day, subdivision)
    return HOLIDAY.format(day=f"{day:%d/%m/%Y}", name=name) if name else None


def place_errors(*, place: str, employee_on_leave: bool, video_link: str) -> dict[str, str]:
    """The place rules of the seed: home only for an employee on leave; video with a link."""
    errors = {}
    if place == InterviewPlace.HOME and not employee_on_leave:
        errors["place"] = HOME_ON_LEAVE_ONLY
    if place == InterviewPlace.VIDEO and not video_link.strip():
        errors["video_link"] = VIDEO_LINK
    return errors


def duration_error(start: dt.datetime, end: dt.datetime) -> str | None:
    minutes = (end - start).total_seconds() / 60
    if not 10 <= minutes <= 240:
        return DURATION
    return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * nth)
    return day if day.month == month else None


def recurrence_dates(
    starts_on: dt.date, ends_on: dt.date, recurrence: str, exceptions: frozenset = frozenset()
) -> list[dt.date]:
    """The dates of a recurrence from `starts_on` to `ends_on` included, less `exceptions`.

    Monthly means the same weekday of the same week of the month (« le 2e mardi »); a month
    without that day (a fifth Tuesday) is skipped.
    """
    dates: list[dt.date] = []
    if recurrence == Recurrence.ONCE:
        dates = [starts_on]
    elif recurrence in (Recurrence.WEEKLY, Recurrence.FORTNIGHTLY):
        step = dt.timedelta(weeks=1 if recurrence == Recurrence.WEEKLY else 2)
        day = starts_on
        while day <= ends_on:
            dates.append(day)
            day += step
    elif recurrence == Recurrence.MONTHLY:
        nth = (starts_on.day - 1) // 7
        year, month = starts_on.year, starts_on.month
        while dt.date(year, month, 1) <= ends_on:
            found = _nth_weekday(year, month, starts_on.weekday(), nth)
            if found is not None and starts_on <= found <= ends_on:
                dates.append(found)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [d for d in dates if d not in exceptions]


def remaining_minutes(session_minutes: int, interview_minutes: int) -> int:
    """What a drop-in session bills: its duration less the interviews recorded within it,
    which carry their own time (an hour is never billed twice); never below zero."""
    return max(session_minutes - interview_minutes, 0)
