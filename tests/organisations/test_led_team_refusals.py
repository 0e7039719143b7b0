"""The counsellor's acts on a team are hers (or her interim's) alone, whoever calls.

Assigning a referral of the queue, moving a caseload and validating an FTE plan each act
on one team. The screens offer another team's rows to nobody (404, or not in the list);
the services refuse the same act in French, so that a command, a later API or a forged
call meets the same rule (privacy.scopes Team "led" and "managed"). Nothing is written.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polesocial.billing.models import FtePlanValidation
from polesocial.billing.services import fte_plan_validate
from polesocial.casework.models import Case, Referral
from polesocial.casework.services import cases, referrals
from polesocial.organisations.models import CounsellorInterim, FteShare
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.billing.helpers import setting
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db


def refused(write) -> str:
    with pytest.raises(ValidationError) as caught:
        write()
    return " ".join(caught.value.messages)


def waiting_referral(team) -> Referral:
    return referrals.referral_create(
        actor=None, employer=EmployerFactory(team=team), source="employer_hr",
        reason="Difficultés au travail.", person_last_name="Dupont-Lefèvre",
        person_first_name="Éloïse",
    )  # fmt: skip


def test_another_teams_counsellor_cannot_assign_a_referral_of_the_queue(client):
    worker = SocialWorkerFactory()
    stranger = SocialWorkerFactory().team.counsellor
    referral = waiting_referral(worker.team)
    sign_in(client, stranger)
    url = reverse("casework:referral_assign", args=[referral.pk])
    assert client.post(url, {"worker": worker.pk}).status_code == 404  # not in her queue
    message = refused(
        lambda: referrals.referral_assign(actor=stranger, referral=referral, worker=worker)
    )
    assert "Vous n'encadrez pas l'équipe qui sert cet employeur" in message
    referral.refresh_from_db()
    assert referral.assigned_to is None and referral.status == "received"
    assert not AuditEntry.objects.filter(action="referral.assign").exists()
    # Her own counsellor assigns it; the worker takes one herself.
    referrals.referral_assign(actor=worker.team.counsellor, referral=referral, worker=worker)
    assert Referral.objects.get(pk=referral.pk).assigned_to == worker
    taken = referrals.referral_take(actor=worker.user, referral=waiting_referral(worker.team))
    assert taken.assigned_to == worker


def test_another_teams_counsellor_cannot_move_a_caseload():
    departing = SocialWorkerFactory()
    colleague = SocialWorkerFactory(team=departing.team)
    case = open_case_for(departing)
    for actor in (SocialWorkerFactory().team.counsellor, colleague.user):
        message = refused(
            lambda actor=actor: cases.caseload_transfer(
                actor=actor, from_worker=departing, to_worker=colleague
            )
        )
        assert "Vous n'encadrez pas l'équipe de cette ASS" in message
    assert Case.objects.get(pk=case.pk).worker == departing
    # The administrator may (moving a worker to another team hands her cases over).
    admin = UserFactory(role=Role.ADMIN)
    assert cases.caseload_transfer(actor=admin, from_worker=departing, to_worker=colleague) == 1


def test_another_teams_counsellor_cannot_move_a_caseload_on_screen(client):
    departing = SocialWorkerFactory()
    colleague = SocialWorkerFactory(team=departing.team)
    case = open_case_for(departing)
    sign_in(client, SocialWorkerFactory().team.counsellor)
    page = client.post(
        reverse("casework:caseload_transfer"),
        {"from_worker": departing.pk, "to_worker": colleague.pk, "confirm": "on"},
    )
    assert page.status_code == 200  # shown again with the error: not one of her workers
    assert page.context["transfer_form"].errors["from_worker"]
    assert Case.objects.get(pk=case.pk).worker == departing


def test_another_teams_counsellor_cannot_validate_an_fte_plan(client):
    worker, employer = setting(contribution=None)
    year = timezone.localdate().year
    FteShare.objects.create(worker=worker, employer=employer, year=year, share="0.5")
    stranger = SocialWorkerFactory().team.counsellor
    sign_in(client, stranger)
    validate = reverse("billing:fte_plan_validate", args=[worker.pk]) + f"?annee={year}"
    assert client.post(validate).status_code == 404
    message = refused(lambda: fte_plan_validate(actor=stranger, worker=worker, year=year))
    assert "Vous n'encadrez pas l'équipe de cette ASS" in message
    assert not FtePlanValidation.objects.exists()
    # An interim that has ended holds no power either; a running one does.
    interim, today = UserFactory(role=Role.COUNSELLOR), timezone.localdate()
    held = CounsellorInterim.objects.create(
        team=worker.team, absent=worker.team.counsellor, interim=interim,
        starts_on=today - dt.timedelta(days=7), ends_on=today - dt.timedelta(days=1),
        created_by=worker.team.counsellor,
    )  # fmt: skip
    refused(lambda: fte_plan_validate(actor=interim, worker=worker, year=year))
    CounsellorInterim.objects.filter(pk=held.pk).update(ends_on=today)
    assert fte_plan_validate(actor=interim, worker=worker, year=year).validated_by == interim
