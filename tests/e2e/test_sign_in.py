"""Signing in and out as a person does it: password, then the code of the authenticator app."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from polesocial.users.enums import Role
from polesocial.users.services import GENERIC_SIGN_IN_ERROR
from tests.e2e.helpers import (
    PHONE,
    csp_errors,
    heading,
    screenshot,
    script_errors,
    wait_for_dsfr,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SIGN_IN_PAGE = re.compile(r"/connexion/(\?.*)?$")
# DSFR's "bleu France" on the primary button: proof that the stylesheet was served.
BLUE_FRANCE = "rgb(0, 0, 145)"


def code_for(key: bytes) -> str:
    """What the authenticator app shows right now for this key."""
    return f"{TOTP(key).token():06d}"


def submit_password(page, email: str, password: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_sign_in_with_the_code_then_sign_out(page):
    user = UserFactory(role=Role.SOCIAL_WORKER, with_totp=True)
    device = user.totpdevice_set.get()

    page.goto("/connexion/")
    expect(heading(page)).to_have_text("Connexion à Pôle social")
    screenshot(page, "sign_in")
    submit_password(page, user.email, PASSWORD)

    expect(heading(page)).to_have_text("Code de vérification")
    screenshot(page, "totp_verify")
    page.get_by_label("Code à usage unique").fill(code_for(device.bin_key))
    page.get_by_role("button", name="Valider").click()

    expect(heading(page)).to_have_text(f"Bonjour {user.first_name}")
    expect(page).to_have_url(re.compile(r"/$"))
    screenshot(page, "home_social_worker")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(SIGN_IN_PAGE)
    expect(heading(page)).to_have_text("Connexion à Pôle social")
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()
    screenshot(page, "signed_out")

    page.goto("/")
    expect(page).to_have_url(SIGN_IN_PAGE)
    expect(heading(page)).to_have_text("Connexion à Pôle social")


def test_first_sign_in_enrols_the_authenticator_app(page):
    user = UserFactory(role=Role.SECRETARY)

    submit_password(page, user.email, PASSWORD)

    expect(heading(page)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name="QR code d'activation").locator("svg")).to_be_visible()
    screenshot(page, "totp_enrol")
    # The person types the key into the app instead of scanning the QR code.
    secret = page.get_by_text("Clé à saisir manuellement").locator("code").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code à usage unique").fill(code_for(key))
    page.get_by_role("button", name="Confirmer").click()

    expect(heading(page)).to_have_text(f"Bonjour {user.first_name}")
    assert user.totpdevice_set.get().confirmed


def test_sign_out_from_the_phone_menu(page, sign_in_as):
    sign_in_as(Role.COUNSELLOR)
    page.set_viewport_size(PHONE)
    page.goto("/")
    wait_for_dsfr(page)  # the menu opens by DSFR's script

    page.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("dialog")
    expect(menu.get_by_role("navigation", name="Menu principal")).to_be_visible()
    screenshot(page, "home_phone_menu")
    # DSFR copies the header's tools (name, "Se déconnecter") into the menu on small screens.
    menu.get_by_role("button", name="Se déconnecter").click()

    expect(page).to_have_url(SIGN_IN_PAGE)
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()


def test_wrong_password_shows_the_generic_error_beside_the_form(page):
    user = UserFactory(with_totp=True)

    submit_password(page, user.email, "not the password")

    expect(page).to_have_url(SIGN_IN_PAGE)
    expect(page.locator("main form").get_by_role("alert")).to_have_text(GENERIC_SIGN_IN_ERROR)
    expect(page.get_by_label("Adresse électronique")).to_have_value(user.email)
    screenshot(page, "sign_in_error")


def test_sign_in_page_is_styled_and_breaks_no_content_security_policy(page, console_messages):
    page.goto("/connexion/")
    wait_for_dsfr(page)
    page.wait_for_load_state("networkidle")

    assert csp_errors(console_messages) == []
    assert script_errors(console_messages) == []
    button = page.get_by_role("button", name="Se connecter")
    expect(button).to_have_css("background-color", BLUE_FRANCE)
