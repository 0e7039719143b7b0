"""The health endpoint: 200 while the database and the task queue answer, 503 otherwise."""

import pytest
from django.db import connections
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLOSED = "health_closed_port"


def test_health_answers_ok_when_the_database_and_the_queue_answer(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "task_queue": "ok"}}


def test_health_answers_503_when_its_database_is_unreachable(client, settings, monkeypatch):
    """An alias pointing at a closed port: never by stopping the database of the suite."""
    closed = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": "1",
        "NAME": "absent",
        "USER": "absent",
        "PASSWORD": "absent",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_MAX_AGE": 0,
    }
    monkeypatch.setitem(connections.settings, CLOSED, closed)
    settings.HEALTH_CHECK_DATABASE = CLOSED
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "indisponible",
        "checks": {"database": "en panne", "task_queue": "en panne"},
    }
    assert connections.settings["default"]["CONN_HEALTH_CHECKS"] is True
