"""Every error a person can meet is a French DSFR page, checked in the browser: 400, 403,
404, 413 and 500; an out-of-scope case looks exactly like an absent one."""

import re

import pytest
from playwright.sync_api import expect

from polesocial.users.enums import Role
from tests.e2e.conftest import hand_session
from tests.e2e.helpers import csp_errors, heading, wait_for_dsfr
from tests.factories import SocialWorkerFactory, open_case_for

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

ENGLISH = re.compile(r"Not Found|Server Error|Forbidden|Bad Request|Traceback|Page not found")


def french_page(page, status: int, title: str, response) -> str:
    """The page shown: its status, lang="fr", its heading, no English; its main text."""
    assert response.status == status
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(heading(page)).to_have_text(title)
    text = page.locator("body").inner_text()
    assert not ENGLISH.search(text)
    assert "Pôle social" in text  # the DSFR header, not a bare error
    return page.locator("main").inner_text()


def post_form(page, fields: dict[str, str]):
    """Submit a form of `fields` from the sign-in page, as a browser would; the response."""
    page.goto("/connexion/")
    with page.expect_navigation() as navigation:
        page.evaluate(
            """fields => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = "/connexion/";
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement("input");
                    input.type = "hidden"; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            fields,
        )
    return navigation.value


def test_an_absent_page_is_a_french_404(page, sign_in_as, console_messages):
    sign_in_as(Role.SOCIAL_WORKER)
    response = page.goto("/nulle-part/")
    text = french_page(page, 404, "Page introuvable", response)
    assert "n'existe pas ou n'est pas accessible" in text
    wait_for_dsfr(page)
    assert csp_errors(console_messages) == []


def test_a_case_out_of_scope_looks_exactly_like_an_absent_one(page, live_server):
    mine, theirs = SocialWorkerFactory(), SocialWorkerFactory()
    their_case = open_case_for(theirs)
    hand_session(page, live_server, mine.user)
    out_of_scope = french_page(
        page, 404, "Page introuvable", page.goto(f"/dossiers/{their_case.pk}/")
    )
    title = page.title()
    absent = french_page(
        page, 404, "Page introuvable", page.goto(f"/dossiers/{their_case.pk + 1000}/")
    )
    assert (out_of_scope, title) == (absent, page.title())


def test_a_page_the_role_cannot_use_is_a_french_403(page, sign_in_as):
    sign_in_as(Role.SOCIAL_WORKER)
    response = page.goto("/journal/")
    text = french_page(page, 403, "Accès refusé", response)
    assert "Votre rôle ne donne pas accès à cette page" in text


def test_a_request_too_large_is_a_french_413(page):
    response = post_form(page, {"message": "x" * 3_000_000})
    text = french_page(page, 413, "Requête trop volumineuse", response)
    assert "2,5 Mo au plus" in text


def test_a_request_with_too_many_fields_is_a_french_400(page):
    response = post_form(page, {f"champ{n}": "x" for n in range(1100)})
    text = french_page(page, 400, "Requête refusée", response)
    assert "trop de champs" in text


def test_a_server_error_is_a_french_500_with_its_reference(page, sign_in_as, settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"  # adds /test-panne/, a failing view
    sign_in_as(Role.SOCIAL_WORKER)
    response = page.goto("/test-panne/")
    text = french_page(page, 500, "Erreur du serveur", response)
    assert "Erreur interne du serveur" in text
    assert response.headers["x-request-id"] in text
