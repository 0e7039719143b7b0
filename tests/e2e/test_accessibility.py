"""axe on the main pages of each role: no serious or critical violation.

Each page is also checked for Content Security Policy violations and script errors: DSFR's
menus, modals and tables rely on its script, so a page where it breaks is not accessible.
"""

import pytest
from playwright.sync_api import expect

from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role
from tests.e2e.helpers import (
    PHONE,
    axe_check,
    check,
    heading,
    wait_for_dsfr,
)
from tests.factories import PASSWORD, OperatorFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

# More rows than a page holds (50), so that the pagination is checked as well.
MORE_THAN_A_PAGE = 55
# Lists are checked on a phone too: DSFR tables scroll sideways there.
SCREENS = pytest.mark.parametrize("screen", ["desktop", "phone"])


def on_screen(page, screen: str) -> None:
    if screen == "phone":
        page.set_viewport_size(PHONE)


def submit_password(page, email: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_sign_in_page(page, console_messages):
    page.goto("/connexion/")

    check(page, console_messages, "a11y_sign_in")


def test_sign_in_page_with_its_errors(page, console_messages):
    page.goto("/connexion/")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()

    check(page, console_messages, "a11y_sign_in_errors")


def test_code_page(page, console_messages):
    submit_password(page, UserFactory(with_totp=True).email)
    expect(heading(page)).to_have_text("Code de vérification")

    check(page, console_messages, "a11y_totp_verify")


def test_enrolment_page(page, console_messages):
    submit_password(page, UserFactory().email)
    expect(heading(page)).to_have_text("Activer la double authentification")

    check(page, console_messages, "a11y_totp_enrol")


@pytest.mark.parametrize("role", list(Role))
def test_home_page(page, console_messages, sign_in_as, role):
    OperatorFactory()  # a service set up (an administrator without one is sent to its form)
    user = sign_in_as(role)
    page.goto("/")
    expect(heading(page)).to_have_text(f"Bonjour {user.first_name}")

    check(page, console_messages, f"a11y_home_{role}")


def test_menu_on_a_phone(page, console_messages, sign_in_as):
    sign_in_as(Role.ADMIN)
    page.set_viewport_size(PHONE)
    page.goto("/")
    wait_for_dsfr(page)  # the menu opens by DSFR's script
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()

    check(page, console_messages, "a11y_home_admin_phone_menu")


@SCREENS
def test_users_list(page, console_messages, sign_in_as, screen):
    sign_in_as(Role.ADMIN)
    UserFactory.create_batch(MORE_THAN_A_PAGE)
    UserFactory(is_active=False)
    on_screen(page, screen)
    page.goto("/administration/utilisateurs/")
    expect(heading(page)).to_have_text("Utilisateurs")

    check(page, console_messages, f"a11y_users_list_{screen}")


def test_user_page(page, console_messages, sign_in_as):
    sign_in_as(Role.ADMIN)
    account = UserFactory(with_totp=True)
    page.goto(f"/administration/utilisateurs/{account.pk}/")
    expect(heading(page)).to_have_text(account.full_name)

    check(page, console_messages, "a11y_user_detail")


def test_user_creation_form_with_its_errors(page, console_messages, sign_in_as):
    sign_in_as(Role.ADMIN)
    page.goto("/administration/utilisateurs/nouveau/")
    axe_check(page)
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()

    check(page, console_messages, "a11y_user_create_errors")


@SCREENS
def test_audit_journal(page, console_messages, sign_in_as, screen):
    dpo = sign_in_as(Role.DPO)
    for account in UserFactory.create_batch(MORE_THAN_A_PAGE):
        audit_log(actor=dpo, action=AuditAction.USER_READ, target=account)
    on_screen(page, screen)
    page.goto("/journal/")
    expect(heading(page)).to_have_text("Journal d'audit")

    check(page, console_messages, f"a11y_audit_journal_{screen}")
