"""The health endpoint: 200 while the database and the task queue answer, 503 otherwise."""

import datetime as dt

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


def _task_waiting_since(minutes: int):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    task = DBTaskResult.objects.create(
        task_path="polesocial.reports.tasks.report_export_run",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
    )
    enqueued = timezone.now() - dt.timedelta(minutes=minutes)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=enqueued)


@pytest.mark.django_db(transaction=True)  # committed: the probe reads on its own connection
def test_health_answers_503_when_no_worker_takes_the_waiting_tasks(client, settings):
    settings.BACKGROUND_JOB_STALE_SECONDS = 600
    _task_waiting_since(minutes=2)  # a worker has time to take it yet
    assert client.get(reverse("core:health")).status_code == 200
    _task_waiting_since(minutes=11)
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "task_queue": "en panne"}
