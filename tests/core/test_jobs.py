"""Background jobs whose worker stopped mid-way: shown as interrupted, restarted in one click."""

import datetime as dt
import html
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from polesocial.billing.models import Invoice, InvoiceRun
from polesocial.core import jobs
from polesocial.reports.models import ReportExport
from polesocial.users.enums import Role
from tests.billing.helpers import setting, time
from tests.conftest import sign_in
from tests.factories import SocialWorkerFactory, UserFactory
from tests.reports.data import YEAR

pytestmark = pytest.mark.django_db

# BACKGROUND_JOB_STALE_SECONDS is 600 by default: 11 minutes without a heartbeat is stale.
LONG_AGO = dt.timedelta(minutes=11)
RECENTLY = dt.timedelta(minutes=1)


def running(job, *, silent_for: dt.timedelta | None, started_ago=dt.timedelta(hours=1)):
    """`job` as its worker left it: running, last heartbeat `silent_for` ago (None: none)."""
    now = timezone.now()
    type(job).objects.filter(pk=job.pk).update(
        status="running",
        progress=40,
        created_at=now - started_ago,
        heartbeat_at=None if silent_for is None else now - silent_for,
    )
    job.refresh_from_db()
    return job


def restart_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the page's « Relancer » form."""
    form = next(f for f in re.findall(r"<form.*?</form>", page, re.S) if "Relancer" in f)
    action = html.unescape(re.search(r'action="([^"]+)"', form).group(1))
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken", None)
    return action, fields


def a_stopped_invoice_run(officer):
    worker, employer = setting(contribution=None)
    time(worker, employer, dt.date(2026, 2, 3), 90)
    run = InvoiceRun.objects.create(requested_by=officer, year=2026, quarter=1)
    return running(run, silent_for=LONG_AGO)


def test_an_invoice_run_whose_worker_stopped_says_so_and_restarts_in_one_click(client):
    officer = UserFactory(role=Role.BILLING)
    run = a_stopped_invoice_run(officer)
    sign_in(client, officer)

    page = client.get(reverse("billing:invoice_run_status", args=[run.pk])).content.decode()

    assert "Préparation interrompue" in page and "Relancez-la." in page
    assert "Les brouillons déjà refaits sont conservés" in page
    assert 'http-equiv="refresh"' not in page  # nothing to wait for any more
    run.refresh_from_db()
    assert run.status == "interrupted"
    action, fields = restart_form(page)
    response = client.post(action, fields)
    again = InvoiceRun.objects.exclude(pk=run.pk).get()
    assert response.url == reverse("billing:invoice_run_status", args=[again.pk])
    assert (again.requested_by, again.year, again.quarter) == (officer, 2026, 1)
    # The test settings run tasks at once: the new run has done the work.
    assert again.status == "done" and again.drafts == 1
    assert Invoice.objects.drafts().count() == 1
    assert "1 brouillon de facture préparé" in client.get(response.url).content.decode()


def test_a_report_export_whose_worker_stopped_says_so_and_restarts_in_one_click(client):
    worker = SocialWorkerFactory()
    export = ReportExport.objects.create(
        requested_by=worker.user, scope_kind="worker", scope_id=worker.pk, year=YEAR, format="ods"
    )
    running(export, silent_for=LONG_AGO)
    sign_in(client, worker.user)

    page = client.get(reverse("reports:export_status", args=[export.pk])).content.decode()

    assert "Préparation interrompue" in page and "Relancez-la." in page
    action, fields = restart_form(page)
    assert fields == {"format": "ods"}
    response = client.post(action, fields)
    again = ReportExport.objects.exclude(pk=export.pk).get()
    assert response.url == reverse("reports:export_status", args=[again.pk])
    assert (again.scope_kind, again.scope_id, again.year) == ("worker", worker.pk, YEAR)
    assert again.status == "done" and bytes(again.content).startswith(b"PK")
    export.refresh_from_db()
    assert export.status == "interrupted"


def test_a_job_that_beats_is_not_stale_however_long_it_runs(client):
    officer = UserFactory(role=Role.BILLING)
    run = InvoiceRun.objects.create(requested_by=officer, year=2026, quarter=1)
    running(run, silent_for=RECENTLY, started_ago=dt.timedelta(hours=3))
    sign_in(client, officer)

    page = client.get(reverse("billing:invoice_run_status", args=[run.pk])).content.decode()

    assert "En cours : 40 %" in page and 'http-equiv="refresh"' in page
    assert "Relancer" not in page
    run.refresh_from_db()
    assert run.status == "running"


def test_a_progress_report_is_a_heartbeat():
    run = InvoiceRun.objects.create(requested_by=UserFactory(), year=2026, quarter=1)
    running(run, silent_for=LONG_AGO)
    run.report_progress(2, 3)
    assert jobs.interrupt_stale(InvoiceRun.objects.all()) == 0
    run.refresh_from_db()
    assert (run.status, run.progress) == ("running", 66)


def test_a_job_waiting_for_a_worker_is_never_stale():
    run = InvoiceRun.objects.create(requested_by=UserFactory(), year=2026, quarter=1)
    InvoiceRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert jobs.interrupt_stale(InvoiceRun.objects.all()) == 0
    assert InvoiceRun.objects.get().status == "pending"


def test_a_running_job_that_never_beat_is_stale_once_old_enough():
    fresh = running(
        InvoiceRun.objects.create(requested_by=UserFactory(), year=2026, quarter=1),
        silent_for=None,
        started_ago=RECENTLY,
    )
    old = running(
        InvoiceRun.objects.create(requested_by=UserFactory(), year=2026, quarter=2),
        silent_for=None,
    )
    assert jobs.interrupt_stale(InvoiceRun.objects.all()) == 1
    statuses = dict(InvoiceRun.objects.values_list("pk", "status"))
    assert statuses == {fresh.pk: "running", old.pk: "interrupted"}


@override_settings(BACKGROUND_JOB_STALE_SECONDS=30 * 60)
def test_the_stale_delay_is_a_setting():
    run = running(
        InvoiceRun.objects.create(requested_by=UserFactory(), year=2026, quarter=1),
        silent_for=LONG_AGO,
    )
    assert jobs.refreshed(run).status == "running"


def test_the_command_counts_in_a_dry_run_and_marks_with_wet_run(capsys):
    stopped = running(
        InvoiceRun.objects.create(requested_by=UserFactory(), year=2026, quarter=1),
        silent_for=LONG_AGO,
    )
    worker = SocialWorkerFactory()
    export = ReportExport.objects.create(
        requested_by=worker.user, scope_kind="worker", scope_id=worker.pk, year=YEAR, format="pdf"
    )
    running(export, silent_for=LONG_AGO)
    alive = running(
        InvoiceRun.objects.create(requested_by=UserFactory(), year=2026, quarter=2),
        silent_for=RECENTLY,
    )

    call_command("interrupt_stale_jobs")
    assert "Simulation : 2 tâche(s)" in capsys.readouterr().out
    assert InvoiceRun.objects.get(pk=stopped.pk).status == "running"

    call_command("interrupt_stale_jobs", "--wet-run")
    out = capsys.readouterr().out
    assert "2 tâche(s) sans signe de vie depuis 10 min marquée(s) interrompue(s)" in out
    assert "préparation de facturation : 1" in out and "export de bilan : 1" in out
    assert InvoiceRun.objects.get(pk=stopped.pk).status == "interrupted"
    assert ReportExport.objects.get(pk=export.pk).status == "interrupted"
    assert InvoiceRun.objects.get(pk=alive.pk).status == "running"
