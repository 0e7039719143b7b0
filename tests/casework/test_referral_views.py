"""Referral screens, the queue, the worker's dashboard and the counsellor's caseloads."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from polesocial.casework import rules
from polesocial.casework.forms.referrals import FirstAssessmentForm
from polesocial.casework.models import Case, Referral
from polesocial.casework.services import records, referrals
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

REASON = "Surendettement signalé, loyer impayé depuis trois mois"


def send(employer, *, last="Dupont-Lefèvre", first="Éloïse", reason=REASON, urgency="normal"):
    return referrals.referral_create(
        actor=None,
        employer=employer,
        source="employer_hr",
        reason=reason,
        person_last_name=last,
        person_first_name=first,
        urgency=urgency,
    )


def assigned_to(worker, **kwargs) -> Referral:
    referral = send(EmployerFactory(team=worker.team), **kwargs)
    return referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)


def identity_post(identity: dict, employer, outcome="open_case") -> dict:
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "outcome": outcome,
        "notes": "Appel de 20 minutes.",
        "sex": "F",
        "employer": employer.pk,
        "status": "titulaire",
        "category": "C",
        "family_situation": "single_parent",
        "children_count": 2,
    }
    data.update(
        {
            "last_name": identity["last_name"],
            "first_name": identity["first_name"],
            "birth_date": identity["birth_date"].isoformat(),
        }
    )
    return data


def entries(action: str, user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, actor=user))


# --- Adresser un agent -----------------------------------------------------------------


def test_hr_contact_sends_a_referral_then_sees_only_received(client):
    employer = EmployerFactory()
    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    sign_in(client, contact)
    form_page = client.get(reverse("casework:referral_create"))
    assert 'name="source"' not in form_page.content.decode()
    assert "doit être d'accord" in form_page.content.decode()
    response = client.post(
        reverse("casework:referral_create"),
        {
            "employer": employer.pk,
            "person_last_name": "Dupont-Lefèvre",
            "person_first_name": "Éloïse",
            "person_contact": "06 00 00 00 00",
            "reason": REASON,
            "urgency": "urgent",
            "referrer_name": contact.full_name,
            "referrer_contact": contact.email,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:referral_sent")
    referral = Referral.objects.get()
    assert (referral.source, referral.created_by, referral.urgency) == (
        "employer_hr",
        contact,
        "urgent",
    )
    # The worker takes it, assesses it, records consent and opens the case.
    # A name no factory can produce by chance, so that its absence means something.
    worker = SocialWorkerFactory(team=employer.team, user__last_name="Quillivic-Kerbrat")
    referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)
    assessment = referrals.first_assessment_record(
        actor=worker.user,
        referral=referral,
        assessed_on=timezone.localdate(),
        outcome="open_case",
        employee={**EMPLOYEE_IDENTITY, "employer": employer},
    )
    consent = referrals.consent_record(
        actor=worker.user,
        employee=assessment.referral.employee,
        given_on=timezone.localdate(),
        form="oral",
        referral=referral,
    )
    from polesocial.casework.services.cases import case_open

    case = case_open(
        actor=worker.user,
        employee=consent.employee,
        consent=consent,
        domains=["budget"],
        opened_on=timezone.localdate(),
        referral=referral,
    )
    sent = client.get(reverse("casework:referral_sent")).content.decode()
    assert referral.number in sent and "Reçue" in sent
    for word in ("Attribuée", "Évaluée", worker.user.last_name, case.number):
        assert word not in sent
    pages = [
        "core:home",
        "casework:referral_create",
        "casework:referral_sent",
        "organisations:my_employer",
        "notifications:list",
        "tokens:list",
    ]
    for name in pages:
        html = client.get(reverse(name)).content.decode()
        for secret in ("Dupont", "Éloïse", "Surendettement", case.number):
            assert secret not in html, f"{secret} on {name}"
    for name in ("casework:referral_detail", "casework:case_detail"):
        pk = referral.pk if name == "casework:referral_detail" else case.pk
        assert client.get(reverse(name, args=[pk])).status_code in (403, 404)


def test_physician_chooses_only_among_his_employers(client):
    mine, other = EmployerFactory(), EmployerFactory()
    physician = UserFactory(role=Role.PHYSICIAN)
    mine.accounts.add(physician)
    sign_in(client, physician)
    html = client.get(reverse("casework:referral_create")).content.decode()
    assert mine.name in html and other.name not in html
    data = {
        "employer": other.pk,
        "person_last_name": "Martin",
        "person_first_name": "Léa",
        "reason": "x",
        "urgency": "normal",
        "referrer_name": "Dr Bonnet",
        "referrer_contact": "bonnet@example.fr",
    }
    response = client.post(reverse("casework:referral_create"), data)
    assert response.status_code == 200 and not Referral.objects.exists()
    client.post(reverse("casework:referral_create"), {**data, "employer": mine.pk})
    assert Referral.objects.get().source == "occupational_health"


def test_staff_choose_the_source_among_their_team_employers(client):
    team = TeamFactory()
    ours, theirs = EmployerFactory(team=team), EmployerFactory()
    sign_in(client, team.counsellor)
    html = client.get(reverse("casework:referral_create")).content.decode()
    assert 'name="source"' in html
    assert ours.name in html and theirs.name not in html


# --- File d'attente --------------------------------------------------------------------


def test_queue_shows_no_identity_or_reason(client):
    worker = SocialWorkerFactory()
    referral = send(
        EmployerFactory(team=worker.team), last="Zyxwabc", first="Quentinette", urgency="urgent"
    )
    for user in (worker.team.counsellor, worker.user):
        sign_in(client, user)
        html = client.get(reverse("casework:queue")).content.decode()
        assert referral.number in html and "Urgente" in html
        for secret in ("Zyxwabc", "ZYXWABC", "Quentinette", "Surendettement"):
            assert secret not in html
        [entry] = entries("referral.queue_list", user)
        assert entry.object_type == "casework.Referral" and entry.object_ids == [referral.pk]


def test_queue_is_the_team_s_oldest_first_with_waiting_days(client):
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    recent = send(employer)
    old = referrals.referral_create(
        actor=None,
        employer=employer,
        source="employee",
        reason="x",
        person_last_name="A",
        person_first_name="B",
        received_at=timezone.now() - dt.timedelta(days=12),
    )
    elsewhere = send(EmployerFactory())
    sign_in(client, worker.user)
    html = client.get(reverse("casework:queue")).content.decode()
    assert html.index(old.number) < html.index(recent.number)
    assert "12 jours" in html and elsewhere.number not in html


def test_a_worker_takes_a_referral_of_her_team(client):
    worker = SocialWorkerFactory()
    referral = send(EmployerFactory(team=worker.team))
    sign_in(client, worker.user)
    response = client.post(reverse("casework:referral_take", args=[referral.pk]))
    assert response["Location"] == reverse("casework:referral_detail", args=[referral.pk])
    referral.refresh_from_db()
    assert (referral.assigned_to, referral.status) == (worker, "assigned")
    # Another team's referral is not in her queue: absent.
    other = send(EmployerFactory())
    assert client.post(reverse("casework:referral_take", args=[other.pk])).status_code == 404
    # A colleague's referral cannot be taken from her.
    colleague = SocialWorkerFactory(team=worker.team)
    theirs = assigned_to(colleague)
    response = client.post(reverse("casework:referral_take", args=[theirs.pk]), follow=True)
    assert "déjà attribuée à une collègue" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.assigned_to == colleague


def test_the_counsellor_assigns_to_a_worker_of_the_team_only(client):
    worker, stranger = SocialWorkerFactory(), SocialWorkerFactory()
    referral = send(EmployerFactory(team=worker.team))
    sign_in(client, worker.team.counsellor)
    url = reverse("casework:referral_assign", args=[referral.pk])
    response = client.post(url, {"worker": stranger.pk}, follow=True)
    assert "choisissez une ASS de l&#x27;équipe" in response.content.decode()
    referral.refresh_from_db()
    assert referral.assigned_to is None
    client.post(url, {"worker": worker.pk})
    referral.refresh_from_db()
    assert (referral.assigned_to, referral.status) == (worker, "assigned")
    assert worker.user.notifications.filter(title__contains=referral.number).exists()
    # A worker does not assign; another team's counsellor finds no such referral.
    sign_in(client, worker.user)
    assert client.post(url, {"worker": worker.pk}).status_code == 403
    sign_in(client, stranger.team.counsellor)
    assert client.post(url, {"worker": stranger.pk}).status_code == 404


# --- Saisine ---------------------------------------------------------------------------


def test_only_the_worker_in_charge_opens_the_referral_and_the_read_is_journaled(client):
    worker = SocialWorkerFactory()
    referral = assigned_to(worker)
    sign_in(client, SocialWorkerFactory(team=worker.team).user)
    assert client.get(reverse("casework:referral_detail", args=[referral.pk])).status_code == 404
    sign_in(client, worker.user)
    html = client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
    assert "DUPONT-LEFÈVRE" in html and "Surendettement" in html
    for name in FirstAssessmentForm.base_fields:  # the grouped template forgets none
        assert f'name="{name}"' in html
    [entry] = entries("referral.read", worker.user)
    assert entry.object_ids == [referral.pk] and not entry.replacement
    assert entry.subject == f"casework.Referral:{referral.pk}"


def test_a_replacement_reads_the_referral_with_a_banner_and_a_replacement_entry(client):
    absent = SocialWorkerFactory()
    replacing = SocialWorkerFactory(team=absent.team)
    today = timezone.localdate()
    Replacement.objects.create(
        absent=absent,
        replacing=replacing,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        created_by=absent.team.counsellor,
    )
    referral = assigned_to(absent)
    sign_in(client, replacing.user)
    html = client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
    assert f"Accès en remplacement de {absent.user.full_name}" in html
    [entry] = entries("referral.read", replacing.user)
    assert entry.replacement


def _normalised(html: str, referral: Referral, names: tuple[str, ...]) -> str:
    html = html.replace(referral.number, "NUMBER")
    html = re.sub(rf"/saisines/{referral.pk}/", "/saisines/PK/", html)
    for name in names:
        html = html.replace(name.upper(), "NAME").replace(name, "NAME")
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_silent_matching_shows_the_same_page_whether_the_employee_was_known(client):
    # A colleague of another team already follows Éloïse, with her phone and address.
    colleague = SocialWorkerFactory()
    case = open_case_for(colleague)
    known = case.employee
    known.phone, known.address = "06 11 22 33 44", "3 rue des Lilas"
    known.save()
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    stranger = {**EMPLOYEE_IDENTITY, "last_name": "Marchand", "first_name": "Josiane"}
    known_referral = referrals.referral_assign(
        actor=worker.user,
        referral=send(employer, last=EMPLOYEE_IDENTITY["last_name"], first="Éloïse"),
        worker=worker,
    )
    new_referral = referrals.referral_assign(
        actor=worker.user,
        referral=send(employer, last="Marchand", first="Josiane"),
        worker=worker,
    )
    sign_in(client, worker.user)
    pages = []
    for referral, identity in ((known_referral, EMPLOYEE_IDENTITY), (new_referral, stranger)):
        url = reverse("casework:referral_assess", args=[referral.pk])
        response = client.post(url, identity_post(identity, employer), follow=True)
        assert response.redirect_chain == [
            (reverse("casework:referral_detail", args=[referral.pk]), 302)
        ]
        names = (identity["last_name"], identity["first_name"])
        pages.append(_normalised(response.content.decode(), referral, names))
    known_referral.refresh_from_db()
    assert known_referral.employee == known  # really matched
    assert pages[0] == pages[1]
    for secret in ("06 11 22 33 44", "Lilas", colleague.user.last_name, case.number):
        assert secret not in pages[0]


def test_an_outcome_other_than_opening_closes_the_referral(client):
    worker = SocialWorkerFactory()
    referral = assigned_to(worker)
    sign_in(client, worker.user)
    url = reverse("casework:referral_assess", args=[referral.pk])
    post = identity_post(EMPLOYEE_IDENTITY, referral.employer, outcome="information")
    html = client.post(url, post, follow=True).content.decode()
    referral.refresh_from_db()
    assert referral.status == "assessed"
    assert "Saisine close sans ouverture de dossier" in html
    assert "Enregistrer l&#x27;adhésion" not in html


def test_assessment_errors_are_in_french_beside_the_field(client):
    worker = SocialWorkerFactory()
    referral = assigned_to(worker)
    sign_in(client, worker.user)
    post = identity_post(EMPLOYEE_IDENTITY, referral.employer)
    post["assessed_on"] = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(reverse("casework:referral_assess", args=[referral.pk]), post)
    assert response.status_code == 200
    assert "ne peut pas être datée dans le futur" in response.content.decode()
    assert not hasattr(Referral.objects.get(pk=referral.pk), "first_assessment")


def test_no_case_opens_without_consent_then_it_opens_with_it(client):
    worker = SocialWorkerFactory()
    referral = assigned_to(worker)
    sign_in(client, worker.user)
    detail = reverse("casework:referral_detail", args=[referral.pk])
    client.post(
        reverse("casework:referral_assess", args=[referral.pk]),
        identity_post(EMPLOYEE_IDENTITY, referral.employer),
    )
    html = client.get(detail).content.decode()
    assert escape(rules.NO_CONSENT) in html
    assert reverse("casework:referral_case_open", args=[referral.pk]) not in html
    today = timezone.localdate().isoformat()
    opening = {"domains": ["budget", "housing"], "assessment": "Dettes.", "opened_on": today}
    url = reverse("casework:referral_case_open", args=[referral.pk])
    response = client.post(url, opening)
    assert response.status_code == 200
    assert escape(rules.NO_CONSENT) in response.content.decode()
    assert not Case.objects.exists()
    client.post(
        reverse("casework:referral_consent", args=[referral.pk]),
        {"given_on": today, "form": "written", "scope": ["partners"]},
    )
    html = client.get(detail).content.decode()
    assert "Échanges avec les partenaires sollicités" in html
    response = client.post(url, opening)
    case = Case.objects.get()
    assert response["Location"] == reverse("casework:case_detail", args=[case.pk])
    assert (case.worker, case.referral, case.domain_codes) == (
        worker,
        referral,
        ["budget", "housing"],
    )


# --- Tableau de bord -------------------------------------------------------------------


def test_the_dashboard_shows_her_own_work_only_and_journals_it(client):
    worker = SocialWorkerFactory()
    waiting = assigned_to(worker, last="Petitjean", first="Lou")
    case = open_case_for(worker, opened_on=timezone.localdate() - dt.timedelta(days=20))
    records.interview_record(
        actor=worker.user,
        case=case,
        occurred_on=timezone.localdate() - dt.timedelta(days=3),
        place="phone",
        duration_minutes=30,
    )
    objective = records.objective_add(actor=worker.user, case=case, title="Budget")
    records.action_add(
        actor=worker.user,
        objective=objective,
        description="Constituer le dossier FSL",
        due_on=timezone.localdate(),
    )
    colleague = SocialWorkerFactory(team=worker.team)
    theirs = open_case_for(colleague, identity={**EMPLOYEE_IDENTITY, "last_name": "Colleaguecase"})
    sign_in(client, worker.user)
    html = client.get(reverse("core:home")).content.decode()
    assert waiting.number in html and "PETITJEAN" in html
    assert case.number in html and "Constituer le dossier FSL" in html
    last_contact = timezone.localdate() - dt.timedelta(days=3)
    assert f"{last_contact:%d/%m/%Y}" in html
    assert theirs.number not in html and "COLLEAGUECASE" not in html.upper()
    [case_entry] = entries("case.list", worker.user)
    assert case_entry.object_ids == [case.pk] and not case_entry.replacement
    [referral_entry] = entries("referral.list", worker.user)
    assert referral_entry.object_ids == [waiting.pk]


def test_the_dashboard_marks_a_replaced_colleague_s_cases(client):
    absent = SocialWorkerFactory()
    replacing = SocialWorkerFactory(team=absent.team)
    today = timezone.localdate()
    Replacement.objects.create(
        absent=absent,
        replacing=replacing,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=5),
        created_by=absent.team.counsellor,
    )
    case = open_case_for(absent)
    sign_in(client, replacing.user)
    html = client.get(reverse("core:home")).content.decode()
    assert case.number in html
    assert f"Remplacement de {absent.user.full_name}" in html
    [entry] = entries("case.list", replacing.user)
    assert entry.replacement and entry.object_ids == [case.pk]


def test_the_counsellor_s_home_counts_her_queue_without_identity(client):
    team = TeamFactory()
    send(EmployerFactory(team=team), last="Homecount")
    sign_in(client, team.counsellor)
    html = client.get(reverse("core:home")).content.decode()
    assert "saisine à attribuer" in html and "HOMECOUNT" not in html.upper()


# --- Dossiers de l'équipe --------------------------------------------------------------


def test_caseloads_show_metadata_per_worker_never_identity(client):
    worker = SocialWorkerFactory()
    case = open_case_for(worker, opened_on=timezone.localdate().replace(day=1))
    assigned_to(worker, last="Waitingperson")
    other_team_case = open_case_for(SocialWorkerFactory())
    sign_in(client, worker.team.counsellor)
    response = client.get(reverse("casework:caseloads"))
    html = response.content.decode()
    assert case.number in html and other_team_case.number not in html
    assert "Budget" in html and "Logement" in html
    for secret in ("Dupont", "DUPONT", "Éloïse", "Dettes de loyer", "Waitingperson"):
        assert secret not in html
    [row] = response.context["worker_rows"]
    assert (row["worker"], row["open"], row["new"], row["waiting"]) == (worker, 1, 1, 1)
    [entry] = entries("case.metadata_list", worker.team.counsellor)
    assert entry.object_ids == [case.pk]


def test_a_departing_worker_s_caseload_moves_within_the_team_only(client):
    departing = SocialWorkerFactory()
    successor = SocialWorkerFactory(team=departing.team)
    stranger = SocialWorkerFactory()
    case = open_case_for(departing)
    sign_in(client, departing.team.counsellor)
    url = reverse("casework:caseload_transfer")
    # Unconfirmed, then towards a worker of another team: refused with French messages.
    response = client.post(url, {"from_worker": departing.pk, "to_worker": successor.pk})
    assert "Cochez la case pour confirmer le transfert." in response.content.decode()
    response = client.post(
        url, {"from_worker": departing.pk, "to_worker": stranger.pk, "confirm": "on"}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.worker == departing
    response = client.post(
        url, {"from_worker": departing.pk, "to_worker": successor.pk, "confirm": "on"}, follow=True
    )
    assert "1 dossier en cours" in response.content.decode()
    case.refresh_from_db()
    assert case.worker == successor
    transfers = AuditEntry.objects.filter(action="case.transfer", actor=departing.team.counsellor)
    assert [entry.object_ids for entry in transfers] == [[case.pk]]


def test_a_counsellor_who_sends_a_referral_finds_it_in_her_queue(client):
    team = TeamFactory()
    employer = EmployerFactory(team=team)
    sign_in(client, team.counsellor)
    response = client.post(
        reverse("casework:referral_create"),
        {
            "employer": employer.pk,
            "source": "elected_official",
            "person_last_name": "Martin",
            "person_first_name": "Léa",
            "reason": "x",
            "urgency": "normal",
            "referrer_name": "M. le maire",
            "referrer_contact": "mairie@example.fr",
        },
    )
    assert response["Location"] == reverse("casework:queue")
    assert Referral.objects.get().source == "elected_official"
