"""What browser tests share: the page check (axe, CSP, script errors), locators, screenshots."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

# A small phone (DSFR's layouts switch below 576 px; RGAA asks for reflow down to 320 px).
PHONE = {"width": 375, "height": 800}
# Git-ignored; developers open these files to see the pages as the tests left them.
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()


def axe_check(page) -> list[dict]:
    """Run axe on the current page; fail listing its serious and critical violations.

    Returns every violation (minor and moderate ones included) for tests that report them.
    """
    violations = _axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(
            f"axe on {page.url}: {len(blocking)} serious or critical violation(s)\n"
            + "\n".join(_describe(v) for v in blocking),
            pytrace=False,
        )
    return violations


def _describe(violation: dict) -> str:
    nodes = "\n".join(
        f"    - {' '.join(node['target'])}: {node['html'][:200]}" for node in violation["nodes"]
    )
    return f"  * {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}"


def wait_for_dsfr(page) -> None:
    """Wait until DSFR's script has started on the current page (see DSFR_START_WATCH).

    Before that, its buttons (menu, collapses, accordions) answer no click, and it still
    rewrites the page: it copies the header's tools into the phone menu from their HTML.
    On a busy machine it can start after the load event, and after "networkidle" too.
    """
    page.wait_for_function("() => window.dsfrStarted === true")


def screenshot(page, name: str) -> Path:
    """Save the whole page as screenshots/<name>.png and return its path.

    caret="initial", so that the screenshot leaves the page as it is. By default Playwright
    hides the text caret by writing `style="caret-color: transparent !important"` on every
    input, the hidden CSRF field of the header's sign-out form included. When DSFR started
    after that (a busy machine), it copied the attribute into the phone menu along with the
    header's HTML, and the CSP (style-src 'self') blocked it: a violation made by the test.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True, caret="initial")
    return path


def script_errors(messages: list[str]) -> list[str]:
    """Uncaught exceptions and console errors (a static file that failed to load, say)."""
    return [message for message in messages if message.startswith(("error:", "pageerror:"))]


def csp_errors(messages: list[str]) -> list[str]:
    """The console messages in which Chromium reports a Content Security Policy violation."""
    return [message for message in messages if "Content Security Policy" in message]


def check(page, console_messages: list[str], name: str) -> None:
    """Screenshot, axe, and neither CSP violation nor script error on the current page.

    Once DSFR has started and the network is idle: the page is complete, as a person sees it.
    """
    wait_for_dsfr(page)
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    axe_check(page)
    assert not csp_errors(console_messages), f"CSP violation on {page.url}"
    assert not script_errors(console_messages), f"script error on {page.url}"


def heading(page):
    """The page's title (its only level-1 heading)."""
    return page.get_by_role("heading", level=1)


def required(page, label: str):
    """The field whose label is exactly `label` followed by DSFR's required marker « * ».

    For labels that other labels contain (« Nom » in « Prénom », « Fin » in « finance »).
    """
    return page.get_by_label(f"{label} *", exact=True)
