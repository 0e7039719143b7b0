"""The browser tests' own instruments leave the pages they check as they are."""

import pytest
from playwright.sync_api import expect

from polesocial.users.enums import Role
from tests.e2e.helpers import csp_errors, screenshot, wait_for_dsfr

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

# DSFR reads its configuration from window.dsfr: in manual mode it waits for dsfr.start().
DSFR_HELD_BACK = 'window.dsfr = { mode: "manual" };'


def test_a_screenshot_taken_before_dsfr_starts_leaves_the_page_within_its_csp(
    page, console_messages, sign_in_as
):
    # What a busy machine does by chance: DSFR starts after the screenshot. It then copies
    # the header's tools (the sign-out form and its hidden CSRF field) into the phone menu.
    sign_in_as(Role.SOCIAL_WORKER)
    page.add_init_script(DSFR_HELD_BACK)
    page.goto("/")
    screenshot(page, "home_before_dsfr")

    page.evaluate("window.dsfr.start()")
    wait_for_dsfr(page)

    # Hidden on a desktop screen, the phone menu holds the copy all the same.
    menu_links = page.locator(".fr-header__menu-links")
    expect(
        menu_links.get_by_role("button", name="Se déconnecter", include_hidden=True)
    ).to_have_count(1)
    assert csp_errors(console_messages) == []
