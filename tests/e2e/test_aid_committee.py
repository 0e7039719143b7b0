"""On the demo: a worker takes an aid request from a case through a committee session to
payment, and the committee's papers (its session page, the minutes PDF) name nobody."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from polesocial.aid.models import AidRequest, CommitteeSession
from polesocial.casework.models import Case
from polesocial.users.models import User
from tests.e2e.conftest import hand_session
from tests.e2e.helpers import check, required

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def a_case_the_committee_may_see(worker) -> Case:
    """One of her open demo cases whose employee agreed to the anonymous committee."""
    cases = Case.objects.filter(worker__user=worker, status="open").select_related(
        "consent", "employee"
    )
    return next(
        case
        for case in cases
        if case.consent.is_active and "aid_committee" in (case.consent.scope or [])
    )


def identifying(case: Case) -> list[str]:
    employee = case.employee
    return [
        employee.last_name,
        employee.first_name,
        employee.birth_date.strftime("%d/%m/%Y"),
        case.number,
    ]


def test_an_aid_request_goes_from_a_case_through_the_committee_to_payment(
    page, console_messages, demo_as, live_server
):
    worker = demo_as("claire.martin")
    case = a_case_the_committee_may_see(worker)

    # The worker prepares the request on the « Aides » tab, then submits it.
    page.goto(f"/dossiers/{case.pk}/aides/")
    required(page, "Dispositif").select_option(
        label="Secours exceptionnel (Opérateur (centre de gestion))"
    )
    page.get_by_label("Montant demandé (€)").fill("350")
    page.get_by_label("Motif de la demande").fill("Facture d'énergie impayée, coupure annoncée.")
    page.get_by_label("Ressources mensuelles du foyer").fill("Salaire ; 1400,00")
    page.get_by_label("Charges mensuelles du foyer").fill("Loyer ; 600,00\nÉnergie ; 150,00")
    page.get_by_label("Situation présentée à la commission").fill(
        "Personne seule ; facture d'énergie impayée, coupure annoncée."
    )
    page.get_by_role("button", name="Enregistrer la demande").click()
    request = AidRequest.objects.filter(case=case).latest("pk")
    assert request.status == "draft"
    card = page.locator("section").filter(has_text="Facture d'énergie impayée")
    card.get_by_role("button", name="Déposer pour la commission").click()
    request.refresh_from_db()
    number = request.committee_number
    assert request.status == "submitted" and number
    expect(page.get_by_text(f"dossier de commission {number}")).to_be_visible()

    # The counsellor places it on the agenda of the session to come and records the grant.
    session = CommitteeSession.objects.filter(closed_on__isnull=True).latest("held_on")
    hand_session(page, live_server, User.objects.get(email="isabelle.moreau@demo.polesocial.fr"))
    page.goto(f"/aides/commission/seances/{session.pk}/")
    page.get_by_label("Dossier déposé").select_option(label=f"{number} — 350.00 €")
    page.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    expect(page.get_by_text("Dossier inscrit à l'ordre du jour.")).to_be_visible()
    file = page.get_by_role("region", name=f"Dossier {number}")
    file.get_by_label("Décision", exact=True).select_option("granted")
    file.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text(f"Décision enregistrée pour le dossier {number}.")).to_be_visible()
    check(page, console_messages, "demo_aid_session_decided")
    # The committee's papers name nobody: the session page and the minutes.
    text = page.content()
    minutes = page.request.get(f"/aides/commission/seances/{session.pk}/proces-verbal/")
    assert minutes.ok
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.body())).pages)
    assert number in pdf
    for value in identifying(case):
        assert value.lower() not in text.lower(), f"{value!r} on the session page"
        assert value.lower() not in pdf.lower(), f"{value!r} in the minutes"

    # The worker records the payment to the energy supplier: the aid is paid.
    hand_session(page, live_server, worker)
    page.goto(f"/dossiers/{case.pk}/aides/")
    card = page.locator("section").filter(has_text=f"dossier de commission {number}")
    card.get_by_label("Montant (€)").fill("350")
    card.get_by_label("Mode").select_option("transfer")
    card.get_by_label("Bénéficiaire *", exact=True).select_option("third_party")
    card.get_by_label("Tiers bénéficiaire").fill("Fournisseur d'énergie")
    card.get_by_role("button", name="Enregistrer le versement").click()
    request.refresh_from_db()
    assert request.status == "paid" and request.amount_granted == 350
    card = page.locator("section").filter(has_text=f"dossier de commission {number}")
    expect(card.get_by_text("Versée", exact=True)).to_be_visible()
    check(page, console_messages, "demo_aid_case_paid")
