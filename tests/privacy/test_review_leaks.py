"""Secrecy review: leaks found by trying each channel with one account, and their fixes.

Each test states what a user of that account must (not) learn; see the review report for
the channels checked where nothing leaked.
"""

import datetime as dt
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.models import CaseDocument, Referral
from polesocial.casework.services import cases, records, referrals
from polesocial.collective import services as collective_services
from polesocial.organisations.models import Replacement
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import (
    EMPLOYEE_IDENTITY,
    EmployerFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    open_case_for,
)

pytestmark = pytest.mark.django_db

REASON = "Difficultés financières signalées par le service RH."


def today() -> dt.date:
    return timezone.localdate()


def text_of(response) -> str:
    return unescape(response.content.decode())


def entries(action: str, user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, actor=user).order_by("sequence"))


def api_ids(response) -> list:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def replacement_of(absent, replacing, *, starts_on=None, ends_on=None) -> Replacement:
    return Replacement.objects.create(
        absent=absent,
        replacing=replacing,
        starts_on=starts_on or today(),
        ends_on=ends_on or today() + dt.timedelta(days=5),
        created_by=absent.team.counsellor,
    )


# --- A transferred case: the referral, its assessment and the person go with it -----------


@pytest.fixture
def transferred():
    """Anne's case (with its referral) handed to her colleague Bea."""
    anne = SocialWorkerFactory()
    bea = SocialWorkerFactory(team=anne.team)
    case = open_case_for(anne, opened_on=today() - dt.timedelta(days=30))
    cases.case_transfer(actor=anne.user, case=case, to_worker=bea)
    return anne, bea, case


def test_after_a_transfer_the_previous_worker_no_longer_reads_the_referral(client, transferred):
    anne, bea, case = transferred
    url = reverse("casework:referral_detail", args=[case.referral_id])
    sign_in(client, anne.user)
    assert client.get(url).status_code == 404
    sign_in(client, bea.user)
    page = client.get(url)
    assert page.status_code == 200 and REASON in text_of(page)
    # Bea holds the file now: her read is hers, not a replacement's.
    [entry] = entries("referral.read", bea.user)
    assert not entry.replacement


def test_after_a_transfer_the_api_shows_the_previous_worker_nothing_of_it(client, transferred):
    anne, bea, case = transferred
    sign_in(client, anne.user)
    assert api_ids(client.get(reverse("api:referral-list"))) == []
    assert api_ids(client.get(reverse("api:employee-list"))) == []
    detail = reverse("api:referral-detail", kwargs={"pk": case.referral_id})
    assert client.get(detail).status_code == 404
    sign_in(client, bea.user)
    assert api_ids(client.get(reverse("api:referral-list"))) == [case.referral_id]
    assert len(api_ids(client.get(reverse("api:employee-list")))) == 1


def test_a_departing_worker_loses_the_referrals_of_the_cases_handed_over(client):
    anne = SocialWorkerFactory()
    bea = SocialWorkerFactory(team=anne.team)
    case = open_case_for(anne)
    cases.caseload_transfer(actor=anne.team.counsellor, from_worker=anne, to_worker=bea)
    sign_in(client, anne.user)
    url = reverse("casework:referral_detail", args=[case.referral_id])
    assert client.get(url).status_code == 404


def test_the_referral_follows_its_case_whatever_moved_it():
    """The scope itself decides: the referral of a case is read by that case's holder."""
    anne = SocialWorkerFactory()
    bea = SocialWorkerFactory(team=anne.team)
    case = open_case_for(anne)
    type(case).objects.filter(pk=case.pk).update(worker=bea)
    assert not Referral.objects.visible_by(anne.user).filter(pk=case.referral_id).exists()
    assert Referral.objects.visible_by(bea.user).filter(pk=case.referral_id).exists()
    # Bea's replacement reads it too, during the replacement only.
    carla = SocialWorkerFactory(team=anne.team)
    replacement_of(bea, carla)
    assert Referral.objects.visible_by(carla.user).filter(pk=case.referral_id).exists()


