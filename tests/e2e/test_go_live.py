"""A real service starts on an empty database, without the demo loader.

`manage.py setup` records the operator and its first administrator; the administrator
signs in (enrolling her authenticator app), completes the operator, creates a counsellor
and a social worker, a team led by the counsellor, and attaches the worker at 80 %; the
worker chooses her password from the e-mail she received, signs in and opens « Mon temps »,
which answered 404 before a worker could be attached through the screens.
"""

import base64
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from playwright.sync_api import expect

from polesocial.organisations.models import Operator, SocialWorker, Team
from tests.e2e.helpers import check, heading, required
from tests.factories import siret_with_key

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SIRET = siret_with_key("2510000000012")
ADMIN_PASSWORD = "Violette marche sous la pluie de novembre"
WORKER_PASSWORD = "Le héron gris pêche au bord du canal"


def enrol_on_first_sign_in(page, email: str, password: str) -> None:
    """Password, then the authenticator app's key typed in instead of the QR code."""
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(heading(page)).to_have_text("Activer la double authentification")
    secret = page.get_by_text("Clé à saisir manuellement").locator("code").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code à usage unique").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Confirmer").click()


def create_account(page, first_name: str, last_name: str, email: str, role: str) -> None:
    page.goto("/administration/utilisateurs/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Prénom").fill(first_name)
    required(page, "Nom").fill(last_name)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Rôle").select_option(label=role)
    page.get_by_role("button", name="Créer le compte").click()
    expect(heading(page)).to_have_text(f"{first_name} {last_name}")


def test_an_administrator_starts_the_service_on_an_empty_database(
    page, console_messages, monkeypatch, mailoutbox
):
    monkeypatch.setenv("POLESOCIAL_ADMIN_PASSWORD", ADMIN_PASSWORD)
    call_command(
        "setup",
        interactive=False,
        operator_name="Centre de gestion de l'Arnon",
        operator_kind="management_centre",
        operator_siret=SIRET,
        admin_email="admin@cdg-arnon.example",
        admin_first_name="Alice",
        admin_last_name="Martin",
        stdout=StringIO(),
    )

    enrol_on_first_sign_in(page, "admin@cdg-arnon.example", ADMIN_PASSWORD)
    # The operator is recorded: the home page opens, and the operator form completes it.
    expect(heading(page)).to_have_text("Bonjour Alice")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Organisation"
    ).click()
    expect(heading(page)).to_have_text("Organisation du service")
    page.get_by_role("link", name="Opérateur").click()
    expect(heading(page)).to_have_text("Opérateur")
    expect(page.get_by_label("SIRET")).to_have_value(SIRET)
    check(page, console_messages, "golive_operator_form")
    page.get_by_label("Adresse", exact=True).fill("2 place de la Mairie, 18000 Bourges")
    page.get_by_label("Téléphone").fill("02 48 00 00 00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Opérateur enregistré.")).to_be_visible()
    assert Operator.objects.get().phone == "02 48 00 00 00"

    create_account(
        page, "Claire", "Lemoine", "claire.lemoine@cdg-arnon.example", "Conseiller·ère social·e"
    )
    create_account(
        page, "Nora", "Benali", "nora.benali@cdg-arnon.example", "Assistant·e de service social"
    )

    page.goto("/administration/equipes/")
    expect(page.get_by_text("Nora Benali")).to_be_visible()  # an account with no team yet
    page.get_by_role("link", name="Nouvelle équipe").click()
    expect(heading(page)).to_have_text("Nouvelle équipe")
    check(page, console_messages, "golive_team_form")
    page.get_by_label("Nom de l'équipe").fill("Cher nord")
    page.get_by_label("Conseiller·ère").select_option(label="Claire Lemoine")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Équipe « Cher nord » créée.")).to_be_visible()

    page.get_by_role("link", name="Rattacher une ASS").click()
    expect(heading(page)).to_have_text("Rattacher une ASS à une équipe")
    page.get_by_label("Compte de l'ASS").select_option(label="Nora Benali")
    page.get_by_label("Équipe", exact=False).and_(page.locator("select")).select_option(
        label="Cher nord"
    )
    page.get_by_label("Quotité (ETP)").fill("0,8")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Nora Benali est rattachée à l'équipe Cher nord.")).to_be_visible()
    expect(page.get_by_role("cell", name="0,80 ETP")).to_be_visible()
    check(page, console_messages, "golive_team_admin_list")
    worker = SocialWorker.objects.get(user__email="nora.benali@cdg-arnon.example")
    assert (worker.team, str(worker.fte)) == (Team.objects.get(name="Cher nord"), "0.80")

    page.get_by_role("button", name="Se déconnecter").click()

    # The worker chooses her password from her e-mail, enrols, and records her time.
    [message] = [m for m in mailoutbox if "nora.benali@cdg-arnon.example" in m.to]
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    expect(heading(page)).to_have_text("Choisir un mot de passe")
    # By id: the labels' accessible names carry the password rules (DSFR hint).
    page.locator("#id_new_password1").fill(WORKER_PASSWORD)
    page.locator("#id_new_password2").fill(WORKER_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    enrol_on_first_sign_in(page, "nora.benali@cdg-arnon.example", WORKER_PASSWORD)
    expect(heading(page)).to_have_text("Bonjour Nora")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon temps"
    ).click()
    expect(heading(page)).to_have_text("Mon temps")
    check(page, console_messages, "golive_worker_my_time")
