"""The screens: forms with French messages beside the field, the name warning, lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from polesocial.collective import rules
from polesocial.collective.models import ActionDocument, Alert, BodyMeeting, CollectiveAction
from polesocial.notifications.models import Notification
from polesocial.privacy.models import AuditEntry
from tests.collective.conftest import known_employee, make_action, make_alert, make_meeting
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire(client, world):
    sign_in(client, world["claire"].user)
    return client


def action_post(rows, **fields):
    """The create form's body; rows: [(employer or None, attendance or "")]."""
    data = {
        "title": "Gérer son budget",
        "kind": "information_meeting",
        "theme": "budget",
        "starts_on": "2026-03-10",
        "ends_on": "",
        "duration_minutes": "120",
        "preparation_minutes": "60",
        "attendance": "",
        "attendance_category_a": "",
        "attendance_category_b": "",
        "attendance_category_c": "",
        "satisfaction": "",
        "evaluation": "",
        "employeurs-TOTAL_FORMS": str(len(rows)),
        "employeurs-INITIAL_FORMS": "0",
        "employeurs-MIN_NUM_FORMS": "0",
        "employeurs-MAX_NUM_FORMS": "50",
    }
    for index, (employer, attendance) in enumerate(rows):
        data[f"employeurs-{index}-employer"] = employer.pk if employer else ""
        data[f"employeurs-{index}-attendance"] = attendance
    data.update(fields)
    return data


CREATE = reverse("collective:action_create")


def test_the_create_page_offers_her_teams_employers(claire, world):
    page = claire.get(CREATE)
    assert page.status_code == 200
    choices = list(page.context["formset"].forms[0].fields["employer"].queryset)
    assert choices == [world["aubin"], world["valmont"]]
    assert "names_confirmed" not in page.content.decode()  # no warning yet, no box


def test_a_worker_records_an_action_for_two_employers(claire, world):
    data = action_post(
        [(world["aubin"], "30"), (world["valmont"], "10"), (None, "")],
        partners=[world["partner"].pk],
    )
    response = claire.post(CREATE, data)
    action = CollectiveAction.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("collective:action_detail", args=[action.pk])
    assert action.worker == world["claire"]
    assert action.attendance == 40
    assert list(action.partners.all()) == [world["partner"]]
    page = claire.get(response.url)
    assert "Gérer son budget" in page.content.decode()
    assert page.context["can_edit"] is True


@pytest.mark.parametrize(
    ("fields", "rows", "field", "message"),
    [
        (
            {"duration_minutes": "-30"},
            None,
            "duration_minutes",
            "La durée ne peut pas être négative.",
        ),
        (
            {"preparation_minutes": "-1"},
            None,
            "preparation_minutes",
            "Le temps de préparation ne peut pas être négatif.",
        ),
        ({"ends_on": "2026-03-01"}, None, "ends_on", "La fin ne peut pas précéder le début."),
        (
            {"attendance": "51"},
            None,
            "attendance",
            "51 participants : c'est plus que l'effectif de Commune de Saint-Aubin en 2026 "
            "(50 agents).",
        ),
        (
            {"attendance": "-3"},
            None,
            "attendance",
            "Un nombre de participants ne peut pas être négatif.",
        ),
    ],
)
def test_bad_input_is_refused_beside_the_field(claire, world, fields, rows, field, message):
    data = action_post(rows or [(world["aubin"], "")], **fields)
    response = claire.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not CollectiveAction.objects.exists()


def test_an_employers_attendance_above_its_headcount_is_refused_on_its_row(claire, world):
    data = action_post([(world["valmont"], "10"), (world["aubin"], "60")])
    response = claire.post(CREATE, data)
    rows = response.context["formset"].forms
    assert rows[1].errors["attendance"] == [
        "60 participants : c'est plus que l'effectif de Commune de Saint-Aubin en 2026 (50 agents)."
    ]
    assert not CollectiveAction.objects.exists()


def test_rows_need_an_employer_of_her_team_once(claire, world):
    response = claire.post(CREATE, action_post([(None, ""), (None, "")]))
    assert response.context["formset"].forms[0].errors["employer"] == [
        "Choisissez au moins un employeur."
    ]
    response = claire.post(CREATE, action_post([(world["brissac"], "")]))
    assert "employer" in response.context["formset"].forms[0].errors  # another team's
    response = claire.post(CREATE, action_post([(world["aubin"], ""), (world["aubin"], "")]))
    assert response.context["formset"].forms[1].errors["employer"] == [
        "Cet employeur figure déjà plus haut."
    ]
    assert not CollectiveAction.objects.exists()


