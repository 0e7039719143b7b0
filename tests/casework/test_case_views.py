"""The case page (dossier): its tabs and forms, seen by the worker in charge and no one else."""

import datetime as dt
import re
from html import unescape
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polesocial.casework import rules
from polesocial.casework.models import Case, Interview, Orientation, PlanAction, PlanObjective
from polesocial.casework.services import cases, records, referrals
from polesocial.organisations.models import Replacement
from polesocial.privacy.audit import subject_key
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import (
    EMPLOYEE_IDENTITY,
    PartnerFactory,
    SocialWorkerFactory,
    UserFactory,
    open_case_for,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 Attestation CAF de Mme Dupont-Lefevre, quotient familial 412"


def today() -> dt.date:
    return timezone.localdate()


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def worker():
    return SocialWorkerFactory()


@pytest.fixture
def case(worker):
    return open_case_for(worker, opened_on=days_ago(60))


@pytest.fixture
def signed_in(client, worker):
    return sign_in(client, worker.user)


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("sequence"))


def new_entries(since: int):
    return list(AuditEntry.objects.filter(sequence__gt=since).order_by("sequence"))


def last_sequence() -> int:
    last = AuditEntry.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def record_interview(case, author, **fields):
    values = {
        "occurred_on": days_ago(10),
        "place": "workplace",
        "duration_minutes": 60,
        "notes": "Point sur le budget et le dossier FSL.",
    }
    return records.interview_record(actor=author, case=case, **(values | fields))


def text_of(response) -> str:
    """The page as text, entities decoded (Django writes ' as &#x27;)."""
    return unescape(response.content.decode())


def hidden_version(response) -> str:
    """The version of the record the page shows, in its form's hidden field."""
    return re.search(r'name="version" value="(\d+)"', response.content.decode())[1]


def errors_of(response, form_name="form"):
    return response.context[form_name].errors


# The list -----------------------------------------------------------------------------------


class TestCaseList:
    def test_her_cases_open_first_with_one_journal_entry(self, signed_in, worker, case):
        other = open_case_for(
            worker, identity={**EMPLOYEE_IDENTITY, "first_name": "Jeanne"}, opened_on=days_ago(90)
        )
        cases.case_close(actor=worker.user, case=other, closed_on=days_ago(5), reason="other")
        # A colleague's case is not listed.
        open_case_for(SocialWorkerFactory(), identity={**EMPLOYEE_IDENTITY, "first_name": "Zoé"})
        since = last_sequence()
        response = signed_in.get(reverse("casework:case_list"))
        assert response.status_code == 200
        assert [row["case"] for row in response.context["rows"]] == [case, other]
        (entry,) = new_entries(since)
        assert entry.action == "case.list"
        assert sorted(entry.object_ids) == sorted([case.pk, other.pk])

    def test_filter_by_state(self, signed_in, worker, case):
        response = signed_in.get(reverse("casework:case_list"), {"etat": "closed"})
        assert response.context["rows"] == []

    @pytest.mark.parametrize("text", ["eloise", "DUPONT lefevre", "Éloïse Dupont-Lefèvre"])
    def test_search_ignores_accents_and_case(self, signed_in, case, text):
        response = signed_in.get(reverse("casework:case_list"), {"q": text})
        assert [row["case"] for row in response.context["rows"]] == [case]

    def test_search_finds_nobody_else(self, signed_in, case):
        response = signed_in.get(reverse("casework:case_list"), {"q": "Martin"})
        assert response.context["rows"] == []

    def test_other_roles_may_not_use_the_list(self, client_as):
        assert client_as(Role.COUNSELLOR).get(reverse("casework:case_list")).status_code == 403


# Every tab for the worker in charge ---------------------------------------------------------

TAB_READS = [
    ("casework:case_detail", "case.read"),
    ("casework:case_interviews", "interview.read"),
    ("casework:case_plan", "plan.read"),
    ("casework:case_orientations", "orientation.read"),
    ("casework:case_documents", "case_document.list"),
    ("casework:case_history", "case.history_read"),
    ("casework:case_update", "case.read"),
]


@pytest.mark.parametrize(("name", "action"), TAB_READS)
def test_each_tab_is_one_journaled_read(signed_in, worker, case, name, action):
    since = last_sequence()
    response = signed_in.get(reverse(name, args=[case.pk]))
    assert response.status_code == 200
    assert "Dupont-Lefèvre".upper() in text_of(response)
    (entry,) = new_entries(since)
    assert (entry.action, entry.subject, entry.actor) == (action, subject_key(case), worker.user)
    assert entry.replacement is False
    assert response["Cache-Control"].startswith("no-store")


