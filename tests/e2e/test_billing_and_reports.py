"""Billing, time and annual-report screens in Chromium, on the demo data.

The demo is what a newcomer sees first, and its volumes (several teams, a billed year,
hundreds of cases) exercise the tables and charts as unit fixtures do not. Every page is
checked with axe (no serious or critical violation), for CSP violations and script errors.
"""

import re

import pytest
from playwright.sync_api import expect

from polesocial.billing.models import Invoice
from tests.e2e.helpers import (
    PHONE,
    check,
    heading,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_the_billing_officer_prepares_reads_and_issues_the_fourth_quarter(
    page, console_messages, demo_as
):
    demo_as("paul.lambert")
    page.goto("/facturation/?annee=2026&trimestre=4")
    expect(heading(page)).to_have_text("Facturation")
    check(page, console_messages, "billing_list_before_run")

    page.get_by_role("button", name="Préparer les brouillons du trimestre").click()
    expect(heading(page)).to_have_text("Préparation des brouillons du 4e trimestre 2026")
    expect(page.get_by_text(re.compile(r"\d+ brouillons? de facture préparés?"))).to_be_visible()
    check(page, console_messages, "billing_run_status")
    page.get_by_role("link", name="Retour à la facturation du trimestre").click()
    drafts = page.get_by_role("table", name="Brouillons du trimestre")
    expect(drafts).to_be_visible()
    check(page, console_messages, "billing_list_drafts")

    drafts.get_by_role("link").first.click()
    expect(heading(page)).to_have_text("Facture (brouillon)")
    check(page, console_messages, "billing_draft_detail")

    page.get_by_role("button", name="Émettre la facture").click()
    expect(heading(page)).to_have_text(re.compile(r"^Facture 2026-\d{6}$"))
    check(page, console_messages, "billing_issued_detail")
    number = heading(page).inner_text().removeprefix("Facture ")
    assert Invoice.objects.get(number=number).status == "issued"


def test_the_billing_officer_reads_an_issued_quarter_on_a_phone(page, console_messages, demo_as):
    demo_as("paul.lambert")
    page.set_viewport_size(PHONE)
    page.goto("/facturation/?annee=2026&trimestre=1")
    expect(page.get_by_role("table", name="Factures émises du trimestre")).to_be_visible()
    check(page, console_messages, "billing_list_issued_phone")


def test_the_employer_contact_reads_his_invoices_and_a_report_with_suppressed_cells(
    page, console_messages, demo_as
):
    demo_as("celine.rousseau")
    page.goto("/mes-factures/")
    expect(heading(page)).to_have_text("Factures de mon employeur")
    check(page, console_messages, "billing_my_invoices")
    page.get_by_role("link", name=re.compile(r"^Facture 2026-")).first.click()
    expect(heading(page)).to_have_text(re.compile(r"^Facture 2026-\d{6}$"))
    check(page, console_messages, "billing_my_invoice_detail")

    page.goto("/bilans/")
    page.get_by_role("link", name=re.compile(r"^Bilan 2026")).first.click()
    expect(heading(page)).to_contain_text("2026")
    check(page, console_messages, "reports_employer_page")


def test_a_social_worker_records_time_and_reads_her_report(page, console_messages, demo_as):
    demo_as("claire.martin")
    page.goto("/mon-temps/?semaine=2026-11-16")
    expect(heading(page)).to_have_text("Mon temps")
    check(page, console_messages, "billing_my_time")

    page.get_by_role("button", name="Enregistrer").click()  # empty form: errors, nothing saved
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    check(page, console_messages, "billing_my_time_errors")

    page.goto("/bilans/")
    page.get_by_role("link", name=re.compile(r"^Bilan 2026")).first.click()
    expect(heading(page)).to_contain_text("2026")
    check(page, console_messages, "reports_worker_page")


def test_the_counsellor_reads_the_fte_dashboard_and_her_team_s_report(
    page, console_messages, demo_as
):
    demo_as("isabelle.moreau")
    page.goto("/plan-etp/realise/?annee=2026")
    expect(heading(page)).to_have_text("Plan ETP 2026 : prévu et réalisé")
    check(page, console_messages, "billing_fte_dashboard")

    page.goto("/bilans/")
    expect(heading(page)).to_have_text("Bilans annuels")
    check(page, console_messages, "reports_index")
    page.get_by_role("link", name=re.compile(r"^Bilan 2026 — Équipe")).first.click()
    expect(heading(page)).to_contain_text("2026")
    check(page, console_messages, "reports_team_page")


def test_the_national_adviser_opens_the_federation_screen(page, console_messages, demo_as):
    demo_as("anne.dupuis")
    page.goto("/bilans/federation/")
    expect(heading(page)).to_be_visible()
    check(page, console_messages, "reports_federation")
