"""The DPO's journal screen: each action in words, searchable by action."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(user_of_role):
    worker = user_of_role(Role.SOCIAL_WORKER)
    audit_log(actor=worker, action=AuditAction.USER_SIGN_IN, target=worker)
    audit_log(actor=None, action=AuditAction.DEMO_LOAD)


def test_the_dpo_reads_each_action_in_words(client_as, journal):
    page = client_as(Role.DPO).get(reverse("privacy:audit_list")).content.decode()
    assert "<td>Connexion</td>" in page
    assert "<td>Chargement des données de démonstration</td>" in page
    assert "<td>user.sign_in</td>" not in page


def test_the_dpo_filters_the_journal_by_action(client_as, journal):
    url = reverse("privacy:audit_list")
    response = client_as(Role.DPO).get(url, {"action": AuditAction.USER_SIGN_IN})
    assert [entry.action for entry in response.context["page"]] == ["user.sign_in"]
    assert '<option value="user.sign_in" selected>Connexion</option>' in response.content.decode()


def test_the_dpo_reads_roles_and_objects_in_words(client_as, journal):
    page = client_as(Role.DPO).get(reverse("privacy:audit_list")).content.decode()
    assert "<td>Assistant·e de service social</td>" in page
    assert "<td>social_worker</td>" not in page


def test_the_dpo_filters_the_journal_by_date_range(client_as, journal):
    url = reverse("privacy:audit_list")
    today = timezone.localdate()
    dpo = client_as(Role.DPO)
    assert dpo.get(url, {"du": today.isoformat()}).context["page"].paginator.count == 2
    tomorrow = today + dt.timedelta(days=1)
    assert dpo.get(url, {"du": tomorrow.isoformat()}).context["page"].paginator.count == 0
    yesterday = today - dt.timedelta(days=1)
    assert dpo.get(url, {"au": yesterday.isoformat()}).context["page"].paginator.count == 0


def test_a_date_not_understood_is_said_in_french_beside_the_field(client_as, journal):
    response = client_as(Role.DPO).get(reverse("privacy:audit_list"), {"du": "31/02/2026"})
    assert "Date invalide : utilisez le format AAAA-MM-JJ." in response.content.decode()
    assert response.context["page"].paginator.count == 2  # the filter is ignored


def test_the_dpo_exports_the_entries_found_as_csv(client_as, journal):
    url = reverse("privacy:audit_list")
    response = client_as(Role.DPO).get(url, {"action": "user.sign_in", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "N°;Date;Auteur;Rôle;Action;Objet;Identifiants;Dossier;Remplacement"
    assert len(lines) == 2
    assert ";Assistant·e de service social;Connexion;utilisateur;" in lines[1]
