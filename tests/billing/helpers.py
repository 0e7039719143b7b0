"""Shared builders of the billing tests (a worker, an employer, a convention, time)."""

import datetime as dt
from decimal import Decimal

from polesocial.billing.models import TimeEntry
from tests.factories import ConventionFactory, EmployerFactory, SocialWorkerFactory


def setting(*, contribution="500.00", **convention):
    # A name no factory draws, so "the worker is not named" cannot pass or fail by chance.
    worker = SocialWorkerFactory(user__first_name="Ysaline", user__last_name="Quennevieux")
    employer = EmployerFactory(team=worker.team)
    fields = {"membership_contribution": contribution, "billing_period": "quarterly"}
    fields.update(convention)
    ConventionFactory(employer=employer, active=True, **fields)
    return worker, employer


def time(worker, employer, day: dt.date, minutes: int, kind: str = "interview") -> TimeEntry:
    return TimeEntry.objects.create(
        worker=worker, employer=employer, date=day, minutes=minutes, kind=kind
    )


def amounts(invoice) -> list[tuple[str, Decimal]]:
    return [(line.kind, line.amount) for line in invoice.lines.order_by("position")]
