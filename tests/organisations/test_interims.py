"""A counsellor's interim (circular 2007-38, annex I): the named colleague holds the team's
counsellor's powers during the dates only, and every read is journaled as made in interim."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.models import Referral
from polesocial.casework.services import referrals
from polesocial.organisations import services
from polesocial.organisations.models import CounsellorInterim
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import (
    EmployerFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    open_case_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_setting():
    """Team T (a worker with an open case, a waiting referral) and a counsellor of
    another team, who will hold T's interim."""
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    referral = referrals.referral_create(
        actor=None,
        employer=EmployerFactory(team=worker.team),
        source="employer_hr",
        reason="Difficultés signalées.",
        person_last_name="Durand",
        person_first_name="Léa",
    )
    interim = TeamFactory(operator=worker.team.operator).counsellor
    return worker, case, referral, interim


def interim_for(team, interim, starts_in: int, ends_in: int) -> CounsellorInterim:
    today = timezone.localdate()
    return services.counsellor_interim_create(
        actor=team.counsellor,
        team=team,
        interim=interim,
        starts_on=today + dt.timedelta(days=starts_in),
        ends_on=today + dt.timedelta(days=ends_in),
    )


def test_during_the_interim_the_colleague_reads_and_assigns_journaled_as_interim(
    client, team_setting
):
    worker, case, referral, interim = team_setting
    interim_for(worker.team, interim, -1, 1)
    sign_in(client, interim)
    page = client.get(reverse("casework:caseloads")).content.decode()
    assert case.number in page
    read = AuditEntry.objects.get(actor=interim, action="case.metadata_list")
    assert read.replacement is True
    assert str(case.pk) in [str(pk) for pk in read.object_ids]
    response = client.post(
        reverse("casework:referral_assign", args=[referral.pk]), {"worker": worker.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assigned_to == worker
    assert AuditEntry.objects.get(actor=interim, action="referral.assign").replacement is True


@pytest.mark.parametrize(("starts_in", "ends_in"), [(1, 5), (-5, -1)], ids=["before", "after"])
def test_before_or_after_the_interim_the_colleague_has_no_access(
    client, team_setting, starts_in, ends_in
):
    worker, case, referral, interim = team_setting
    interim_for(worker.team, interim, starts_in, ends_in)
    sign_in(client, interim)
    assert case.number not in client.get(reverse("casework:caseloads")).content.decode()
    response = client.post(
        reverse("casework:referral_assign", args=[referral.pk]), {"worker": worker.pk}
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).assigned_to is None
    edit = reverse("organisations:social_worker_update", args=[worker.pk])
    assert client.get(edit).status_code == 404


def test_the_teams_own_counsellor_reads_as_herself(client, team_setting):
    worker, case, _referral, interim = team_setting
    interim_for(worker.team, interim, -1, 1)
    sign_in(client, worker.team.counsellor)
    assert case.number in client.get(reverse("casework:caseloads")).content.decode()
    read = AuditEntry.objects.get(actor=worker.team.counsellor, action="case.metadata_list")
    assert read.replacement is False


def test_the_counsellor_names_her_interim_on_the_screen(client, team_setting):
    worker, _case, _referral, interim = team_setting
    sign_in(client, worker.team.counsellor)
    url = reverse("organisations:interim_list")
    response = client.post(
        url,
        {
            "team": worker.team.pk,
            "interim": interim.pk,
            "starts_on": "2026-07-01",
            "ends_on": "2026-06-01",
        },
    )
    assert "La fin de l'intérim précède son début" in html.unescape(response.content.decode())
    data = {
        "team": worker.team.pk,
        "interim": interim.pk,
        "starts_on": "2026-07-01",
        "ends_on": "2026-07-31",
    }
    assert client.post(url, data).status_code == 302
    record = CounsellorInterim.objects.get()
    assert (record.absent, record.interim) == (worker.team.counsellor, interim)
    assert AuditEntry.objects.filter(action="counsellor_interim.create").exists()
    assert interim.full_name in client.get(url).content.decode()


def test_only_the_teams_leads_or_the_admin_name_an_interim(team_setting):
    worker, _case, _referral, interim = team_setting
    day = dt.date(2026, 7, 1)
    with pytest.raises(ValidationError, match="Vous n'encadrez pas cette équipe"):
        services.counsellor_interim_create(
            actor=interim, team=worker.team, interim=interim, starts_on=day, ends_on=day
        )
    with pytest.raises(ValidationError, match="compte actif de conseiller"):
        services.counsellor_interim_create(
            actor=UserFactory(role=Role.ADMIN),
            team=worker.team,
            interim=UserFactory(role=Role.SECRETARY),
            starts_on=day,
            ends_on=day,
        )


def test_the_interim_edits_the_team_s_workers_but_names_no_interim_of_it(client, team_setting):
    """Two rules of the scope table: the teams she manages include those held in interim
    today (workers' records), the teams whose interim she names do not."""
    worker, _case, _referral, interim = team_setting
    interim_for(worker.team, interim, -1, 1)
    sign_in(client, interim)
    edit = reverse("organisations:social_worker_update", args=[worker.pk])
    assert client.get(edit).status_code == 200
    page = client.get(reverse("organisations:interim_list"))
    offered = set(page.context["form"].fields["team"].queryset)
    assert worker.team not in offered
    assert offered == {interim.led_teams.get()}
    assert worker.team.name in page.content.decode()  # the interim she holds is listed


def test_the_interim_hears_of_new_referrals_while_it_runs(team_setting):
    from polesocial.notifications.models import Notification

    worker, _case, _referral, interim = team_setting
    interim_for(worker.team, interim, 0, 0)
    referrals.referral_create(
        actor=None,
        employer=EmployerFactory(team=worker.team),
        source="employer_hr",
        reason="Difficultés signalées.",
        person_last_name="Martin",
        person_first_name="Paul",
    )
    recipients = set(
        Notification.objects.filter(title__startswith="Nouvelle saisine").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {worker.team.counsellor.pk, interim.pk}
