"""Billing, time and annual-report screens in Chromium, on the demo data.

The demo is what a newcomer sees first, and its volumes (several teams, a billed year,
hundreds of cases) exercise the tables and charts as unit fixtures do not. Every page is
checked with axe (no serious or critical violation), for CSP violations and script errors.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from polesocial.billing import rules, services
from polesocial.billing.models import Invoice
from tests.e2e.helpers import (
    PHONE,
    check,
    heading,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def _last_ended_quarter_to_bill() -> tuple[int, int]:
    """The last quarter that has ended, its demo invoices cancelled by credit notes so that
    its time is to bill again (only an ended quarter may be invoiced)."""
    today = timezone.localdate()
    current = (today.month - 1) // 3 + 1
    year, quarter = (today.year - 1, 4) if current == 1 else (today.year, current - 1)
    start, end = rules.quarter_bounds(year, quarter)
    for invoice in Invoice.objects.filter(
        kind="invoice", status__in=("issued", "paid"), period_end__range=(start, end)
    ):
        services.invoice_cancel(actor=None, invoice=invoice, reason="Refacturation")
    return year, quarter


def test_the_billing_officer_prepares_and_issues_a_quarter_in_one_confirmation(
    page, console_messages, demo_as
):
    demo_as("paul.lambert")
    today = timezone.localdate()
    page.goto(f"/facturation/?annee={today.year}&trimestre={(today.month - 1) // 3 + 1}")
    page.get_by_role("button", name="Préparer les brouillons du trimestre").click()
    expect(page.get_by_text(re.compile("n'est pas terminé")).first).to_be_visible()

    year, quarter = _last_ended_quarter_to_bill()
    label = rules.period_label(year, 3, quarter)
    page.goto(f"/facturation/?annee={year}&trimestre={quarter}")
    expect(heading(page)).to_have_text("Facturation")
    check(page, console_messages, "billing_list_before_run")

    page.get_by_role("button", name="Préparer les brouillons du trimestre").click()
    expect(heading(page)).to_have_text(f"Préparation des brouillons du {label}")
    expect(page.get_by_text(re.compile(r"\d+ brouillons? de facture préparés?"))).to_be_visible()
    check(page, console_messages, "billing_run_status")
    page.get_by_role("link", name="Retour à la facturation du trimestre").click()
    drafts = page.get_by_role("table", name="Brouillons du trimestre")
    expect(drafts).to_be_visible()
    check(page, console_messages, "billing_list_drafts")

    drafts.get_by_role("link", name=re.compile("^Brouillon — ")).first.click()
    expect(heading(page)).to_have_text("Facture (brouillon)")
    check(page, console_messages, "billing_draft_detail")
    page.go_back()

    count = Invoice.objects.drafts().count()
    page.get_by_role("button", name="Émettre les brouillons cochés…").click()
    expect(heading(page)).to_have_text(re.compile(rf"^Émettre {count} factures? du {label}$"))
    expect(page.get_by_text("ne peut pas être repris", exact=False)).to_be_visible()
    check(page, console_messages, "billing_issue_all_confirmation")
    page.get_by_role("button", name=re.compile(rf"^Émettre les {count} factures?$")).click()
    expect(page.get_by_role("table", name="Factures émises du trimestre")).to_be_visible()
    assert not Invoice.objects.drafts().exists()
    numbers = sorted(
        int(n.split("-")[1])
        for n in Invoice.objects.filter(kind="invoice", status="issued")
        .filter(period_end__range=rules.quarter_bounds(year, quarter))
        .values_list("number", flat=True)
    )
    assert numbers == list(range(numbers[0], numbers[0] + count))


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