def test_the_tabs_mark_the_current_one(signed_in, case):
    html = text_of(signed_in.get(reverse("casework:case_plan", args=[case.pk])))
    plan_url = reverse("casework:case_plan", args=[case.pk])
    assert re.search(rf'href="{plan_url}"\s+aria-current="page"', html)
    # the tab, the breadcrumb and the main menu's "Mes dossiers"
    assert html.count('aria-current="page"') == 3


class TestSituation:
    def test_identity_household_snapshot_assessment_and_consent(self, signed_in, case):
        html = text_of(signed_in.get(reverse("casework:case_detail", args=[case.pk])))
        for text in (
            "12/04/1979",
            "Famille monoparentale",
            "Agente d'entretien",
            "Catégorie C",
            "Dettes de loyer, deux enfants à charge.",  # decrypted
            "Budget",
            "Logement",
            "Active",
            "Retrait de l'adhésion",
        ):
            assert text in html, text

    def test_update_domains_and_assessment(self, signed_in, case):
        url = reverse("casework:case_update", args=[case.pk])
        response = signed_in.post(url, {"domains": ["work", "health"], "assessment": "Revu."})
        assert response.status_code == 302
        case.refresh_from_db()
        assert sorted(case.domain_codes) == ["health", "work"] and case.assessment == "Revu."

    def test_two_tabs_edit_the_case_the_second_sees_both_versions_and_loses_nothing(
        self, worker, case
    ):
        url = reverse("casework:case_update", args=[case.pk])
        first, second = sign_in(Client(), worker.user), sign_in(Client(), worker.user)
        seen_first = hidden_version(first.get(url))
        seen_second = hidden_version(second.get(url))
        assert seen_first == seen_second == str(case.version)
        mine = {"domains": ["work"], "assessment": "Revu par le premier onglet."}
        assert first.post(url, {**mine, "version": seen_first}).status_code == 302

        theirs = {"domains": ["health"], "assessment": "Revu par le second onglet."}
        response = second.post(url, {**theirs, "version": seen_second})

        assert response.status_code == 200
        html = text_of(response)
        assert "Ce dossier a été modifié par une autre personne pendant votre saisie" in html
        rows = {row.label: (row.theirs, row.yours) for row in response.context["form"].conflict}
        assert rows == {
            "Domaines d'intervention": ("Travail", "Santé"),
            "Diagnostic": ("Revu par le premier onglet.", "Revu par le second onglet."),
        }
        assert re.search(r">\s*Revu par le second onglet.</textarea>", html)  # input kept
        case.refresh_from_db()
        assert (case.domain_codes, case.assessment) == (["work"], "Revu par le premier onglet.")
        # Saving again, having seen the other version, is a deliberate choice: it goes through.
        again = second.post(url, {**theirs, "version": hidden_version(response)})
        assert again.status_code == 302
        case.refresh_from_db()
        assert (case.domain_codes, case.assessment) == (["health"], "Revu par le second onglet.")

    def test_update_needs_a_domain(self, signed_in, case):
        url = reverse("casework:case_update", args=[case.pk])
        response = signed_in.post(url, {"assessment": "Revu."})
        assert "Indiquez au moins un domaine." in errors_of(response)["domains"]

    def test_a_closure_before_the_opening_is_refused_beside_the_field(self, signed_in, case):
        url = reverse("casework:case_close", args=[case.pk])
        data = {"cloture-closed_on": days_ago(61).isoformat(), "cloture-reason": "other"}
        response = signed_in.post(url, data)
        assert response.status_code == 200
        message = f"La clôture ne peut pas précéder l'ouverture ({case.opened_on:%d/%m/%Y})."
        assert errors_of(response, "close_form")["closed_on"] == [message]
        assert message in text_of(response)
        case.refresh_from_db()
        assert case.status == "open"

    def test_a_closure_in_the_future_is_refused(self, signed_in, case):
        url = reverse("casework:case_close", args=[case.pk])
        tomorrow = today() + dt.timedelta(days=1)
        response = signed_in.post(
            url, {"cloture-closed_on": tomorrow.isoformat(), "cloture-reason": "other"}
        )
        assert "futur" in errors_of(response, "close_form")["closed_on"][0]

    def test_close_then_reopen(self, signed_in, case):
        close = reverse("casework:case_close", args=[case.pk])
        data = {
            "cloture-closed_on": days_ago(2).isoformat(),
            "cloture-reason": "objectives_met",
            "cloture-outcome": "Dette résorbée.",
        }
        assert signed_in.post(close, data).status_code == 302
        case.refresh_from_db()
        assert case.status == "closed"
        html = text_of(signed_in.get(reverse("casework:case_detail", args=[case.pk])))
        assert "Objectifs atteints" in html and "Rouvrir le dossier" in html
        reopen = reverse("casework:case_reopen", args=[case.pk])
        assert signed_in.post(reopen, {"reouverture-reopened_on": today()}).status_code == 302
        case.refresh_from_db()
        assert case.status == "open"

    def test_transfer_to_a_colleague_of_her_team(self, signed_in, worker, case):
        colleague = SocialWorkerFactory(team=worker.team)
        url = reverse("casework:case_transfer", args=[case.pk])
        response = signed_in.post(url, {"transfert-to_worker": colleague.pk})
        assert response.status_code == 302 and response["Location"] == reverse("casework:case_list")
        case.refresh_from_db()
        assert case.worker == colleague
        assert signed_in.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404

    def test_no_transfer_to_another_team(self, signed_in, case):
        stranger = SocialWorkerFactory()
        url = reverse("casework:case_transfer", args=[case.pk])
        response = signed_in.post(url, {"transfert-to_worker": stranger.pk})
        assert "to_worker" in errors_of(response, "transfer_form")
        case.refresh_from_db()
        assert case.worker.user != stranger.user

    def test_consent_withdrawal(self, signed_in, case):
        url = reverse("casework:consent_withdraw", args=[case.pk])
        response = signed_in.post(url, {"retrait-withdrawn_on": today().isoformat()})
        assert response.status_code == 302
        case.consent.refresh_from_db()
        assert case.consent.withdrawn_on == today()
        html = text_of(signed_in.get(reverse("casework:case_detail", args=[case.pk])))
        assert f"Retirée le {today():%d/%m/%Y}" in html

    def test_consent_withdrawal_before_the_consent_is_refused(self, signed_in, case):
        url = reverse("casework:consent_withdraw", args=[case.pk])
        response = signed_in.post(url, {"retrait-withdrawn_on": days_ago(400).isoformat()})
        assert errors_of(response, "withdraw_form")["withdrawn_on"] == [
            "Le retrait ne peut pas précéder l'adhésion."
        ]


