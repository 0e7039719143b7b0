"""Who reads which collective work: the scope table, on querysets and on the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.collective.models import Alert, BodyMeeting, CollectiveAction
from polesocial.organisations.models import Replacement
from polesocial.users.enums import Role
from tests.collective.conftest import make_action, make_alert, make_meeting
from tests.conftest import sign_in
from tests.factories import TeamFactory, UserFactory

R = Role


@pytest.fixture
def records(world):
    """Per employer: an action, a meeting, an alert to its first contact; plus a joint
    action of Saint-Aubin and Brissac (two teams)."""
    claire, sophie = world["claire"], world["sophie"]
    contacts = world["contacts"]
    return {
        "aubin_action": make_action(claire, [(world["aubin"], 12)]),
        "valmont_action": make_action(claire, [(world["valmont"], 8)]),
        "brissac_action": make_action(sophie, [(world["brissac"], 9)]),
        "joint_action": make_action(claire, [(world["aubin"], 5), (world["brissac"], 7)]),
        "aubin_meeting": make_meeting(claire, world["aubin"]),
        "brissac_meeting": make_meeting(sophie, world["brissac"]),
        "aubin_alert": make_alert(claire, world["aubin"], [contacts["aubin"]]),
        "aubin_other_alert": make_alert(claire, world["aubin"], [contacts["aubin_other"]]),
        "brissac_alert": make_alert(sophie, world["brissac"], [contacts["brissac"]]),
    }


def visible(model, user, records):
    pks = set(model.objects.visible_by(user).values_list("pk", flat=True))
    return {name for name, record in records.items() if type(record) is model and record.pk in pks}


def test_a_worker_reads_her_teams_collective_work(world, records):
    nadia = world["nadia"].user  # Claire's colleague in team A
    assert visible(CollectiveAction, nadia, records) == {
        "aubin_action",
        "valmont_action",
        "joint_action",
    }
    assert visible(BodyMeeting, nadia, records) == {"aubin_meeting"}
    assert visible(Alert, nadia, records) == {"aubin_alert", "aubin_other_alert"}
    sophie = world["sophie"].user  # team B: the joint action serves one of her employers
    assert visible(CollectiveAction, sophie, records) == {"brissac_action", "joint_action"}


def test_a_joint_action_is_listed_once(world, records):
    actions = CollectiveAction.objects.visible_by(world["claire"].user)
    assert actions.count() == len(set(actions.values_list("pk", flat=True))) == 3
    counsellor = TeamFactory().counsellor
    world["team_b"].deputy = counsellor
    world["team_b"].save()
    world["team_a"].counsellor = counsellor
    world["team_a"].save()
    assert CollectiveAction.objects.visible_by(counsellor).count() == 4


def test_the_counsellor_reads_the_teams_she_leads(world, records):
    counsellor = world["team_a"].counsellor
    assert visible(CollectiveAction, counsellor, records) == {
        "aubin_action",
        "valmont_action",
        "joint_action",
    }
    assert visible(BodyMeeting, counsellor, records) == {"aubin_meeting"}
    assert visible(Alert, counsellor, records) == {"aubin_alert", "aubin_other_alert"}


def test_an_employer_contact_reads_his_employers_actions_and_the_alerts_to_him(world, records):
    contact = world["contacts"]["aubin"]
    assert visible(CollectiveAction, contact, records) == {"aubin_action", "joint_action"}
    assert visible(BodyMeeting, contact, records) == {"aubin_meeting"}
    # Not the alert addressed to his colleague of the same employer.
    assert visible(Alert, contact, records) == {"aubin_alert"}


def test_a_contact_unlinked_from_his_employer_no_longer_reads_its_alerts(world, records):
    contact = world["contacts"]["aubin"]
    world["aubin"].accounts.remove(contact)
    assert visible(Alert, contact, records) == set()
    assert visible(CollectiveAction, contact, records) == set()


@pytest.mark.parametrize(
    "role", [R.SECRETARY, R.BILLING, R.PHYSICIAN, R.NATIONAL_ADVISER, R.DPO, R.ADMIN]
)
def test_every_other_role_reads_nothing(world, records, role):
    user = UserFactory(role=role)
    world["aubin"].accounts.add(user)  # even a physician linked to the employer
    for model in (CollectiveAction, BodyMeeting, Alert):
        assert not model.objects.visible_by(user).exists()


# --- On the pages --------------------------------------------------------------------------


def test_an_employer_contact_sees_his_employers_actions_and_not_another_employers(
    client, world, records
):
    sign_in(client, world["contacts"]["aubin"])
    page = client.get(reverse("collective:action_list"))
    assert page.status_code == 200
    listed = {row["action"].pk for row in page.context["rows"]}
    assert listed == {records["aubin_action"].pk, records["joint_action"].pk}
    body = page.content.decode()
    assert "Commune de Brissac" not in body  # the joint action shows his employer only
    assert "Nouvelle action collective" not in body
    brissac = reverse("collective:action_detail", args=[records["brissac_action"].pk])
    assert client.get(brissac).status_code == 404
    valmont = reverse("collective:action_detail", args=[records["valmont_action"].pk])
    assert client.get(valmont).status_code == 404
    own = client.get(reverse("collective:action_detail", args=[records["aubin_action"].pk]))
    assert own.status_code == 200
    assert "Modifier" not in own.content.decode()
    edit = reverse("collective:action_update", args=[records["aubin_action"].pk])
    assert client.get(edit).status_code == 403


def test_a_contact_reads_a_joint_action_without_the_other_employers_figures(client, world, records):
    sign_in(client, world["contacts"]["aubin"])
    url = reverse("collective:action_detail", args=[records["joint_action"].pk])
    body = client.get(url).content.decode()
    assert "Commune de Saint-Aubin" in body
    assert "Commune de Brissac" not in body
    assert "seul le vôtre est affiché" in body


def test_a_contact_reads_the_alerts_addressed_to_him_only(client, world, records):
    sign_in(client, world["contacts"]["aubin"])
    page = client.get(reverse("collective:alert_list"))
    assert [alert.pk for alert in page.context["page"]] == [records["aubin_alert"].pk]
    mine = reverse("collective:alert_detail", args=[records["aubin_alert"].pk])
    colleagues = reverse("collective:alert_detail", args=[records["aubin_other_alert"].pk])
    assert client.get(mine).status_code == 200
    assert client.get(colleagues).status_code == 404


def test_a_colleague_reads_but_may_not_change_a_record(client, world, records):
    sign_in(client, world["nadia"].user)
    action = records["aubin_action"]
    page = client.get(reverse("collective:action_detail", args=[action.pk]))
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert client.get(reverse("collective:action_update", args=[action.pk])).status_code == 403
    alert = records["aubin_alert"]
    assert client.get(reverse("collective:alert_update", args=[alert.pk])).status_code == 403


def test_her_replacement_may_change_her_records(client, world, records):
    today = timezone.localdate()
    Replacement.objects.create(
        absent=world["claire"],
        replacing=world["nadia"],
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
        created_by=world["team_a"].counsellor,
    )
    sign_in(client, world["nadia"].user)
    url = reverse("collective:meeting_update", args=[records["aubin_meeting"].pk])
    assert client.get(url).status_code == 200
