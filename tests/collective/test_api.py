"""The collective-work API: role matrices, writes through the services, French 400s.

Every response is checked against the OpenAPI schema drf-spectacular generates (the
organisations API tests' client: undeclared keys fail).
"""

import pytest
from django.urls import reverse

from polesocial.collective import rules
from polesocial.collective.models import Alert, BodyMeeting, CollectiveAction
from polesocial.notifications.models import Notification
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.collective.conftest import known_employee, make_action, make_alert, make_meeting
from tests.conftest import sign_in
from tests.factories import SocialWorkerFactory, UserFactory
from tests.organisations.test_api import SchemaClient, openapi  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
R = Role
READERS = {R.SOCIAL_WORKER, R.COUNSELLOR, R.EMPLOYER_CONTACT}


@pytest.fixture
def api(client, openapi):  # noqa: F811 - the imported fixture
    return SchemaClient(client, openapi)


def url(name, pk=None):
    return reverse(f"api:{name}", kwargs={"pk": pk} if pk is not None else None)


def ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def records(world):
    claire, sophie = world["claire"], world["sophie"]
    contacts = world["contacts"]
    return {
        "aubin_action": make_action(claire, [(world["aubin"], 12)]),
        "brissac_action": make_action(sophie, [(world["brissac"], 9)]),
        "aubin_meeting": make_meeting(claire, world["aubin"]),
        "brissac_meeting": make_meeting(sophie, world["brissac"]),
        "aubin_alert": make_alert(claire, world["aubin"], [contacts["aubin"]]),
        "brissac_alert": make_alert(sophie, world["brissac"], [contacts["brissac"]]),
    }


def person(api, role, world):
    """A user of `role` on the Saint-Aubin side: a worker of team A, the counsellor of
    team A, Saint-Aubin's contact to whom its alert is addressed; others unattached."""
    if role == R.SOCIAL_WORKER:
        user = world["nadia"].user
    elif role == R.COUNSELLOR:
        user = world["team_a"].counsellor
    elif role == R.EMPLOYER_CONTACT:
        user = world["contacts"]["aubin"]
    else:
        user = UserFactory(role=role)
    sign_in(api.client, user)
    return user


ENDPOINTS = [
    ("collective-action", "aubin_action", "brissac_action"),
    ("body-meeting", "aubin_meeting", "brissac_meeting"),
    ("alert", "aubin_alert", "brissac_alert"),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("endpoint", "mine", "other"), ENDPOINTS)
def test_reads_by_role(api, world, records, role, endpoint, mine, other):
    person(api, role, world)
    response = api.get(url(f"{endpoint}-list"))
    if role not in READERS:
        assert response.status_code == 403
        assert api.get(url(f"{endpoint}-detail", records[mine].pk)).status_code == 403
        return
    assert response.status_code == 200
    assert ids(response) == {records[mine].pk}
    assert api.get(url(f"{endpoint}-detail", records[mine].pk)).status_code == 200
    assert api.get(url(f"{endpoint}-detail", records[other].pk)).status_code == 404


def test_an_alert_to_a_colleague_is_absent_for_the_contact(api, world, records):
    other = make_alert(world["claire"], world["aubin"], [world["contacts"]["aubin_other"]])
    person(api, R.EMPLOYER_CONTACT, world)
    assert ids(api.get(url("alert-list"))) == {records["aubin_alert"].pk}
    assert api.get(url("alert-detail", other.pk)).status_code == 404


def test_a_contact_reads_his_share_of_a_joint_action_only(api, world):
    joint = make_action(world["claire"], [(world["aubin"], 5), (world["valmont"], 7)])
    person(api, R.EMPLOYER_CONTACT, world)
    body = api.get(url("collective-action-detail", joint.pk)).json()
    assert body["employers"] == [
        {"employer": world["aubin"].pk, "employer_name": "Commune de Saint-Aubin", "attendance": 5}
    ]
    assert body["shared"] is True
    assert body["attendance"] is None
    person(api, R.SOCIAL_WORKER, world)
    body = api.get(url("collective-action-detail", joint.pk)).json()
    assert (len(body["employers"]), body["shared"], body["attendance"]) == (2, False, 12)