# --- Silent matching: the name check of collective texts ------------------------------------


@pytest.fixture
def alert_world():
    team = TeamFactory()
    employer = EmployerFactory(team=team)
    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    return {
        "employer": employer,
        "contact": contact,
        "writer": SocialWorkerFactory(team=team),
        "colleague": SocialWorkerFactory(team=team),
    }


def raise_alert(world, description):
    return collective_services.alert_create(
        actor=world["writer"].user,
        worker=world["writer"],
        employer=world["employer"],
        addressees=[world["contact"]],
        raised_on=today(),
        risk="reorganisation",
        description=description,
    )


def test_the_name_check_does_not_tell_a_worker_that_a_colleague_follows_someone(alert_world):
    open_case_for(alert_world["colleague"], employer=alert_world["employer"])
    # Answered exactly as for a name nobody knows: the alert is saved, no warning.
    alert = raise_alert(alert_world, "Mme Éloïse Dupont-Lefèvre est en grande difficulté.")
    assert alert.pk is not None
    assert not AuditEntry.objects.filter(action="collective.name_warning").exists()


def test_the_name_check_still_stops_a_worker_naming_someone_she_follows(alert_world):
    from django.core.exceptions import ValidationError

    from polesocial.collective import rules

    open_case_for(alert_world["writer"], employer=alert_world["employer"])
    with pytest.raises(ValidationError) as error:
        raise_alert(alert_world, "Mme Éloïse Dupont-Lefèvre est en grande difficulté.")
    assert error.value.message_dict == {"description": [rules.NAME_WARNING]}


# --- Silent matching: the employer a colleague recorded --------------------------------------


@pytest.fixture
def matched_elsewhere():
    """Anne follows Éloïse at her team's employer; later a worker of another team records
    the same person (same names and birth date) at an employer of that other team."""
    anne = SocialWorkerFactory()
    own_employer = EmployerFactory(team=anne.team, name="Commune d'Anne")
    case = open_case_for(anne, employer=own_employer, opened_on=today() - dt.timedelta(days=30))
    other = SocialWorkerFactory()
    elsewhere = EmployerFactory(team=other.team, name="Syndicat des eaux de l'Autre Rive")
    open_case_for(other, employer=elsewhere)
    return anne, case, own_employer, elsewhere


def test_the_interview_form_does_not_show_an_employer_a_colleague_recorded(
    client, matched_elsewhere
):
    anne, case, own_employer, elsewhere = matched_elsewhere
    sign_in(client, anne.user)
    page = client.get(reverse("casework:case_interviews", args=[case.pk]))
    assert elsewhere.name not in text_of(page)
    assert page.context["form"]["employer"].value() == own_employer.pk


