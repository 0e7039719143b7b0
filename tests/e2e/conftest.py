"""Browser tests: headless Debian Chromium driving the live server through Playwright.

Each test module marks itself `e2e` and joins the `e2e` xdist group, so that with
`pytest -n 2 --dist loadgroup` every browser test runs on one worker, with one browser.
Helpers (axe, screenshots, console triage) are in tests/e2e/helpers.py.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import sync_playwright

from polesocial.users.enums import Role
from polesocial.users.models import User
from tests.conftest import sign_in
from tests.factories import UserFactory

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no internet access: without these flags Chromium keeps trying to reach
# Google's services (updates, sync, QUIC probes) and floods the logs with refused connections.
CHROMIUM_ARGS = [
    "--lang=fr-FR",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
# DSFR starts on the animation frame after the document is parsed, and announces it with its
# documented `dsfr.start` event on <html>, once its components are made (menus, collapses,
# the header's tools copied into the phone menu). This script, run by Playwright in every
# page before the page's own scripts, keeps a trace of it for tests.e2e.helpers.wait_for_dsfr.
DSFR_START_WATCH = """
addEventListener("dsfr.start", () => { window.dsfrStarted = true; }, { capture: true, once: true });
"""


def pytest_configure(config):
    # xdist registers this marker itself, but not under `-p no:xdist` (with --strict-markers).
    config.addinivalue_line("markers", "xdist_group(name): run the group on one xdist worker")


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all browser tests, closed when the run leaves tests/e2e.

    Package scope rather than session scope, for the asynchronous-safety switch below.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Run `make test`, which installs it (target `browser`); never `playwright install`.",
            pytrace=False,
        )
    # Playwright's sync API runs an asyncio event loop in the main thread (in a greenlet)
    # from start() to stop(). Django sees that running loop and refuses ORM calls from the
    # test body (factories, database assertions, the flush after each test) with
    # SynchronousOnlyOperation, although nothing here is async: the live server answers in
    # its own thread and our code never runs inside the loop. So the switch is on exactly
    # while Playwright runs: left on, it would leak into the rest of the run (other tests'
    # protection, and `check --deploy` in subprocesses, which rejects it: async.E001).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            yield playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        finally:
            playwright.stop()  # closes the browser too


def new_context(browser, live_server):
    """A fresh French browser context, its relative URLs on the live server, DSFR watched."""
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(DSFR_START_WATCH)
    return context


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context per test (see new_context) and its page."""
    context = new_context(browser, live_server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_messages(page) -> list[str]:
    """What the page writes to the browser console (CSP violations show up here)."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {_where(error)}"))
    return messages


def _where(error) -> str:
    """The message of an uncaught exception and the script line that threw it."""
    lines = (error.stack or error.message).splitlines()
    return " ".join(line.strip() for line in lines[:2])


@pytest.fixture
def sign_in_as(page, live_server):
    """sign_in_as(Role.DPO) -> a user of that role whose session is already in the browser.

    The session is made as after a full sign-in (password and second factor) by the Django
    test client against the live server's database, then handed to the browser as its
    session cookie: the sign-in journey itself is tested once, in test_sign_in.py.
    """

    def make(role: Role, **fields):
        user = UserFactory(role=role, with_totp=True, **fields)
        return hand_session(page, live_server, user)

    return make


def hand_session(page, live_server, user):
    """Give the browser the session of `user`, as after a full sign-in; returns the user."""
    client = sign_in(Client(), user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": session_cookie.key, "value": session_cookie.value, "url": live_server.url}]
    )
    return user


@pytest.fixture
def demo_as(page, live_server):
    """demo_as("paul.lambert") -> the demo loaded, and that demo account's session handed over.

    The demo is what a newcomer sees first, and its volumes (several teams, a billed year,
    hundreds of cases) exercise tables and charts as small fixtures do not.
    """

    def make(login: str):
        call_command("demo", stdout=StringIO())
        user = User.objects.get(email=f"{login}@demo.polesocial.fr")
        return hand_session(page, live_server, user)

    return make