def action_body(world, **overrides):
    return {
        "title": "Prévenir les addictions",
        "kind": "prevention",
        "theme": "addiction",
        "starts_on": "2026-09-15",
        "duration_minutes": 150,
        "employers": [{"employer": world["aubin"].pk, "attendance": 18}],
        "partners": [world["partner"].pk],
        **overrides,
    }


@pytest.mark.parametrize("role", list(Role))
def test_only_social_workers_write(api, world, role):
    person(api, role, world)
    response = api.post(url("collective-action-list"), action_body(world))
    if role == R.SOCIAL_WORKER:
        assert response.status_code == 201
        action = CollectiveAction.objects.get(pk=response.json()["id"])
        assert action.worker == world["nadia"]
        assert response.json()["attendance"] == 18
        assert response.json()["partners"] == [world["partner"].pk]
    else:
        assert response.status_code == 403
        assert not CollectiveAction.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"duration_minutes": -10}, "duration_minutes", "La durée ne peut pas être négative."),
        ({"ends_on": "2026-09-01"}, "ends_on", "La fin ne peut pas précéder le début."),
        (
            {"employers": [{"employer": 0, "attendance": 1}]},
            "employers",
            None,
        ),
        (
            {"employers": [{"employer": 1, "attendance": -1}]},
            "employers",
            None,
        ),
        ({"kind": "party"}, "kind", "«\xa0party\xa0» n'est pas un choix valide."),
    ],
)
def test_bad_action_input_is_a_french_400(api, world, overrides, field, message):
    person(api, R.SOCIAL_WORKER, world)
    response = api.post(url("collective-action-list"), action_body(world, **overrides))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not CollectiveAction.objects.exists()


def test_attendance_above_the_headcount_is_a_french_400(api, world):
    person(api, R.SOCIAL_WORKER, world)
    body = action_body(world, employers=[{"employer": world["aubin"].pk, "attendance": 80}])
    response = api.post(url("collective-action-list"), body)
    assert response.status_code == 400
    assert response.json()["errors"]["employers"] == [
        "Employeur n° 1 : 80 participants : c'est plus que l'effectif de Commune de "
        "Saint-Aubin en 2026 (50 agents)."
    ]
    body = action_body(world, attendance=80, employers=[{"employer": world["aubin"].pk}])
    response = api.post(url("collective-action-list"), body)
    assert response.json()["errors"]["attendance"] == [
        "80 participants : c'est plus que l'effectif de Commune de Saint-Aubin en 2026 (50 agents)."
    ]


def test_another_teams_employer_is_absent(api, world):
    person(api, R.SOCIAL_WORKER, world)
    body = action_body(world, employers=[{"employer": world["brissac"].pk}])
    assert api.post(url("collective-action-list"), body).status_code == 404


def test_a_worker_without_a_team_may_not_record(api, world):
    sign_in(api.client, UserFactory(role=R.SOCIAL_WORKER))
    response = api.post(url("collective-action-list"), action_body(world))
    assert response.status_code == 403
    assert "aucune équipe" in response.json()["detail"]


def test_only_the_recording_worker_changes_a_record(api, world, records):
    person(api, R.SOCIAL_WORKER, world)  # Nadia, Claire's colleague
    response = api.patch(
        url("collective-action-detail", records["aubin_action"].pk), {"title": "x"}
    )
    assert response.status_code == 403
    sign_in(api.client, world["claire"].user)
    response = api.patch(
        url("collective-action-detail", records["aubin_action"].pk),
        {"employers": [{"employer": world["aubin"].pk, "attendance": 20}]},
    )
    assert response.status_code == 200
    assert response.json()["attendance"] == 20
    response = api.patch(url("body-meeting-detail", records["aubin_meeting"].pk), {"body": "csa"})
    assert response.status_code == 400
    response = api.patch(
        url("body-meeting-detail", records["aubin_meeting"].pk), {"duration_minutes": 45}
    )
    assert response.json()["duration_minutes"] == 45
    assert AuditEntry.objects.filter(action="body_meeting.update").count() == 1


