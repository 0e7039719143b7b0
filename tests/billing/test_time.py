import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from polesocial.billing import services
from polesocial.billing.models import TimeEntry
from polesocial.casework.services import records
from polesocial.collective import services as collective
from tests.billing.helpers import setting
from tests.factories import EmployerFactory, open_case_for

pytestmark = pytest.mark.django_db
D = dt.date


def entries(source):
    return sorted(
        TimeEntry.objects.filter(source=source).values_list("employer__name", "kind", "minutes")
    )


def test_an_interview_records_its_time_for_the_employer_charged():
    worker, employer = setting(contribution=None)
    case = open_case_for(worker, employer=employer)
    interview = records.interview_record(
        actor=worker.user, case=case, occurred_on=D(2026, 3, 9), place="workplace",
        duration_minutes=75,
    )  # fmt: skip
    (entry,) = TimeEntry.objects.filter(source="interview", source_id=interview.pk)
    assert (entry.worker, entry.employer, entry.date, entry.kind, entry.minutes) == (
        worker, employer, D(2026, 3, 9), "interview", 75,
    )  # fmt: skip
    # A time entry never names an employee nor a case.
    field_names = {f.name for f in TimeEntry._meta.get_fields()}
    assert not field_names & {"case", "employee", "interview", "notes"}


def action(worker, employers, **fields):
    values = {
        "title": "Préparer sa retraite",
        "kind": "information_meeting",
        "theme": "retirement",
        "starts_on": D(2026, 3, 10),
        "duration_minutes": 120,
        **fields,
    }
    return collective.collective_action_create(
        actor=worker.user, worker=worker, employers=employers, **values
    )


def test_a_collective_action_splits_its_minutes_pro_rata_to_attendance():
    worker, aubin = setting(
        contribution=None,
    )
    aubin.name = "A"
    aubin.save()
    valmont = EmployerFactory(team=worker.team, name="B")
    made = action(worker, [(aubin, 30), (valmont, 10)], preparation_minutes=60)
    assert entries("collective_action") == [
        ("A", "collective_action", 90),
        ("A", "preparation", 45),
        ("B", "collective_action", 30),
        ("B", "preparation", 15),
    ]
    # Changing the action replaces its unbilled entries.
    collective.collective_action_update(actor=worker.user, action=made, duration_minutes=60)
    assert (
        sum(TimeEntry.objects.filter(kind="collective_action").values_list("minutes", flat=True))
        == 60
    )


def test_equal_split_when_attendance_is_missing():
    worker, aubin = setting(contribution=None)
    valmont = EmployerFactory(team=worker.team)
    action(worker, [(aubin, None), (valmont, None)], duration_minutes=90)
    assert sorted(TimeEntry.objects.values_list("minutes", flat=True)) == [45, 45]


def test_a_change_after_invoicing_is_recorded_as_a_correction():
    worker, employer = setting(contribution=None)
    meeting = collective.body_meeting_create(
        actor=worker.user, worker=worker, employer=employer, body="clas",
        held_on=D(2026, 2, 2), duration_minutes=90, topics="Plan d'action sociale.",
    )  # fmt: skip
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1)
    services.invoice_issue(actor=None, invoice=draft)
    collective.body_meeting_update(actor=worker.user, meeting=meeting, duration_minutes=60)
    assert sorted(TimeEntry.objects.values_list("minutes", "kind")) == [
        (-30, "body_meeting"),
        (90, "body_meeting"),
    ]


def test_manual_time_is_checked():
    worker, employer = setting(contribution=None)
    other = EmployerFactory()
    entry = services.time_entry_add(
        actor=worker.user, worker=worker, employer=employer, day=D(2026, 3, 2), minutes=-30,
        kind="travel",
    )  # fmt: skip
    assert entry.minutes == -30
    with pytest.raises(ValidationError) as error:
        services.time_entry_add(
            actor=worker.user, worker=worker, employer=other, day=D(2099, 1, 1), minutes=0,
            kind="interview",
        )  # fmt: skip
    assert set(error.value.message_dict) == {"employer", "minutes", "date"}
    with pytest.raises(ValidationError):
        services.time_entry_add(
            actor=worker.user, worker=worker, employer=employer, day=D(2026, 3, 2), minutes=30,
            kind="management",
        )  # fmt: skip
    services.time_entry_add(
        actor=worker.user, worker=worker, employer=None, day=D(2026, 3, 2), minutes=30,
        kind="management",
    )  # fmt: skip


def test_the_api_says_which_entries_an_issued_invoice_holds(client):
    from django.urls import reverse

    from tests.conftest import sign_in

    worker, employer = setting(contribution=None)
    billed = services.time_entry_add(
        actor=worker.user, worker=worker, employer=employer, day=D(2026, 2, 3), minutes=90,
        kind="interview",
    )  # fmt: skip
    (invoice,) = services.invoice_run(actor=None, year=2026, quarter=1, employers=[employer])
    services.invoice_issue(actor=None, invoice=invoice)
    fresh = services.time_entry_add(
        actor=worker.user, worker=worker, employer=employer, day=D(2026, 4, 7), minutes=30,
        kind="interview",
    )  # fmt: skip
    sign_in(client, worker.user)
    listed = client.get(reverse("api:time-entry-list")).json()["results"]
    assert {row["id"]: row["locked"] for row in listed} == {billed.pk: True, fresh.pk: False}
    detail = client.get(reverse("api:time-entry-detail", args=[billed.pk])).json()
    assert detail["locked"] is True