def test_a_name_in_the_evaluation_is_warned_then_confirmed(claire, world):
    known_employee(world["aubin"], "Gaspard", "Quennehen", followed_by=world["claire"])
    data = action_post([(world["aubin"], "10")], evaluation="Gaspard QUENNEHEN était présent.")
    response = claire.post(CREATE, data)
    form = response.context["form"]
    assert form.errors["evaluation"] == [rules.NAME_WARNING]
    body = response.content.decode()
    assert "names_confirmed" in body  # the confirmation box is now shown
    # Her own text, given back to her to rephrase; the record's spelling appears nowhere.
    assert body.count("Gaspard QUENNEHEN") == body.count("Gaspard") == 1
    assert "Quennehen" not in body
    assert not CollectiveAction.objects.exists()
    assert AuditEntry.objects.filter(action="collective.name_warning").count() == 1
    response = claire.post(CREATE, {**data, "names_confirmed": "on"})
    assert response.status_code == 302
    assert CollectiveAction.objects.get().evaluation == "Gaspard QUENNEHEN était présent."


def test_a_rephrased_text_passes_without_confirmation(claire, world):
    known_employee(world["aubin"], "Martin", "Dubois", followed_by=world["claire"])
    data = action_post([(world["aubin"], "10")], evaluation="Un agent de la voirie était présent.")
    assert claire.post(CREATE, data).status_code == 302


def test_she_edits_her_action(claire, world):
    action = make_action(world["claire"], [(world["aubin"], 12)])
    url = reverse("collective:action_update", args=[action.pk])
    page = claire.get(url)
    assert page.context["formset"].forms[0].initial["employer"] == world["aubin"]
    data = action_post([(world["aubin"], "12"), (world["valmont"], "3")], title="Nouveau titre")
    data["employeurs-INITIAL_FORMS"] = "1"
    assert claire.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.attendance) == ("Nouveau titre", 15)