def test_a_body_meeting_is_recorded(api, world):
    person(api, R.SOCIAL_WORKER, world)
    body = {
        "employer": world["aubin"].pk,
        "body": "job_retention",
        "held_on": "2026-10-01",
        "duration_minutes": 60,
        "topics": "Aménagements de postes à étudier pour le service technique.",
    }
    response = api.post(url("body-meeting-list"), body)
    assert response.status_code == 201
    assert BodyMeeting.objects.get().preparation_minutes == 0
    response = api.post(url("body-meeting-list"), {**body, "duration_minutes": -5})
    assert response.json()["errors"] == {
        "duration_minutes": ["La durée ne peut pas être négative."]
    }


def alert_body(world, **overrides):
    return {
        "employer": world["aubin"].pk,
        "raised_on": "2026-10-05",
        "risk": "working_conditions",
        "description": "Chaleur excessive dans les ateliers municipaux cet été.",
        "addressees": [world["contacts"]["aubin"].pk],
        **overrides,
    }


def test_an_alert_through_the_api_reaches_its_addressees_only(api, world):
    person(api, R.SOCIAL_WORKER, world)
    response = api.post(url("alert-list"), alert_body(world))
    assert response.status_code == 201
    assert [a["id"] for a in response.json()["addressees"]] == [world["contacts"]["aubin"].pk]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [
        world["contacts"]["aubin"].pk
    ]


@pytest.mark.parametrize("who", ["brissac", "unknown"])
def test_an_alert_to_someone_else_is_a_400_that_tells_nothing(api, world, who):
    person(api, R.SOCIAL_WORKER, world)
    addressee = world["contacts"]["brissac"].pk if who == "brissac" else 999_999
    response = api.post(url("alert-list"), alert_body(world, addressees=[addressee]))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "addressees": [
            "Une alerte n'est adressée qu'aux correspondant·e·s RH de Commune de Saint-Aubin."
        ]
    }
    assert not Alert.objects.exists()


def test_the_name_check_holds_an_alert_until_confirmed(api, world):
    known_employee(world["aubin"], "Martin", "Dubois", followed_by=world["nadia"])
    person(api, R.SOCIAL_WORKER, world)
    body = alert_body(world, description="Martin Dubois se plaint de son chef.")
    response = api.post(url("alert-list"), body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"description": [rules.NAME_WARNING]}
    assert AuditEntry.objects.filter(action="collective.name_warning").count() == 1
    assert not Notification.objects.filter(recipient=world["contacts"]["aubin"]).exists()
    response = api.post(url("alert-list"), {**body, "names_confirmed": True})
    assert response.status_code == 201


def test_the_employer_of_an_alert_never_changes(api, world, records):
    sign_in(api.client, world["claire"].user)
    alert = records["aubin_alert"]
    response = api.patch(url("alert-detail", alert.pk), {"employer": world["valmont"].pk})
    assert response.json()["errors"] == {"employer": ["L'employeur d'une alerte ne change pas."]}
    response = api.patch(url("alert-detail", alert.pk), {"follow_up": "Médiation engagée."})
    assert response.json()["follow_up"] == "Médiation engagée."


def test_list_filters(api, world):
    import datetime as dt

    claire = world["claire"]
    new = make_action(claire, [(world["aubin"], 3)], kind="training")
    old = make_action(claire, [(world["valmont"], 3)], starts_on=dt.date(2025, 1, 5))
    sign_in(api.client, claire.user)
    assert ids(api.get(url("collective-action-list"), {"year": 2025})) == {old.pk}
    assert ids(api.get(url("collective-action-list"), {"kind": "training"})) == {new.pk}
    assert ids(api.get(url("collective-action-list"), {"employer": world["aubin"].pk})) == {new.pk}
    response = api.get(url("alert-list"), {"risk": "weather"})
    assert response.status_code == 400


def test_a_worker_of_another_team_lists_nothing(api, world, records):
    sign_in(api.client, SocialWorkerFactory().user)
    assert ids(api.get(url("collective-action-list"))) == set()
