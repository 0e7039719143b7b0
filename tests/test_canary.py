"""A canary written into every secret of a case shows nowhere it should not.

The secrets of a case (referral reason and contact, first assessment, case assessment,
interview notes, private note, plan, orientation purpose; tests/api/world.py) each carry a
canary. Every other account of the operator — a colleague of the same team, the team's
counsellor, and one account of every other role — crawls the screens (every link from the
home page, and the case's own URLs typed by hand) and the API (every GET operation of the
schema, with the ids of the case's records), including downloads and report exports; none
may read a canary. No e-mail and no log line may hold one, whoever acts. The worker in
charge reads them, on her case's pages and casework API only (the test would otherwise
pass by showing nothing).
"""

import io
import logging
import re
import subprocess
import zipfile
from collections import deque
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from polesocial.casework.models import Interview, Orientation, PlanAction, PlanObjective
from polesocial.casework.serializers.employees import employee_reference
from polesocial.users.enums import Role
from tests.api.world import CANARY, DAY, SECRETS, build_world
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
# Not followed: files served as is, the links that would end the session, the reports of
# years other than the world's (the same pages, empty), and links with a query: filters,
# pages and weeks of a calendar, endless and needless here (every list holds one page).
SKIPPED = re.compile(rf"/static/|/media/|/deconnexion|/bilans/\w+/\d+/(?!{DAY.year})\d+/|[^?]*\?")
MAX_PAGES = 300  # per account: far more than the product shows one small operator
CASEWORK_API = ("cases", "referrals", "interviews", "plan-objectives", "plan-actions",
                "orientations", "employees")  # fmt: skip


def readable(response) -> str:
    """What a person gets from a response: HTML, JSON, CSV, an ODS's or a PDF's text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        # poppler-utils, installed by `make test`
        done = subprocess.run(  # noqa: S603 - a fixed command on our own output
            ["/usr/bin/pdftotext", "-", "-"], input=body, capture_output=True, check=True
        )
        return done.stdout.decode()
    if body[:2] == b"PK":  # ODS, XLSX, ZIP: every member
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(n).decode(errors="replace") for n in archive.namelist())
    return unescape(body.decode(errors="replace"))


def crawl(client, starts) -> dict[str, str]:
    """{url: text} of every page reached from `starts` by following GET links."""
    seen, queue, pages = set(starts), deque(starts), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = readable(response)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(pages[url]):
            if link not in seen and not SKIPPED.match(link):
                seen.add(link)
                queue.append(link)
    return pages


@pytest.fixture
def world():
    return build_world()


def case_urls(world) -> list[str]:
    """The case's own pages, typed by hand by someone who knows (or guesses) its ids."""
    case = world.objects["case"]
    return [
        reverse("casework:case_detail", args=[case.pk]),
        reverse("casework:case_interviews", args=[case.pk]),
        reverse("casework:case_plan", args=[case.pk]),
        reverse("casework:case_history", args=[case.pk]),
        reverse("casework:case_documents", args=[case.pk]),
        reverse("casework:referral_detail", args=[case.referral_id]),
    ]


def api_urls(world, openapi) -> list[str]:
    """Every GET operation of the schema: lists (also filtered on the case) and details
    with the ids of the case's records; a new detail without an id here fails."""
    case = world.objects["case"]
    ids = {
        "cases": case.pk,
        "referrals": case.referral_id,
        "employees": employee_reference(case.employee_id),
        "interviews": Interview.objects.get(case=case).pk,
        "plan-objectives": PlanObjective.objects.get(case=case).pk,
        "plan-actions": PlanAction.objects.get(objective__case=case).pk,
        "orientations": Orientation.objects.get(case=case).pk,
        # Records that name no case: read anyway, with the ids of the world.
        "employers": world.objects["employer"].pk,
        "collective-actions": world.objects["action"].pk,
        "body-meetings": world.objects["meeting"].pk,
    }
    urls = []
    for path, item in openapi["paths"].items():
        if "get" not in item:
            continue
        if "{id}" not in path:
            urls += [path, f"{path}?case={case.pk}"]
            continue
        resource = path.removeprefix("/api/v1/").split("/")[0]
        if resource in ids:
            urls.append(path.replace("{id}", str(ids[resource])))
        else:
            assert resource in NO_CASE_CONTENT, f"no id to read {path} with"
    return urls


# Details whose rows hold nothing of a case (checked in their own tests), read as lists:
# the aid catalogue and budgets name no one; a committee session carries only its
# pseudonymised agenda (tests/aid: no identifying value of the employee in it); an
# appointment holds who, when and where, never why (tests/appointments).
NO_CASE_CONTENT = {"headcounts", "conventions", "teams", "fte-shares", "alerts", "invoices",
                   "time-entries", "aid-schemes", "aid-budgets", "aid-sessions",
                   "appointments"}  # fmt: skip


@pytest.fixture
def openapi(client, world):
    sign_in(client, world.users[Role.DPO])
    return client.get(reverse("api:schema"), {"format": "json"}).json()


def leaks(pages: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for url, text in pages.items():
        canaries = sorted(set(re.findall(rf"{CANARY}-\w+", text)))
        if canaries:
            found[url] = canaries
    return found


OTHERS = ["colleague", *[role for role in Role if role != Role.SOCIAL_WORKER]]


@pytest.mark.parametrize("who", OTHERS, ids=str)
def test_no_other_account_reads_a_secret_of_the_case(client, world, openapi, who, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, world.users[who])
    client.raise_request_exception = False
    pages = crawl(client, ["/", *case_urls(world), *api_urls(world, openapi)])
    assert len(pages) > 20  # the crawl went somewhere
    assert len(pages) < MAX_PAGES  # and everywhere
    assert leaks(pages) == {}
    assert not [r for r in caplog.records if CANARY in r.getMessage()]
    assert not [m for m in mail.outbox if CANARY in f"{m.subject} {m.body}"]


def test_the_worker_in_charge_reads_them_on_her_case_only(client, world, openapi, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, world.worker_user)
    pages = crawl(client, ["/", *case_urls(world), *api_urls(world, openapi)])
    found = leaks(pages)
    seen = {canary for canaries in found.values() for canary in canaries}
    assert {f"{CANARY}-{name}" for name in SECRETS} <= seen
    elsewhere = {
        url: canaries
        for url, canaries in found.items()
        if not url.startswith(("/dossiers/", "/saisines/"))
        and not url.removeprefix("/api/v1/").startswith(CASEWORK_API)
    }
    assert elsewhere == {}
    assert not [r for r in caplog.records if CANARY in r.getMessage()]
    assert not [m for m in mail.outbox if CANARY in f"{m.subject} {m.body}"]