# Interviews ---------------------------------------------------------------------------------


def interview_data(case, **overrides):
    return {
        "occurred_on": days_ago(1).isoformat(),
        "place": "phone",
        "duration_hours": "1",
        "duration_minutes": "30",
        "employer": case.employee.employer_id,
        "notes": "Appel : le dossier FSL est complet.",
        "private_note": "Penser à rappeler la CAF.",
    } | overrides


class TestInterviews:
    def test_record_an_interview_in_hours_and_minutes(self, signed_in, worker, case):
        url = reverse("casework:interview_create", args=[case.pk])
        response = signed_in.post(url, interview_data(case))
        assert response.status_code == 302
        interview = Interview.objects.get(case=case)
        assert interview.duration_minutes == 90 and interview.author == worker.user
        html = text_of(signed_in.get(reverse("casework:case_interviews", args=[case.pk])))
        assert "1 h 30" in html and "le dossier FSL est complet" in html
        assert "Penser à rappeler la CAF." in html  # her own private note

    def test_the_timeline_is_newest_first_with_one_read_entry(self, signed_in, worker, case):
        older = record_interview(case, worker.user, occurred_on=days_ago(20))
        newer = record_interview(case, worker.user, occurred_on=days_ago(3))
        since = last_sequence()
        response = signed_in.get(reverse("casework:case_interviews", args=[case.pk]))
        assert [row["pk"] for row in response.context["rows"]] == [newer.pk, older.pk]
        (entry,) = new_entries(since)
        assert entry.action == "interview.read"
        assert entry.object_ids == [newer.pk, older.pk]

    def test_the_employer_charged_defaults_to_the_employees(self, signed_in, case):
        response = signed_in.get(reverse("casework:case_interviews", args=[case.pk]))
        assert response.context["form"]["employer"].value() == case.employee.employer_id

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            (
                {"duration_hours": "8", "duration_minutes": "30"},
                "duration_minutes",
                "Un entretien ne peut pas dépasser 8 heures (480 minutes).",
            ),
            (
                {"duration_hours": "", "duration_minutes": "481"},
                "duration_minutes",
                "Un entretien ne peut pas dépasser 8 heures (480 minutes).",
            ),
            ({"occurred_on": "2099-01-01"}, "occurred_on", "futur"),
            ({"duration_hours": "", "duration_minutes": ""}, "duration_minutes", "durée"),
        ],
    )
    def test_bad_interviews_are_refused_beside_the_field(
        self, signed_in, case, overrides, field, message
    ):
        url = reverse("casework:interview_create", args=[case.pk])
        response = signed_in.post(url, interview_data(case, **overrides))
        assert response.status_code == 200
        assert message in " ".join(errors_of(response)[field])
        assert not Interview.objects.exists()

    def test_no_interview_without_active_consent(self, signed_in, worker, case):
        referrals.consent_withdraw(actor=worker.user, consent=case.consent, withdrawn_on=today())
        page = signed_in.get(reverse("casework:case_interviews", args=[case.pk]))
        assert rules.NO_CONSENT in text_of(page)
        url = reverse("casework:interview_create", args=[case.pk])
        response = signed_in.post(url, interview_data(case))
        assert response.status_code == 200
        assert errors_of(response)["__all__"] == [rules.NO_CONSENT]
        assert rules.NO_CONSENT in text_of(response)
        assert not Interview.objects.exists()


