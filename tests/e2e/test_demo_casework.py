"""A social worker's and a counsellor's morning on the demo data, every page checked by axe.

The journey from a referral to a closed case is in test_casework.py; here the pages are
read as they look with a real caseload: long timelines, many plan actions, history.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, check, heading

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

CASE_TABS = ["Entretiens", "Plan d'accompagnement", "Orientations", "Documents", "Historique"]


def case_tab(page, name: str):
    return page.get_by_role("navigation", name="Rubriques du dossier").get_by_role(
        "link", name=name
    )


def test_a_social_worker_reads_her_dashboard_and_every_tab_of_a_case(
    page, console_messages, demo_as
):
    worker = demo_as("claire.martin")
    page.goto("/")
    expect(heading(page)).to_have_text(f"Bonjour {worker.first_name}")
    check(page, console_messages, "demo_worker_dashboard")

    page.goto("/dossiers/")
    check(page, console_messages, "demo_worker_cases")
    page.get_by_role("table").first.get_by_role("link").first.click()
    expect(case_tab(page, "Situation")).to_have_attribute("aria-current", "page")
    check(page, console_messages, "demo_case_situation")
    for tab in CASE_TABS:
        case_tab(page, tab).click()
        expect(case_tab(page, tab)).to_have_attribute("aria-current", "page")
        check(page, console_messages, f"demo_case_{tab.split()[0].lower()}")


def test_a_social_worker_reads_a_case_on_a_phone(page, console_messages, demo_as):
    demo_as("claire.martin")
    page.set_viewport_size(PHONE)
    page.goto("/dossiers/")
    page.get_by_role("table").first.get_by_role("link").first.click()
    case_tab(page, "Entretiens").click()
    check(page, console_messages, "demo_case_interviews_phone")


def test_the_counsellor_reads_the_queue_and_the_caseloads(page, console_messages, demo_as):
    demo_as("isabelle.moreau")
    page.goto("/")
    check(page, console_messages, "demo_counsellor_dashboard")
    page.goto("/saisines/file/")
    expect(heading(page)).to_have_text(re.compile("File d'attente"))
    check(page, console_messages, "demo_counsellor_queue")
    page.goto("/equipe/dossiers/")
    check(page, console_messages, "demo_counsellor_caseloads")
