"""Technical logs: one JSON line a record, with the request's id and the user's id, and
never the name of an employee whose case the request showed."""

import io
import json
import logging

import pytest
from django.urls import reverse

from polesocial.core.logs import HEADER
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db

KEYS = {"time", "level", "logger", "message", "request_id", "user_id"}


@pytest.fixture
def log_lines():
    """What the configured console handler (settings.LOGGING) writes, line by line."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous)


def test_a_request_writes_a_json_line_with_its_id_and_user_but_no_name(client, log_lines):
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    sign_in(client, worker.user)
    response = client.get(
        reverse("casework:case_detail", args=[case.pk]) + "?q=Dupont",
        headers={HEADER: "proxy-1234abcd"},
    )
    assert response.status_code == 200
    assert EMPLOYEE_IDENTITY["last_name"].encode() in response.content  # the page names her
    assert response[HEADER] == "proxy-1234abcd"
    lines = log_lines()
    request_line = next(line for line in lines if line["logger"] == "polesocial.request")
    assert KEYS <= set(request_line)
    assert request_line["request_id"] == "proxy-1234abcd"
    assert request_line["user_id"] == worker.user.pk
    assert request_line["level"] == "INFO"
    assert request_line["message"] == f"GET /dossiers/{case.pk}/ 200"
    written = json.dumps(lines, ensure_ascii=False)
    for secret in ("Dupont", EMPLOYEE_IDENTITY["first_name"], worker.user.last_name):
        assert secret not in written


def test_a_request_without_a_usable_id_gets_a_new_one(client, log_lines):
    response = client.get(reverse("core:health"), headers={HEADER: "Mme Dupont, please"})
    given = response[HEADER]
    assert given != "Mme Dupont, please"
    assert len(given) == 32
    line = next(line for line in log_lines() if line["logger"] == "polesocial.request")
    assert line["request_id"] == given
    assert line["user_id"] is None


@pytest.mark.urls("tests.core.error_urls")
def test_an_error_line_names_the_exception_and_its_frames_not_its_text(client, log_lines):
    sign_in(client, SocialWorkerFactory().user)
    client.raise_request_exception = False
    response = client.get("/test-panne/")
    assert response.status_code == 500
    error = next(line for line in log_lines() if line["level"] == "ERROR")
    assert error["exception"] == "django.db.utils.OperationalError"
    assert any("error_urls.py" in frame for frame in error["trace"])
    assert error["request_id"] == response[HEADER]
    assert "Dupont" not in json.dumps(error, ensure_ascii=False)