def test_an_interview_without_an_employer_is_charged_to_the_one_she_recorded(
    client, matched_elsewhere
):
    anne, case, own_employer, elsewhere = matched_elsewhere
    sign_in(client, anne.user)
    response = client.post(
        reverse("api:interview-list"),
        {
            "case": case.pk,
            "occurred_on": today().isoformat(),
            "place": "phone",
            "duration_minutes": 30,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["employer"] == own_employer.pk
    screen = records.interview_record(
        actor=anne.user, case=case, occurred_on=today(), place="phone", duration_minutes=20
    )
    assert screen.employer == own_employer


# --- Replacements are named by the counsellor of the absent worker's team ----------------


def test_a_counsellor_cannot_open_another_team_s_caseload_to_her_worker(client):
    own_team = TeamFactory()
    her_worker = SocialWorkerFactory(team=own_team)
    stranger = SocialWorkerFactory()  # a worker of a team she does not lead
    open_case_for(stranger)
    sign_in(client, own_team.counsellor)
    response = client.post(
        reverse("organisations:replacement_list"),
        {
            "absent": stranger.pk,
            "replacing": her_worker.pk,
            "starts_on": today().isoformat(),
            "ends_on": (today() + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "absent" in response.context["form"].errors
    assert not Replacement.objects.exists()
    page = client.get(reverse("organisations:replacement_list"))
    choices = {str(value) for value, _ in page.context["form"].fields["absent"].choices}
    assert str(stranger.pk) not in choices and str(her_worker.pk) in choices


def test_a_counsellor_names_a_replacement_within_her_team(client):
    team = TeamFactory()
    absent, replacing = SocialWorkerFactory(team=team), SocialWorkerFactory(team=team)
    sign_in(client, team.counsellor)
    response = client.post(
        reverse("organisations:replacement_list"),
        {
            "absent": absent.pk,
            "replacing": replacing.pk,
            "starts_on": today().isoformat(),
            "ends_on": (today() + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Replacement.objects.get().absent == absent


# --- The journal marks what a replacement does on a referral ---------------------------------


@pytest.fixture
def referral_of_absent():
    absent = SocialWorkerFactory()
    replacing = SocialWorkerFactory(team=absent.team)
    replacement_of(absent, replacing)
    employer = EmployerFactory(team=absent.team)
    referral = referrals.referral_create(
        actor=None,
        employer=employer,
        source="employer_hr",
        reason=REASON,
        person_last_name=EMPLOYEE_IDENTITY["last_name"],
        person_first_name=EMPLOYEE_IDENTITY["first_name"],
    )
    referrals.referral_assign(actor=absent.user, referral=referral, worker=absent)
    return absent, replacing, employer, referral


def assessment_post(employer) -> dict:
    return {
        "assessed_on": today().isoformat(),
        "outcome": "open_case",
        "notes": "Appel de 20 minutes.",
        "last_name": EMPLOYEE_IDENTITY["last_name"],
        "first_name": EMPLOYEE_IDENTITY["first_name"],
        "birth_date": EMPLOYEE_IDENTITY["birth_date"].isoformat(),
        "sex": "F",
        "employer": employer.pk,
        "status": "titulaire",
        "category": "C",
        "family_situation": "single_parent",
        "children_count": 2,
    }


def test_a_replacement_s_assessment_consent_and_opening_are_journaled_as_hers(
    client, referral_of_absent
):
    absent, replacing, employer, referral = referral_of_absent
    sign_in(client, replacing.user)
    pk = referral.pk
    client.post(reverse("casework:referral_assess", args=[pk]), assessment_post(employer))
    client.post(
        reverse("casework:referral_consent", args=[pk]),
        {"given_on": today().isoformat(), "form": "oral"},
    )
    client.post(
        reverse("casework:referral_case_open", args=[pk]),
        {"domains": ["budget"], "opened_on": today().isoformat()},
    )
    writes = [
        entries(action, replacing.user)
        for action in ("referral.assess", "consent.record", "case.open")
    ]
    assert [len(found) for found in writes] == [1, 1, 1]
    assert all(found[0].replacement for found in writes)
    assert referral.cases.get().worker == absent


def test_a_replacement_s_assessment_consent_and_opening_by_api_are_journaled_as_hers(
    client, referral_of_absent
):
    absent, replacing, employer, referral = referral_of_absent
    sign_in(client, replacing.user)
    identity = {
        k: v
        for k, v in assessment_post(employer).items()
        if k not in ("assessed_on", "outcome", "notes")
    }
    assess = client.post(
        reverse("api:referral-assess", kwargs={"pk": referral.pk}),
        {"assessed_on": today().isoformat(), "outcome": "open_case", "employee": identity},
        content_type="application/json",
    )
    assert assess.status_code == 200, assess.content
    consent = client.post(
        reverse("api:referral-consent", kwargs={"pk": referral.pk}),
        {"given_on": today().isoformat(), "form": "oral"},
        content_type="application/json",
    )
    assert consent.status_code == 201, consent.content
    opened = client.post(
        reverse("api:case-list"),
        {"consent": consent.json()["id"], "domains": ["budget"]},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    for action in ("referral.assess", "consent.record", "case.open"):
        [entry] = entries(action, replacing.user)
        assert entry.replacement, action


# --- The morning dashboard journals the plan actions it shows ------------------------------


def test_the_dashboard_journals_the_plan_actions_it_shows(client):
    worker = SocialWorkerFactory()
    case = open_case_for(worker, opened_on=today() - dt.timedelta(days=20))
    objective = records.objective_add(actor=worker.user, case=case, title="Budget")
    action = records.action_add(
        actor=worker.user,
        objective=objective,
        description="Constituer le dossier FSL",
        due_on=today(),
    )
    sign_in(client, worker.user)
    assert "Constituer le dossier FSL" in text_of(client.get(reverse("core:home")))
    [entry] = entries("plan_action.list", worker.user)
    assert entry.object_ids == [action.pk] and not entry.replacement


# --- Encryption at rest ---------------------------------------------------------------------


def raw_column(model, column: str, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_document_s_name_is_not_readable_in_the_database(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    document = records.document_upload(
        actor=worker.user,
        case=case,
        name="arret-maladie-depression-dupont-lefevre.pdf",
        data=b"%PDF-1.4 certificat",
    )
    assert "depression" not in raw_column(CaseDocument, "name", document.pk)
    assert (
        CaseDocument.objects.get(pk=document.pk).name
        == "arret-maladie-depression-dupont-lefevre.pdf"
    )


def test_who_referred_the_employee_is_not_readable_in_the_database():
    referral = referrals.referral_create(
        actor=None,
        employer=EmployerFactory(),
        source="employee",
        reason=REASON,
        person_last_name="Dupont-Lefèvre",
        person_first_name="Éloïse",
        referrer_name="Éloïse Dupont-Lefèvre (elle-même)",
        referrer_contact="06 12 34 56 78",
    )
    assert "Dupont" not in raw_column(Referral, "referrer_name", referral.pk)
    assert "06 12" not in raw_column(Referral, "referrer_contact", referral.pk)
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.referrer_contact == "06 12 34 56 78"


# --- Every API read of case content is journaled (those tests/casework do not cover) -------


@pytest.fixture
def full_case():
    from tests.factories import PartnerFactory

    worker = SocialWorkerFactory()
    case = open_case_for(worker, opened_on=today() - dt.timedelta(days=30))
    objective = records.objective_add(actor=worker.user, case=case, title="Budget")
    action = records.action_add(actor=worker.user, objective=objective, description="FSL")
    orientation = records.orientation_record(
        actor=worker.user,
        case=case,
        partner=PartnerFactory(),
        oriented_on=today(),
        purpose="Aide au loyer",
    )
    return worker, case, {"objective": objective, "action": action, "orientation": orientation}


@pytest.mark.parametrize(
    ("name", "shown", "action"),
    [
        ("referral-list", "referral", "referral.list"),
        ("employee-list", "employee", "employee.list"),
        ("plan-objective-list", "objective", "plan_objective.list"),
        ("plan-objective-detail", "objective", "plan_objective.read"),
        ("plan-action-list", "action", "plan_action.list"),
        ("plan-action-detail", "action", "plan_action.read"),
        ("orientation-list", "orientation", "orientation.list"),
        ("orientation-detail", "orientation", "orientation.read"),
    ],
)
def test_each_api_read_of_case_content_writes_one_journal_entry(
    client, full_case, name, shown, action
):
    worker, case, rows = full_case
    rows = {**rows, "referral": case.referral, "employee": case.employee}
    sign_in(client, worker.user)
    if name.endswith("-detail"):
        path, params = reverse(f"api:{name}", kwargs={"pk": rows[shown].pk}), {}
    else:
        per_case = shown not in ("referral", "employee")
        path, params = reverse(f"api:{name}"), ({"case": case.pk} if per_case else {})
    before = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    assert client.get(path, params).status_code == 200
    [entry] = AuditEntry.objects.filter(sequence__gt=before)
    assert (entry.actor, entry.action, entry.replacement) == (worker.user, action, False)
    assert entry.object_ids == [rows[shown].pk]
