"""`Idempotency-Key` on the API's creations: a retry after a lost answer creates nothing."""

import datetime as dt
import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polesocial.api.models import IdempotencyKey
from polesocial.billing.models import TimeEntry
from polesocial.casework.api import referrals as referral_views
from polesocial.casework.models import Interview, Referral
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.api.conftest import bearer
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db

KEY = "3f6c1d2e-9a7b-4c1e-8f00-1b2c3d4e5f60"
REFERRALS = reverse("api:referral-list")
TIME_ENTRIES = reverse("api:time-entry-list")


def referral_body(employer, **overrides):
    return {
        "employer": employer.pk,
        "reason": "Agent en grande difficulté financière, signalé par son encadrant.",
        "person_last_name": "Dupont-Lefèvre",
        "person_first_name": "Éloïse",
        "person_phone": "06 12 34 56 78",
        "source": "line_manager",
        **overrides,
    }


def post(client, path, body, key=KEY, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def sender(client):
    """An HR contact of an employer, signed in."""
    employer = EmployerFactory()
    user = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(user)
    sign_in(client, user)
    return user, employer


def test_a_retry_with_the_same_key_answers_the_same_receipt_and_creates_nothing(client, sender):
    _, employer = sender
    first = post(client, REFERRALS, referral_body(employer))
    assert first.status_code == 201
    retry = post(client, REFERRALS, referral_body(employer))
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert Referral.objects.count() == 1
    assert Referral.objects.get().number == first.json()["number"]


def test_without_a_key_a_retry_still_creates_again(client, sender):
    _, employer = sender
    post(client, REFERRALS, referral_body(employer), key=None)
    post(client, REFERRALS, referral_body(employer), key=None)
    assert Referral.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_retry_of_a_time_entry_answers_the_same_row_read_again(client):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    employer = EmployerFactory(team=worker.team)
    body = {"employer": employer.pk, "date": "2026-03-09", "minutes": 90, "kind": "interview"}
    first = post(client, TIME_ENTRIES, body)
    assert first.status_code == 201
    TimeEntry.objects.filter(pk=first.json()["id"]).update(minutes=60)
    retry = post(client, TIME_ENTRIES, body)
    assert retry.status_code == 201
    assert TimeEntry.objects.count() == 1
    # Re-serialised from the database, not a stored copy of the first answer.
    assert retry.json() == {**first.json(), "minutes": 60}


def test_the_same_key_with_another_body_is_refused_in_french(client, sender):
    _, employer = sender
    assert post(client, REFERRALS, referral_body(employer)).status_code == 201
    other = post(client, REFERRALS, referral_body(employer, person_first_name="Jeanne"))
    assert other.status_code == 422
    assert "déjà servi pour une autre requête" in other.json()["detail"]
    assert Referral.objects.count() == 1


def test_the_same_key_on_another_path_is_refused(client):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    employer = EmployerFactory(team=worker.team)
    body = {"employer": employer.pk, "date": "2026-03-09", "minutes": 90, "kind": "interview"}
    assert post(client, TIME_ENTRIES, body).status_code == 201
    assert post(client, REFERRALS, referral_body(employer)).status_code == 422
    assert not Referral.objects.exists()


def test_a_key_is_not_shared_between_two_people(client, sender, make_token):
    _, employer = sender
    assert post(client, REFERRALS, referral_body(employer)).status_code == 201
    colleague = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(colleague)
    _, secret = make_token(user=colleague)
    client.logout()
    answer = post(client, REFERRALS, referral_body(employer), **bearer(secret))
    assert answer.status_code == 201
    assert Referral.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_a_refused_request_is_not_recorded_and_may_be_sent_again_corrected(client, sender):
    _, employer = sender
    refused = post(client, REFERRALS, referral_body(employer, reason=""))
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(client, REFERRALS, referral_body(employer)).status_code == 201
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("key", ["", "clé avec espaces", "x" * 256])
def test_an_invalid_key_is_refused_in_french(client, sender, key):
    _, employer = sender
    answer = post(client, REFERRALS, referral_body(employer), key=key)
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("En-tête Idempotency-Key invalide")
    assert not Referral.objects.exists()


def test_the_stored_row_names_no_one_and_keeps_no_key(client, sender):
    _, employer = sender
    post(client, REFERRALS, referral_body(employer))
    (row,) = IdempotencyKey.objects.values()
    raw = json.dumps(row, default=str)
    for content in ("Dupont", "Lefèvre", "Éloïse", "06 12 34 56 78", "difficulté", KEY):
        assert content not in raw
    referral = Referral.objects.get()
    assert (row["object_type"], row["object_id"], row["status"]) == (
        "casework.referral",
        referral.pk,
        201,
    )


def test_keys_older_than_a_day_are_purged_by_the_command_wet_run_only(client, sender):
    _, employer = sender
    post(client, REFERRALS, referral_body(employer))
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=24, minutes=1))
    post(client, REFERRALS, referral_body(employer), key="fresh-key")
    fresh = IdempotencyKey.objects.get(created_at__gte=timezone.now() - dt.timedelta(hours=1))
    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert "Simulation : 1 clé(s)" in out.getvalue()
    assert IdempotencyKey.objects.count() == 2
    call_command("purge_idempotency_keys", "--wet-run", stdout=out)
    assert "1 clé(s) Idempotency-Key de plus de 24 heures supprimée(s)." in out.getvalue()
    assert list(IdempotencyKey.objects.all()) == [fresh]


