"""Shared builders of the appointments tests: a frozen clock, a worker, her secretary."""

import datetime as dt

import pytest
from django.utils import timezone

from polesocial.appointments.models import SecretaryTeam
from polesocial.users.enums import Role
from tests.factories import EmployerFactory, SocialWorkerFactory, UserFactory

PARIS = dt.timezone(dt.timedelta(hours=1))  # winter time, as on the dates used here


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock the test moves: `clock.set(date, hour)` (Europe/Paris)."""

    class Clock:
        now = at(dt.date(2026, 3, 2), 8)

        def set(self, day: dt.date, hour: int = 8) -> None:
            self.now = at(day, hour)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


class Desk:
    """A worker, an employer of her team (in Paris unless told), and her team's secretary."""

    def __init__(self, postcode: str = "75012"):
        self.worker = SocialWorkerFactory()
        self.employer = EmployerFactory(team=self.worker.team, postcode=postcode)
        self.secretary = UserFactory(role=Role.SECRETARY)
        SecretaryTeam.objects.create(secretary=self.secretary, team=self.worker.team)


def booking(desk: Desk, start: dt.datetime, **overrides) -> dict:
    data = {
        "actor": desk.secretary,
        "worker": desk.worker,
        "employer": desk.employer,
        "start": start,
        "duration_minutes": 45,
        "place": "operator_office",
        "person_name": "Éloïse Dupont-Lefèvre",
        "contact_email": "eloise@example.org",
    }
    data.update(overrides)
    return data