# Plan, orientations, documents --------------------------------------------------------------


class TestPlan:
    def test_objectives_actions_and_status(self, signed_in, case):
        url = reverse("casework:objective_add", args=[case.pk])
        assert signed_in.post(url, {"objectif-title": "Résorber la dette"}).status_code == 302
        objective = PlanObjective.objects.get(case=case)
        url = reverse("casework:action_add", args=[case.pk])
        data = {
            "action-objective": objective.pk,
            "action-description": "Dossier FSL",
            "action-due_on": days_ago(3).isoformat(),
        }
        assert signed_in.post(url, data).status_code == 302
        action = PlanAction.objects.get(objective=objective)
        html = text_of(signed_in.get(reverse("casework:case_plan", args=[case.pk])))
        assert "Résorber la dette" in html and "Dossier FSL" in html and "En retard" in html
        url = reverse("casework:plan_item_status", args=[case.pk])
        data = {"kind": "action", "id": action.pk, "status": "done"}
        assert signed_in.post(url, data).status_code == 302
        action.refresh_from_db()
        assert action.status == "done"
        html = text_of(signed_in.get(reverse("casework:case_plan", args=[case.pk])))
        assert "En retard" not in html

    def test_a_status_changed_meanwhile_in_another_tab_is_not_overwritten(self, signed_in, case):
        objective = records.objective_add(actor=case.worker.user, case=case, title="Dette")
        page = signed_in.get(reverse("casework:case_plan", args=[case.pk])).content.decode()
        assert f'name="version" value="{objective.version}"' in page
        url = reverse("casework:plan_item_status", args=[case.pk])
        seen = {"kind": "objective", "id": objective.pk, "version": objective.version}
        assert signed_in.post(url, {**seen, "status": "done"}).status_code == 302

        response = signed_in.post(url, {**seen, "status": "cancelled"}, follow=True)

        assert (
            "État non modifié : Cette fiche a été modifiée par une autre personne pendant "
            "votre saisie." in text_of(response)
        )
        objective.refresh_from_db()
        assert objective.status == "done"

    def test_an_empty_objective_is_refused_beside_the_field(self, signed_in, case):
        url = reverse("casework:objective_add", args=[case.pk])
        response = signed_in.post(url, {"objectif-title": ""})
        assert errors_of(response, "objective_form")["title"] == ["Décrivez l'objectif."]

    def test_the_status_of_another_cases_item_is_not_found(self, signed_in, worker, case):
        other = open_case_for(SocialWorkerFactory(), identity={**EMPLOYEE_IDENTITY, "job": ""})
        objective = records.objective_add(actor=other.worker.user, case=other, title="Autre")
        url = reverse("casework:plan_item_status", args=[case.pk])
        data = {"kind": "objective", "id": objective.pk, "status": "done"}
        assert signed_in.post(url, data).status_code == 404
        objective.refresh_from_db()
        assert objective.status == "todo"


