"""The DPO's journal screen: each action in words, searchable by action."""

import pytest
from django.urls import reverse

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
