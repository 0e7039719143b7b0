"""Writes through the services: checks in French, the journal, notifications."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from polesocial.collective import rules, services
from polesocial.collective.models import ActionDocument, Alert, BodyMeeting, CollectiveAction
from polesocial.notifications.models import Notification
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.collective.conftest import (
    YEAR,
    known_employee,
    make_action,
    make_alert,
    make_meeting,
)
from tests.factories import UserFactory

# --- Collective actions --------------------------------------------------------------------


def test_an_action_is_recorded_with_its_employers_partners_and_journal(world):
    claire = world["claire"]
    action = make_action(
        claire,
        [(world["aubin"], 30), (world["valmont"], 10)],
        partners=[world["partner"]],
        preparation_minutes=60,
    )
    assert action.attendance == 40
    shares = {s.employer: s.attendance for s in action.employer_shares.all()}
    assert shares == {world["aubin"]: 30, world["valmont"]: 10}
    assert list(action.partners.all()) == [world["partner"]]
    entry = AuditEntry.objects.get(action="collective_action.create")
    assert entry.actor == claire.user
    assert (entry.object_type, entry.object_ids) == ("collective.CollectiveAction", [action.pk])


def test_employer_minutes_share_the_time_pro_rata_to_attendance(world):
    action = make_action(
        world["claire"],
        [(world["aubin"], 30), (world["valmont"], 10)],
        duration_minutes=120,
        preparation_minutes=45,
    )
    aubin, valmont = world["aubin"].pk, world["valmont"].pk
    assert action.employer_minutes() == [(aubin, 90), (valmont, 30)]
    assert action.employer_minutes(action.preparation_minutes) == [(aubin, 34), (valmont, 11)]
    unknown = make_action(world["claire"], [(world["aubin"], None), (world["valmont"], None)])
    assert unknown.employer_minutes() == [(aubin, 60), (valmont, 60)]
    meeting = make_meeting(world["claire"], world["aubin"], duration_minutes=90)
    assert meeting.employer_minutes() == [(aubin, 90)]


@pytest.mark.parametrize(
    ("fields", "employers", "field", "message"),
    [
        (
            {"duration_minutes": -30},
            None,
            "duration_minutes",
            "La durée ne peut pas être négative.",
        ),
        (
            {"preparation_minutes": -5},
            None,
            "preparation_minutes",
            "Le temps de préparation ne peut pas être négatif.",
        ),
        (
            {"ends_on": dt.date(YEAR, 3, 9)},
            None,
            "ends_on",
            "La fin ne peut pas précéder le début.",
        ),
        (
            {"attendance": 51},
            None,
            "attendance",
            "51 participants : c'est plus que l'effectif de Commune de Saint-Aubin en 2026 "
            "(50 agents).",
        ),
        ({}, [], "employers", "Choisissez au moins un employeur."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_saved(
    world, fields, employers, field, message
):
    employers = [(world["aubin"], None)] if employers is None else employers
    with pytest.raises(ValidationError) as error:
        make_action(world["claire"], employers, **fields)
    assert message in error.value.message_dict[field]
    assert not CollectiveAction.objects.exists()
    assert not AuditEntry.objects.filter(action="collective_action.create").exists()


def test_one_employer_over_its_headcount_among_several(world):
    with pytest.raises(ValidationError) as error:
        make_action(world["claire"], [(world["aubin"], 60), (world["valmont"], 5)])
    assert error.value.message_dict["employers"] == [
        "Employeur n° 1 : 60 participants : c'est plus que l'effectif de Commune de "
        "Saint-Aubin en 2026 (50 agents)."
    ]


def test_an_update_replaces_employers_and_keeps_checking(world):
    action = make_action(world["claire"], [(world["aubin"], 20)])
    services.collective_action_update(
        actor=world["claire"].user,
        action=action,
        employers=[(world["valmont"], 12)],
        title="Bien vivre sa retraite",
    )
    action.refresh_from_db()
    assert action.title == "Bien vivre sa retraite"
    assert [(s.employer, s.attendance) for s in action.employer_shares.all()] == [
        (world["valmont"], 12)
    ]
    assert action.attendance == 12
    with pytest.raises(ValidationError):
        services.collective_action_update(
            actor=world["claire"].user, action=action, ends_on=dt.date(YEAR, 1, 1)
        )
    action.refresh_from_db()
    assert action.ends_on is None
    assert AuditEntry.objects.filter(action="collective_action.update").count() == 1


def test_the_evaluation_is_checked_for_names(world):
    known_employee(world["aubin"], "Martin", "Dubois", followed_by=world["claire"])
    with pytest.raises(ValidationError) as error:
        make_action(world["claire"], [(world["aubin"], 10)], evaluation="Martin Dubois a pleuré.")
    assert error.value.message_dict == {"evaluation": [rules.NAME_WARNING]}
    action = make_action(
        world["claire"],
        [(world["aubin"], 10)],
        evaluation="Martin Dubois a pleuré.",
        names_confirmed=True,
    )
    assert action.pk


# --- Documents -----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_document_is_checked_and_stored_under_a_random_name(world, media):
    action = make_action(world["claire"], [(world["aubin"], 10)])
    document = services.action_document_add(
        actor=world["claire"].user, action=action, name="Programme.PDF", data=b"%PDF-1.7 x"
    )
    assert document.content_type == "application/pdf"
    assert document.size == 10
    assert "Programme" not in document.file.name
    assert (media / document.file.name).read_bytes() == b"%PDF-1.7 x"
    with pytest.raises(ValidationError, match="ne correspond pas à son extension"):
        services.action_document_add(
            actor=world["claire"].user, action=action, name="faux.pdf", data=b"MZ\x90"
        )
    with pytest.raises(ValidationError, match="Type de fichier non accepté"):
        services.action_document_add(
            actor=world["claire"].user, action=action, name="script.sh", data=b"#!/bin/sh"
        )
    assert ActionDocument.objects.count() == 1


def test_a_deleted_document_leaves_the_disk(world, media, django_capture_on_commit_callbacks):
    action = make_action(world["claire"], [(world["aubin"], 10)])
    document = services.action_document_add(
        actor=world["claire"].user, action=action, name="a.png", data=b"\x89PNG\r\n\x1a\nxx"
    )
    path = media / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.action_document_delete(actor=world["claire"].user, document=document)
    assert not path.exists()
    assert not ActionDocument.objects.exists()


# --- Body meetings -------------------------------------------------------------------------


def test_a_body_meeting_is_recorded_and_its_topics_checked(world):
    meeting = make_meeting(world["claire"], world["aubin"], preparation_minutes=30)
    assert BodyMeeting.objects.get().preparation_minutes == 30
    assert AuditEntry.objects.filter(action="body_meeting.create", actor=world["claire"].user)
    known_employee(world["aubin"], "Martin", "Dubois", followed_by=world["claire"])
    with pytest.raises(ValidationError) as error:
        services.body_meeting_update(
            actor=world["claire"].user,
            meeting=meeting,
            follow_ups="Revoir le poste de DUBOIS Martin.",
        )
    assert error.value.message_dict == {"follow_ups": [rules.NAME_WARNING]}
    with pytest.raises(ValidationError) as error:
        make_meeting(world["claire"], world["aubin"], duration_minutes=-60)
    assert error.value.message_dict == {"duration_minutes": ["La durée ne peut pas être négative."]}


# --- Alerts --------------------------------------------------------------------------------


def test_an_alert_reaches_its_addressees_and_no_other_employer_contact(
    world, django_capture_on_commit_callbacks
):
    contacts = world["contacts"]
    with django_capture_on_commit_callbacks(execute=True):
        alert = make_alert(world["claire"], world["aubin"], [contacts["aubin"]])
    notified = Notification.objects.values_list("recipient", flat=True)
    assert list(notified) == [contacts["aubin"].pk]
    notice = Notification.objects.get()
    assert notice.url == f"/collectif/alertes/{alert.pk}/"
    # The notice says where to read the alert, not what it says.
    assert "fusion" not in notice.title + notice.body
    assert [m.to for m in mail.outbox] == [[contacts["aubin"].email]]
    entry = AuditEntry.objects.get(action="alert.create")
    assert entry.detail == {"addressees": [contacts["aubin"].pk]}


def test_an_added_addressee_is_notified_once(world, django_capture_on_commit_callbacks):
    contacts = world["contacts"]
    alert = make_alert(world["claire"], world["aubin"], [contacts["aubin"]])
    for _ in range(2):
        services.alert_update(
            actor=world["claire"].user,
            alert=alert,
            addressees=[contacts["aubin"], contacts["aubin_other"]],
            follow_up="Réunion d'équipe organisée par la direction.",
        )
    recipients = Notification.objects.values_list("recipient", flat=True)
    assert sorted(recipients) == sorted([contacts["aubin"].pk, contacts["aubin_other"].pk])


@pytest.mark.parametrize("who", ["brissac", "not_a_contact", "none"])
def test_an_alert_goes_only_to_contacts_of_its_employer(world, who):
    addressees = {
        "brissac": [world["contacts"]["brissac"]],
        "not_a_contact": [world["nadia"].user],
        "none": [],
    }[who]
    if who == "not_a_contact":
        world["aubin"].accounts.add(world["nadia"].user)
    with pytest.raises(ValidationError) as error:
        make_alert(world["claire"], world["aubin"], addressees)
    assert list(error.value.message_dict) == ["addressees"]
    assert not Alert.objects.exists()
    assert not Notification.objects.exists()


def test_an_inactive_contact_cannot_be_addressed(world):
    contact = UserFactory(role=Role.EMPLOYER_CONTACT, is_active=False)
    world["aubin"].accounts.add(contact)
    with pytest.raises(ValidationError):
        make_alert(world["claire"], world["aubin"], [contact])


def test_an_alert_naming_an_employee_is_held_until_confirmed(world):
    known_employee(world["aubin"], followed_by=world["claire"])
    text = "Des tensions autour d'Éloïse DUPONT-LEFÈVRE dans l'équipe."
    with pytest.raises(ValidationError) as error:
        make_alert(world["claire"], world["aubin"], [world["contacts"]["aubin"]], description=text)
    assert error.value.message_dict == {"description": [rules.NAME_WARNING]}
    assert not Notification.objects.filter(recipient=world["contacts"]["aubin"]).exists()
    alert = make_alert(
        world["claire"],
        world["aubin"],
        [world["contacts"]["aubin"]],
        description=text,
        names_confirmed=True,
    )
    assert alert.pk


def test_names_check_journals_a_match_without_the_text(world):
    known_employee(world["aubin"], "Martin", "Dubois", followed_by=world["claire"])
    user = world["claire"].user
    texts = {"description": "Rien.", "follow_up": ""}
    assert services.names_check(actor=user, employers=[world["aubin"]], texts=texts) is None
    assert not AuditEntry.objects.filter(action="collective.name_warning").exists()
    texts = {"description": "Rien.", "follow_up": "Revoir martin dubois."}
    field = services.names_check(actor=user, employers=[world["aubin"]], texts=texts)
    assert field == "follow_up"
    entry = AuditEntry.objects.get(action="collective.name_warning")
    assert entry.actor == user
    assert entry.object_type == "organisations.Employer"
    assert "dubois" not in str(entry.detail).lower()
