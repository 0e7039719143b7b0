import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from polesocial.billing.models import TimeEntry
from polesocial.collective.models import CollectiveAction
from polesocial.organisations.models import Convention, Employer, Operator, SocialWorker, Team
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from polesocial.users.models import User


def row_counts() -> dict[str, int]:
    skip = {"privacy", "sessions", "contenttypes", "auth"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skip
    }


@pytest.mark.django_db
def test_demo_has_every_role_and_running_it_twice_changes_nothing(settings):
    call_command("demo", stdout=StringIO())
    first = row_counts()
    call_command("demo", stdout=StringIO())
    assert row_counts() == first
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(role=Role.SOCIAL_WORKER).count() >= 3
    assert Employer.objects.count() >= 15
    modes = set(Convention.objects.values_list("billing_mode", flat=True))
    assert modes == {"hourly", "sessions", "fte_share"}


# Dates that may lie ahead of the demo's « today »: what is planned, not what happened.
PLANNED = {
    "collective.CollectiveAction.starts_on",  # the sessions still to come (no attendance)
    "collective.CollectiveAction.ends_on",
    "organisations.Convention.ends_on",  # the convention's term, renewed tacitly
    "casework.PlanAction.due_on",  # an action's deadline (some done ahead of it)
    "appointments.Appointment.start",  # appointments booked ahead
    "appointments.Appointment.end",
    "appointments.DropInSession.ends_on",  # a drop-in session's recurrence
    "appointments.DropInOccurrence.start",
    "appointments.DropInOccurrence.end",
    "aid.CommitteeSession.held_on",  # the committee's next sitting
    "aid.LoanInstalment.due_on",  # a loan's repayment schedule
    "aid.Membership.ends_on",  # an employer's membership's term
    "aid.AidScheme.valid_until",
}


def dates_after(day) -> dict[str, object]:
    """Every date or time of the demo's rows later than `day`, by model field."""
    from django.db import models
    from django.db.models import Max

    late = {}
    for model in apps.get_models():
        if model._meta.app_label in {"privacy", "sessions", "contenttypes", "auth"}:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField):
                continue
            latest = model._default_manager.aggregate(latest=Max(field.name))["latest"]
            if isinstance(latest, dt.datetime):
                latest = timezone.localtime(latest).date()
            if latest is not None and latest > day:
                late[f"{model._meta.label}.{field.name}"] = latest
    return late


@pytest.mark.django_db
def test_the_demo_is_dated_the_day_it_is_loaded_and_nothing_done_lies_ahead(settings):
    """Loaded without a fixed date, the demo's « today » is the real one: no interview,
    time entry, referral or invoice in the future; loaded again, it keeps its date."""
    settings.DEMO_REFERENCE_DATE = ""
    call_command("demo", stdout=StringIO())
    today = timezone.localdate()
    assert set(dates_after(today)) <= PLANNED
    assert TimeEntry.objects.filter(date__gte=today - dt.timedelta(days=7)).exists()
    first = row_counts()
    call_command("demo", stdout=StringIO())
    assert row_counts() == first


@pytest.mark.django_db
def test_an_early_year_reference_date_puts_the_year_behind_it(settings):
    """On 10 February, the sessions held « in June » were last June's, not this one's."""
    settings.DEMO_REFERENCE_DATE = "2027-02-10"
    call_command("demo", stdout=StringIO())
    assert set(dates_after(dt.date(2027, 2, 10))) <= PLANNED
    planned = CollectiveAction.objects.filter(attendance__isnull=True)
    assert planned.exists()
    assert not planned.filter(starts_on__lte=dt.date(2027, 2, 10)).exists()


@pytest.mark.django_db
def test_the_demo_creates_its_organisation_through_the_services(settings):
    """As an administrator would: each creation journaled, the operator with its SIRET and
    bank details, so that invoices carry them."""
    call_command("demo", stdout=StringIO())
    actions = Counter(AuditEntry.objects.values_list("action", flat=True))
    assert actions["operator.create"] == 1
    assert actions["team.create"] == Team.objects.count() == 2
    assert actions["social_worker.create"] == SocialWorker.objects.count() == 4
    assert actions["user.create"] == User.objects.count()
    operator = Operator.objects.get()
    assert operator.siret and operator.iban and operator.bic
