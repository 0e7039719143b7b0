"""The casework API, what a case holds: interviews, plan, orientations, one case at a time."""

import datetime as dt

import pytest

from polesocial.casework import rules
from polesocial.casework.models import Interview
from polesocial.casework.services import referrals
from polesocial.privacy.models import AuditEntry
from tests.casework.api_helpers import READERS, check_list_and_detail, on, url
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", READERS)
def test_interviews_by_reader(api, world, who):
    sign_in(api.client, world.reader(who))
    check_list_and_detail(
        api,
        who,
        url("interview-list"),
        url("interview-detail", world.interview.pk),
        world.interview.pk,
        {"case": world.case.pk},
    )


def test_what_a_case_holds_is_listed_one_case_at_a_time(api, world):
    sign_in(api.client, world.worker.user)
    for name in ("interview-list", "plan-objective-list", "plan-action-list", "orientation-list"):
        response = api.get(url(name))
        assert response.status_code == 400
        assert response.json()["errors"] == {"case": ["Ce champ est obligatoire."]}


# --- No interview without consent, none impossible ----------------------------------------


def test_no_interview_once_consent_is_withdrawn(api, world):
    referrals.consent_withdraw(
        actor=world.worker.user, consent=world.case.consent, withdrawn_on=dt.date(2026, 4, 1)
    )
    sign_in(api.client, world.worker.user)
    body = {
        "case": world.case.pk,
        "occurred_on": "2026-04-02",
        "place": "phone",
        "duration_minutes": 30,
    }
    response = api.post(url("interview-list"), body)
    assert response.status_code == 400
    assert response.json()["detail"] == rules.NO_CONSENT
    assert api.get(url("case-detail", world.case.pk)).json()["consent_active"] is False
    objective = api.post(url("plan-objective-list"), {"case": world.case.pk, "title": "x"})
    assert objective.json()["detail"] == rules.NO_CONSENT
    assert Interview.objects.count() == 1
    # The case can still be closed.
    closed = api.post(
        url("case-close", world.case.pk), {"closed_on": "2026-04-02", "reason": "employee_choice"}
    )
    assert closed.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"duration_minutes": 481},
            "duration_minutes",
            "Un entretien ne peut pas dépasser 8 heures (480 minutes).",
        ),
        ({"duration_minutes": 0}, "duration_minutes", "La durée doit être d'au moins une minute."),
        (
            {"occurred_on": "2026-11-24"},
            "occurred_on",
            "Un entretien ne peut pas être daté dans le futur.",
        ),
    ],
)
def test_an_impossible_interview_is_a_french_400(api, world, overrides, field, message):
    sign_in(api.client, world.worker.user)
    body = {
        "case": world.case.pk,
        "occurred_on": "2026-03-10",
        "place": "phone",
        "duration_minutes": 60,
    }
    with on(dt.date(2026, 11, 23)):
        response = api.post(url("interview-list"), {**body, **overrides})
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert Interview.objects.count() == 1


# --- Replacement --------------------------------------------------------------------------


def test_a_replacement_writes_as_a_replacement_and_keeps_her_private_note(api, world):
    sign_in(api.client, world.replacing.user)
    body = {
        "case": world.case.pk,
        "occurred_on": "2026-07-15",
        "place": "phone",
        "duration_minutes": 20,
        "private_note": "Note de la remplaçante",
    }
    with on(dt.date(2026, 7, 15)):
        response = api.post(url("interview-list"), body)
    assert response.status_code == 201
    assert response.json()["private_note"] == "Note de la remplaçante"
    entry = AuditEntry.objects.get(action="interview.create", actor=world.replacing.user)
    assert entry.replacement is True
    sign_in(api.client, world.worker.user)
    assert api.get(url("interview-detail", response.json()["id"])).json()["private_note"] is None
    own = api.get(url("interview-detail", world.interview.pk)).json()
    assert own["private_note"] == "Impression : épuisement."
    assert world.case.worker == world.worker  # still hers
