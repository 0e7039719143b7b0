"""The operator's own labels for the product's fixed codes: set on one screen, shown
wherever the label is, while the stored codes stay the product's."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.forms.cases import CaseCloseForm
from polesocial.casework.models import CaseDomain
from polesocial.organisations import labels, services
from polesocial.organisations.models import LabelOverride
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_admin_relabels_a_code_and_an_empty_field_goes_back_to_the_products(client):
    admin = UserFactory(role=Role.ADMIN)
    sign_in(client, admin)
    url = reverse("organisations:label_list")
    page = text(client.get(url))
    assert "Domaines d'accompagnement" in page and "Motifs de clôture" in page
    response = client.post(
        url, {"domain__budget": "  Finances   personnelles ", "domain__work": ""}
    )
    assert response.status_code == 302
    assert labels.label("domain", "budget") == "Finances personnelles"
    assert labels.label("domain", "work") == "Travail"
    entry = AuditEntry.objects.get(actor=admin, action="label_override.set")
    assert entry.detail == {"codes": ["domain:budget"]}
    # Back to the product's label: the row goes.
    client.post(url, {"domain__budget": ""})
    assert not LabelOverride.objects.exists()
    assert labels.label("domain", "budget") == "Budget"


def test_an_unknown_code_is_refused():
    with pytest.raises(ValidationError, match="Code inconnu"):
        services.label_overrides_save(actor=None, labels={("domain", "astrology"): "Astres"})


def test_the_operators_label_shows_on_the_case_and_in_its_forms_the_code_stays(client):
    services.label_overrides_save(
        actor=None,
        labels={("domain", "budget"): "Finances", ("closure_reason", "retired"): "Retraite"},
    )
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    CaseDomain.objects.get_or_create(case=case, domain="budget")
    sign_in(client, worker.user)
    page = text(client.get(reverse("casework:case_detail", args=[case.pk])))
    assert "Finances" in page
    assert set(CaseDomain.objects.values_list("domain", flat=True)) >= {"budget"}
    reasons = dict(CaseCloseForm().fields["reason"].choices)
    assert reasons["retired"] == "Retraite"


def test_the_counsellors_caseloads_show_the_operators_domain_labels(client):
    services.label_overrides_save(actor=None, labels={("domain", "budget"): "Finances"})
    worker = SocialWorkerFactory()
    case = open_case_for(worker, opened_on=timezone.localdate())
    CaseDomain.objects.get_or_create(case=case, domain="budget")
    sign_in(client, worker.team.counsellor)
    assert "Finances" in text(client.get(reverse("casework:caseloads")))