def test_a_new_key_purges_the_expired_ones(client, sender, django_capture_on_commit_callbacks):
    _, employer = sender
    post(client, REFERRALS, referral_body(employer))
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        post(client, REFERRALS, referral_body(employer), key="another-key")
    assert IdempotencyKey.objects.count() == 1


def test_after_a_day_the_same_key_is_a_new_request(client, sender):
    _, employer = sender
    post(client, REFERRALS, referral_body(employer))
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert post(client, REFERRALS, referral_body(employer)).status_code == 201
    assert Referral.objects.count() == 2


def test_the_schema_documents_the_header_on_creations_but_not_on_token_creation(client):
    sign_in(client, SocialWorkerFactory().user)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    creations = {path for path, ops in schema["paths"].items() if "post" in ops}
    documented = {
        path
        for path, ops in schema["paths"].items()
        if "post" in ops
        and any(p["name"] == "Idempotency-Key" for p in ops["post"].get("parameters", []))
    }
    assert {REFERRALS, TIME_ENTRIES} <= documented
    assert creations - documented == {reverse("api:token-list")}
    assert "422" in schema["paths"][REFERRALS]["post"]["responses"]


def test_a_retried_interview_is_recorded_once_and_its_replay_is_journaled(client):
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    sign_in(client, worker.user)
    body = {
        "case": case.pk,
        "occurred_on": "2026-03-09",
        "place": "phone",
        "duration_minutes": 30,
        "notes": "Point sur le budget de Mme Dupont-Lefèvre.",
    }
    interviews = reverse("api:interview-list")
    first = post(client, interviews, body)
    assert first.status_code == 201
    reads = AuditEntry.objects.filter(action=AuditAction.INTERVIEW_READ)
    assert not reads.exists()
    retry = post(client, interviews, body)
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert Interview.objects.filter(case=case).count() == 1
    # The replay shows the interview again: a read, journaled like any other.
    assert list(reads.values_list("object_ids", flat=True)) == [[first.json()["id"]]]


def test_a_retried_case_closing_answers_the_closed_case_again(client):
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    sign_in(client, worker.user)
    close = reverse("api:case-close", kwargs={"pk": case.pk})
    body = {"closed_on": "2026-04-02", "reason": "employee_choice"}
    first = post(client, close, body)
    assert first.status_code == 200
    # Without the key, a second closing would be refused: the case is already closed.
    retry = post(client, close, body)
    assert (retry.status_code, retry.json()) == (200, first.json())
    assert post(client, close, body, key="another-key").status_code == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_retry_sent_while_the_first_request_runs_waits_for_it(monkeypatch):
    """The retry's insert of the same key waits on the first one's transaction, then
    answers its outcome: one referral, the same receipt twice."""
    employer = EmployerFactory()
    user = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(user)
    entered, release = threading.Event(), threading.Event()
    create = referral_views.referrals.referral_create

    def slow_create(**kwargs):
        entered.set()
        assert release.wait(30)
        return create(**kwargs)

    monkeypatch.setattr(referral_views.referrals, "referral_create", slow_create)
    answers = {}

    def send(name):
        try:
            answers[name] = post(sign_in(Client(), user), REFERRALS, referral_body(employer))
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert entered.wait(30)
    monkeypatch.setattr(referral_views.referrals, "referral_create", create)
    retry = threading.Thread(target=send, args=("retry",))
    retry.start()
    with connection.cursor() as cursor:  # until the retry waits on the first one's lock
        for _ in range(300):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.1)
        else:
            pytest.fail("the retry never waited for the first request")
    release.set()
    first.join(30)
    retry.join(30)
    assert answers["first"].status_code == answers["retry"].status_code == 201
    assert answers["retry"].json() == answers["first"].json()
    assert Referral.objects.count() == 1
