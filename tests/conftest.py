import fcntl
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.http.response import HttpResponseBase
from django.test.utils import CaptureQueriesContext

from polesocial.users.enums import Role
from polesocial.users.signed_in import write_signed_in
from tests import strict_templates
from tests.factories import UserFactory


def sign_in(client, user):
    """A session as after a full sign-in: password and a verified second factor."""
    session = client.session
    write_signed_in(session, user, device_name="Test")
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.fixture
def user_of_role(db):
    def make(role: Role, **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def client_as(client, user_of_role):
    """client_as(Role.DPO) -> a test client signed in (with 2FA) as a new user of that role."""

    def make(role: Role, **fields):
        user = user_of_role(role, **fields)
        sign_in(client, user)
        client.user = user
        return client

    return make


TEST_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[TEST_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def no_unknown_template_variable(request):
    """Fails a test whose pages used an unknown variable, even if some code swallowed the error.

    A test that already failed (on the error itself, most often) is not failed twice.
    """
    strict_templates.seen.clear()
    yield
    if not request.node.stash.get(TEST_FAILED, False):
        assert strict_templates.seen == [], "unknown template variables"


# --- SQL query counts -------------------------------------------------------------------

QUERY_COUNTS = Path(__file__).parent / "query_counts.json"


def pytest_addoption(parser):
    parser.addoption(
        "--update-query-counts",
        action="store_true",
        help=f"write the SQL query counts measured into {QUERY_COUNTS.name} (with -p no:xdist)",
    )


def _measure(run) -> tuple[list[str], int | None]:
    """The SQL of one run, and the size of its response (None when it is not a response)."""
    with CaptureQueriesContext(connection) as captured:
        result = run()
    if isinstance(result, HttpResponseBase):
        assert result.status_code == 200, f"{result.status_code}, expected 200"
        return [query["sql"] for query in captured.captured_queries], len(result.content)
    return [query["sql"] for query in captured.captured_queries], None


def _grown(small: list[str], large: list[str]) -> str:
    """The queries run more often with more rows, numbers left out so that ids compare."""

    def shapes(queries):
        return Counter(re.sub(r"\d+", "N", sql) for sql in queries)

    extra = shapes(large) - shapes(small)
    return "\n".join(f"{count} x {sql[:300]}" for sql, count in extra.items())


def _compare_with_snapshot(config, key: str, count: int) -> None:
    if config.getoption("update_query_counts"):
        with open(QUERY_COUNTS, "a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # xdist workers may write side by side
            file.seek(0)
            counts = json.loads(file.read() or "{}") | {key: count}
            file.seek(0)
            file.truncate()
            file.write(json.dumps(counts, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        return
    counts = json.loads(QUERY_COUNTS.read_text(encoding="utf-8"))
    assert key in counts, f"no query count for {key}: run pytest --update-query-counts"
    assert count == counts[key], (
        f"{count} SQL queries, {counts[key]} in {QUERY_COUNTS.name}: if the change is "
        "intended, run pytest --update-query-counts and commit the file"
    )


@pytest.fixture
def assert_queries_do_not_grow(request):
    """assert_queries_do_not_grow(run, add_rows): a list costs the same SQL for few or many rows.

    `add_rows(n)` adds n rows that the list shows; `run()` requests the list (a response
    that must answer 200). The queries are counted with `rows` rows, then with three times
    as many (after one run unmeasured, so that caches are warm): the count must not grow
    (an N+1 query shows the queries run more often), the response must grow (the rows do
    show, or the check proves nothing; `grows=False` for a page of fixed size), and the
    count must equal the one recorded for this test in tests/query_counts.json.
    """

    def check(run, add_rows, *, rows: int = 2, grows: bool = True) -> int:
        add_rows(rows)
        _measure(run)
        small, small_size = _measure(run)
        add_rows(2 * rows)
        large, large_size = _measure(run)
        assert len(large) == len(small), (
            f"{len(small)} SQL queries for {rows} rows, {len(large)} for {3 * rows}:\n"
            + _grown(small, large)
        )
        if grows and small_size is not None:
            assert large_size > small_size, "the rows added do not show in the response"
        _compare_with_snapshot(request.config, request.node.nodeid, len(small))
        return len(small)

    return check