class TestOrientations:
    def test_orient_and_record_the_result(self, signed_in, case):
        partner = PartnerFactory()
        url = reverse("casework:orientation_add", args=[case.pk])
        data = {
            "partner": partner.pk,
            "oriented_on": days_ago(1).isoformat(),
            "purpose": "Aide au logement",
        }
        assert signed_in.post(url, data).status_code == 302
        orientation = Orientation.objects.get(case=case)
        url = reverse("casework:orientation_result", args=[case.pk, orientation.pk])
        assert signed_in.post(url, {"result": "achieved"}).status_code == 302
        orientation.refresh_from_db()
        assert orientation.result == "achieved"
        html = text_of(signed_in.get(reverse("casework:case_orientations", args=[case.pk])))
        assert partner.name in html and "Aide au logement" in html

    def test_an_inactive_partner_is_not_offered(self, signed_in, case):
        partner = PartnerFactory(is_active=False)
        url = reverse("casework:orientation_add", args=[case.pk])
        data = {"partner": partner.pk, "oriented_on": days_ago(1).isoformat(), "purpose": "x"}
        response = signed_in.post(url, data)
        assert "partner" in errors_of(response)


class TestDocuments:
    def upload(self, client, case, name="attestation.pdf", data=PDF):
        from django.core.files.uploadedfile import SimpleUploadedFile

        url = reverse("casework:document_upload", args=[case.pk])
        return client.post(url, {"file": SimpleUploadedFile(name, data)})

    def test_upload_then_download_as_an_attachment(self, signed_in, case, media):
        assert self.upload(signed_in, case).status_code == 302
        document = case.documents.get()
        stored = (media / document.storage_name).read_bytes()
        assert b"Dupont" not in stored and b"%PDF" not in stored
        since = last_sequence()
        url = reverse("casework:document_download", args=[case.pk, document.pk])
        response = signed_in.get(url)
        assert response.status_code == 200 and response.content == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="attestation.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        (entry,) = new_entries(since)
        assert (entry.action, entry.object_ids) == ("case_document.read", [document.pk])

    def test_a_file_whose_content_is_not_its_type_is_refused(self, signed_in, case):
        response = self.upload(signed_in, case, name="photo.png", data=b"MZ\x90 executable")
        assert response.status_code == 200
        assert errors_of(response)["file"] == [
            "Le contenu du fichier ne correspond pas à son extension."
        ]
        assert not case.documents.exists()

    def test_a_file_over_10_mb_is_refused(self, signed_in, case):
        big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
        response = self.upload(signed_in, case, data=big)
        assert errors_of(response)["file"] == ["Le fichier dépasse 10 Mo."]

    def test_another_cases_document_is_not_found(self, signed_in, case):
        other = open_case_for(SocialWorkerFactory(), identity={**EMPLOYEE_IDENTITY, "job": ""})
        document = records.document_upload(
            actor=other.worker.user, case=other, name="a.pdf", data=PDF
        )
        url = reverse("casework:document_download", args=[case.pk, document.pk])
        assert signed_in.get(url).status_code == 404


# History ------------------------------------------------------------------------------------


def test_the_history_lists_reads_and_writes(signed_in, worker, case):
    signed_in.get(reverse("casework:case_detail", args=[case.pk]))
    record_interview(case, worker.user)
    response = signed_in.get(reverse("casework:case_history", args=[case.pk]))
    labels = [row["label"] for row in response.context["rows"]]
    assert labels[:3] == [
        "Consultation de l'historique",
        "Saisie d'un entretien",
        "Consultation du dossier",
    ]
    assert labels[-1] == "Ouverture du dossier"
    html = text_of(response)
    assert worker.user.full_name in html


# Replacement --------------------------------------------------------------------------------