# --- Documents -----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_documents_are_uploaded_checked_and_read_by_the_employer(client, world, media):
    action = make_action(world["claire"], [(world["aubin"], 12)])
    sign_in(client, world["claire"].user)
    upload = reverse("collective:document_upload", args=[action.pk])
    bad = SimpleUploadedFile("programme.pdf", b"not a pdf")
    response = client.post(upload, {"file": bad})
    assert response.status_code == 200
    assert response.context["document_form"].errors["file"] == [
        "Le contenu du fichier ne correspond pas à son extension."
    ]
    good = SimpleUploadedFile("programme.pdf", b"%PDF-1.4 programme")
    assert client.post(upload, {"file": good}).status_code == 302
    document = ActionDocument.objects.get()
    sign_in(client, world["contacts"]["aubin"])
    url = reverse("collective:document_download", args=[action.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 programme"
    assert response["Content-Disposition"] == 'attachment; filename="programme.pdf"'
    sign_in(client, world["contacts"]["brissac"])
    assert client.get(url).status_code == 404


# --- Body meetings -------------------------------------------------------------------------


def test_a_worker_records_a_body_meeting(claire, world):
    data = {
        "employer": world["aubin"].pk,
        "body": "health_safety",
        "held_on": "2026-06-12",
        "duration_minutes": "-90",
        "preparation_minutes": "0",
        "topics": "Bilan des accidents de service.",
        "follow_ups": "",
    }
    url = reverse("collective:meeting_create")
    response = claire.post(url, data)
    assert response.context["form"].errors["duration_minutes"] == [
        "La durée ne peut pas être négative."
    ]
    response = claire.post(url, {**data, "duration_minutes": "90"})
    assert response.status_code == 302
    assert BodyMeeting.objects.get().get_body_display().endswith("(F3SCT)")


# --- Alerts --------------------------------------------------------------------------------


def test_an_alert_starts_with_its_employer(claire, world):
    url = reverse("collective:alert_create")
    page = claire.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["employeur"].queryset) == [
        world["aubin"],
        world["valmont"],
    ]
    page = claire.get(url, {"employeur": world["brissac"].pk})  # another team's
    assert page.context["form"].errors["employeur"]
    page = claire.get(url, {"employeur": world["aubin"].pk})
    addressees = page.context["form"].fields["addressees"].queryset
    assert set(addressees) == {world["contacts"]["aubin"], world["contacts"]["aubin_other"]}


def test_an_employer_without_contact_cannot_be_alerted(claire, world):
    page = claire.get(reverse("collective:alert_create"), {"employeur": world["valmont"].pk})
    assert page.context["has_recipients"] is False
    assert "Aucun·e destinataire possible" in page.content.decode()


def alert_post(world, **fields):
    return {
        "raised_on": "2026-05-04",
        "risk": "conflict",
        "description": "Tensions répétées au sein de l'équipe d'entretien depuis l'été.",
        "addressees": [world["contacts"]["aubin"].pk],
        "follow_up": "",
        **fields,
    }


def test_an_alert_is_sent_to_its_addressees_from_the_form(claire, world):
    url = reverse("collective:alert_create") + f"?employeur={world['aubin'].pk}"
    response = claire.post(url, alert_post(world))
    alert = Alert.objects.get()
    assert response.url == reverse("collective:alert_detail", args=[alert.pk])
    assert list(Notification.objects.values_list("recipient", flat=True)) == [
        world["contacts"]["aubin"].pk
    ]


def test_an_alert_naming_an_employee_is_held_beside_its_description(claire, world):
    known_employee(world["aubin"], followed_by=world["claire"])
    url = reverse("collective:alert_create") + f"?employeur={world['aubin'].pk}"
    data = alert_post(world, description="Éloïse Dupont-Lefèvre est en conflit avec son chef.")
    response = claire.post(url, data)
    assert response.context["form"].errors["description"] == [rules.NAME_WARNING]
    assert response.context["form"].show_confirmation
    assert not Alert.objects.exists()
    contact = world["contacts"]["aubin"]
    assert not Notification.objects.filter(recipient=contact).exists()
    data["description"] = "Un conflit oppose un agent et son encadrant au service entretien."
    assert claire.post(url, data).status_code == 302
    assert Notification.objects.filter(recipient=contact).count() == 1


def test_a_contact_cannot_record_anything(client, world):
    sign_in(client, world["contacts"]["aubin"])
    for name in ("action_create", "meeting_create", "alert_create"):
        assert client.get(reverse(f"collective:{name}")).status_code == 403


# --- Lists ---------------------------------------------------------------------------------


def test_lists_filter_by_year_employer_and_code(claire, world):
    import datetime as dt

    budget = make_action(world["claire"], [(world["aubin"], 5)], theme="budget")
    old = make_action(world["claire"], [(world["valmont"], 5)], starts_on=dt.date(2025, 2, 1))
    url = reverse("collective:action_list")
    shown = lambda params: {r["action"].pk for r in claire.get(url, params).context["rows"]}  # noqa: E731
    assert shown({}) == {budget.pk, old.pk}
    assert shown({"annee": "2025"}) == {old.pk}
    assert shown({"employeur": world["aubin"].pk}) == {budget.pk}
    assert shown({"theme": "budget"}) == {budget.pk}
    make_meeting(world["claire"], world["aubin"], body="medical_board")
    meetings = claire.get(reverse("collective:meeting_list"), {"instance": "clas"})
    assert list(meetings.context["page"]) == []
    make_alert(world["claire"], world["aubin"], [world["contacts"]["aubin"]])
    alerts = claire.get(reverse("collective:alert_list"), {"risque": "reorganisation"})
    assert len(alerts.context["page"]) == 1


def test_every_message_shows_at_once(claire, world):
    data = action_post([(world["aubin"], "600")], duration_minutes="-60", ends_on="2026-03-01")
    response = claire.post(CREATE, data)
    assert set(response.context["form"].errors) == {"duration_minutes", "ends_on"}
    assert response.context["formset"].forms[0].errors["attendance"] == [
        "600 participants : c'est plus que l'effectif de Commune de Saint-Aubin en 2026 "
        "(50 agents)."
    ]


def test_the_warning_sits_beside_the_text_that_names_someone(claire, world):
    known_employee(world["aubin"], "Gaspard", "Quennehen", followed_by=world["claire"])
    data = action_post([(world["aubin"], "10")], title="Atelier de Gaspard Quennehen")
    response = claire.post(CREATE, data)
    assert response.context["form"].errors == {"title": [rules.NAME_WARNING]}


def test_her_action_edited_in_two_tabs_the_second_shows_both_versions(client, world):
    action = make_action(world["claire"], [(world["aubin"], 12)])
    url = reverse("collective:action_update", args=[action.pk])
    first = sign_in(client, world["claire"].user)
    second = sign_in(Client(), world["claire"].user)
    seen = second.get(url).context["form"]["version"].value()
    data = action_post([(world["aubin"], "12")], version=seen, **{"employeurs-INITIAL_FORMS": "1"})
    assert first.post(url, {**data, "title": "Titre du premier onglet"}).status_code == 302

    response = second.post(url, {**data, "title": "Titre du second onglet"})

    assert response.status_code == 200
    assert "Cette action collective a été modifiée par une autre personne" in (
        response.content.decode()
    )
    rows = {row.label: (row.theirs, row.yours) for row in response.context["form"].conflict}
    assert rows["Intitulé"] == ("Titre du premier onglet", "Titre du second onglet")
    action.refresh_from_db()
    assert action.title == "Titre du premier onglet"
