"""The demo loader: fixed values, idempotent, alerts to the demo HR contact."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from polesocial.collective import demo, rules
from polesocial.collective.models import ActionEmployer, Alert, BodyMeeting, CollectiveAction
from polesocial.notifications.models import Notification

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (CollectiveAction, ActionEmployer, BodyMeeting, Alert, Notification)
    ]


def test_the_demo_loads_a_year_of_collective_work_twice_without_change():
    call_command("demo", stdout=StringIO())  # accounts and organisations (maybe ours too)
    reference = dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE)
    demo.load(reference)
    first = counts()
    demo.load(reference)
    assert counts() == first
    assert CollectiveAction.objects.count() == len(demo.ACTIONS)
    assert BodyMeeting.objects.count() == len(demo.MEETINGS)
    months = {a.starts_on.month for a in CollectiveAction.objects.all()}
    assert len(months) >= 9  # spread over the year
    alerts = Alert.objects.all()
    assert {a.employer.name for a in alerts} == {"Commune de Saint-Aubin-des-Prés"}
    contact = alerts[0].addressees.get()
    assert contact.email == "celine.rousseau@demo.polesocial.fr"
    assert Alert.objects.visible_by(contact).count() == len(demo.ALERTS)
    assert Notification.objects.filter(recipient=contact, key__startswith="collective_alert:")


def test_the_demo_respects_its_own_rules():
    call_command("demo", stdout=StringIO())
    demo.load(dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE))
    for action in CollectiveAction.objects.all():
        action.full_clean()
        shares = [(s.employer, s.attendance) for s in action.employer_shares.all()]
        check = rules.check_attendance(
            year=action.starts_on.year,
            total=action.attendance,
            shares=shares,
            categories=action.categories,
        )
        assert not check.errors and not check.share_errors, action.title
    for record in [*BodyMeeting.objects.all(), *Alert.objects.all()]:
        record.full_clean()