class TestReplacement:
    @pytest.fixture
    def replacing(self, worker):
        colleague = SocialWorkerFactory(team=worker.team)
        Replacement.objects.create(
            absent=worker,
            replacing=colleague,
            starts_on=today(),
            ends_on=today() + dt.timedelta(days=10),
            created_by=UserFactory(role=Role.COUNSELLOR),
        )
        return colleague

    def test_reads_on_the_last_day_with_a_banner_and_not_the_day_after(
        self, client, replacing, case
    ):
        sign_in(client, replacing.user)
        url = reverse("casework:case_detail", args=[case.pk])
        last_day = today() + dt.timedelta(days=10)
        since = last_sequence()
        with mock.patch("django.utils.timezone.localdate", return_value=last_day):
            response = client.get(url)
        assert response.status_code == 200
        banner = f"Accès en remplacement de {case.worker} jusqu'au {last_day:%d/%m/%Y}"
        assert banner in text_of(response)
        (entry,) = new_entries(since)
        assert entry.replacement is True and entry.actor == replacing.user
        with mock.patch(
            "django.utils.timezone.localdate", return_value=last_day + dt.timedelta(days=1)
        ):
            assert client.get(url).status_code == 404
            assert client.get(reverse("casework:case_list")).context["rows"] == []

    def test_her_writes_are_journaled_as_a_replacement(self, client, replacing, case):
        sign_in(client, replacing.user)
        url = reverse("casework:interview_create", args=[case.pk])
        assert client.post(url, interview_data(case)).status_code == 302
        (entry,) = entries(action="interview.create")
        assert entry.replacement is True

    def test_she_may_not_transfer_the_case(self, client, worker, replacing, case):
        sign_in(client, replacing.user)
        url = reverse("casework:case_transfer", args=[case.pk])
        assert client.post(url, {"transfert-to_worker": replacing.pk}).status_code == 403
        html = text_of(client.get(reverse("casework:case_detail", args=[case.pk])))
        assert "Transférer" not in html

    def test_the_private_note_stays_with_its_author(self, client, worker, replacing, case):
        record_interview(case, worker.user, private_note="Note de Claire seule")
        sign_in(client, replacing.user)
        html = text_of(client.get(reverse("casework:case_interviews", args=[case.pk])))
        assert "Point sur le budget" in html
        assert "Note de Claire seule" not in html and "lisible par vous seule" not in html
        # And the other way round: the note the replacement wrote is hers only.
        record_interview(case, replacing.user, private_note="Note de la remplaçante")
        sign_in(client, worker.user)
        html = text_of(client.get(reverse("casework:case_interviews", args=[case.pk])))
        assert "Note de Claire seule" in html and "Note de la remplaçante" not in html


# No one else --------------------------------------------------------------------------------

CASE_URLS = [
    ("GET", "casework:case_detail", {}),
    ("GET", "casework:case_update", {}),
    ("POST", "casework:case_update", {}),
    ("POST", "casework:case_close", {}),
    ("POST", "casework:case_reopen", {}),
    ("POST", "casework:case_transfer", {}),
    ("POST", "casework:consent_withdraw", {}),
    ("GET", "casework:case_history", {}),
    ("GET", "casework:case_interviews", {}),
    ("POST", "casework:interview_create", {}),
    ("GET", "casework:case_plan", {}),
    ("POST", "casework:objective_add", {}),
    ("POST", "casework:action_add", {}),
    ("POST", "casework:plan_item_status", {}),
    ("GET", "casework:case_orientations", {}),
    ("POST", "casework:orientation_add", {}),
    ("POST", "casework:orientation_result", {"orientation_pk": "orientation"}),
    ("GET", "casework:case_documents", {}),
    ("POST", "casework:document_upload", {}),
    ("GET", "casework:document_download", {"doc_pk": "document"}),
]
OUTSIDERS = [role for role in Role if role != Role.SOCIAL_WORKER] + ["another_worker"]


@pytest.fixture
def full_case(worker, case):
    """The case with an orientation and a document, for the URLs that name them."""
    orientation = records.orientation_record(
        actor=worker.user, case=case, partner=PartnerFactory(), oriented_on=today(), purpose="x"
    )
    document = records.document_upload(actor=worker.user, case=case, name="a.pdf", data=PDF)
    return {"case": case, "orientation": orientation.pk, "document": document.pk}


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_no_one_but_the_worker_in_charge_reaches_any_case_url(client, worker, full_case, outsider):
    case = full_case["case"]
    if outsider == "another_worker":
        user = SocialWorkerFactory(team=worker.team).user  # a colleague of the same team
    else:
        user = UserFactory(role=outsider)
    sign_in(client, user)
    since = last_sequence()
    for method, name, extra in CASE_URLS:
        kwargs = {"pk": case.pk} | {key: full_case[value] for key, value in extra.items()}
        url = reverse(name, kwargs=kwargs)
        response = client.post(url) if method == "POST" else client.get(url)
        assert response.status_code == 404, f"{method} {name} as {outsider}"
        assert "Dupont" not in text_of(response)
    assert new_entries(since) == []
    case.refresh_from_db()
    assert case.status == "open" and case.worker == worker


def test_a_case_that_does_not_exist_is_the_same_404(signed_in):
    assert signed_in.get(reverse("casework:case_detail", args=[999999])).status_code == 404
    assert not Case.objects.filter(pk=999999).exists()
