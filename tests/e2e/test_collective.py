"""Collective work in the browser: a worker records an action and an alert, the HR contact
reads them. Every screen is checked with axe (no serious or critical violation), for CSP
violations and script errors, and saved as a screenshot."""

import pytest
from playwright.sync_api import expect

from polesocial.collective.models import Alert, CollectiveAction
from polesocial.organisations.models import Headcount
from polesocial.users.enums import Role
from tests.e2e.conftest import hand_session
from tests.e2e.helpers import check, heading
from tests.factories import EmployerFactory, SocialWorkerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

EMPLOYER = "Commune de Sainte-Odile"


@pytest.fixture
def employer(transactional_db):
    employer = EmployerFactory(name=EMPLOYER)
    Headcount.objects.create(employer=employer, year=2026, total=40)
    return employer


def test_a_worker_records_collective_work_and_the_contact_reads_it(
    page, console_messages, sign_in_as, live_server, employer
):
    worker = sign_in_as(Role.SOCIAL_WORKER)
    SocialWorkerFactory(user=worker, team=employer.team)
    contact = UserFactory(role=Role.EMPLOYER_CONTACT, first_name="Céline", last_name="Rousseau")
    employer.accounts.add(contact)

    page.goto("/collectif/actions/")
    expect(heading(page)).to_have_text("Actions collectives")
    check(page, console_messages, "collective_action_list")
    page.get_by_role("link", name="Nouvelle action collective").click()
    check(page, console_messages, "collective_action_form")
    page.get_by_label("Intitulé").fill("Préparer sa retraite")
    page.get_by_label("Nature").select_option("information_meeting")
    page.get_by_label("Thème").select_option("retirement")
    page.get_by_label("Date *", exact=True).fill("2026-03-10")
    page.get_by_label("Durée (minutes)").fill("-30")
    page.get_by_label("Employeur 1", exact=True).select_option(label=EMPLOYER)
    page.get_by_label("Participants de l'employeur 1").fill("45")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La durée ne peut pas être négative.")).to_be_visible()
    expect(page.get_by_text("c'est plus que l'effectif de Commune de Sainte-Odile")).to_be_visible()
    check(page, console_messages, "collective_action_form_errors")
    page.get_by_label("Durée (minutes)").fill("120")
    page.get_by_label("Participants de l'employeur 1").fill("18")
    page.get_by_role("button", name="Enregistrer").click()
    expect(heading(page)).to_have_text("Préparer sa retraite")
    check(page, console_messages, "collective_action_detail")
    assert CollectiveAction.objects.get().attendance == 18

    page.goto("/collectif/alertes/")
    page.get_by_role("link", name="Nouvelle alerte").click()
    check(page, console_messages, "collective_alert_employer")
    page.get_by_label("Employeur concerné").select_option(label=EMPLOYER)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Date *", exact=True).fill("2026-05-04")
    page.get_by_label("Nature du risque").select_option("reorganisation")
    page.get_by_label("Description").fill("La fusion de deux services inquiète les équipes.")
    page.get_by_text("Céline Rousseau").click()
    check(page, console_messages, "collective_alert_form")
    page.get_by_role("button", name="Adresser l'alerte").click()
    expect(heading(page)).to_have_text("Alerte de vigilance sociale")
    check(page, console_messages, "collective_alert_detail")
    assert list(Alert.objects.get().addressees.all()) == [contact]

    page.context.clear_cookies()
    hand_session(page, live_server, contact)
    page.goto("/collectif/alertes/")
    page.get_by_role("link", name="04/05/2026").click()
    expect(page.get_by_text("La fusion de deux services inquiète les équipes.")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier")).to_have_count(0)
    check(page, console_messages, "collective_alert_detail_contact")
    page.goto("/collectif/actions/")
    expect(page.get_by_role("link", name="Préparer sa retraite")).to_be_visible()
    check(page, console_messages, "collective_action_list_contact")
