"""Export files are kept REPORT_EXPORT_RETENTION_DAYS days, then deleted."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from polesocial.reports.models import ReportExport, retention_days
from polesocial.reports.tasks import export_report
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import SocialWorkerFactory, UserFactory
from tests.reports.data import YEAR

pytestmark = pytest.mark.django_db


def _export(user=None, *, age_days: float = 0, fmt: str = "ods", status: str = "done"):
    """A finished export of a worker's report, made `age_days` days ago."""
    user = user or UserFactory(role=Role.SOCIAL_WORKER)
    job = ReportExport.objects.create(
        requested_by=user,
        scope_kind="worker",
        scope_id=SocialWorkerFactory().pk,
        year=YEAR,
        format=fmt,
        controlled=False,
        status=status,
        progress=100,
        content=b"PK",
        filename=f"bilan.{fmt}",
    )
    created = timezone.now() - dt.timedelta(days=age_days)
    ReportExport.objects.filter(pk=job.pk).update(created_at=created)
    job.refresh_from_db()
    return job


def _purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_report_exports", *args, stdout=out)
    return out.getvalue()


# --- the retention period ---------------------------------------------------------------


def test_the_retention_period_is_seven_days_unless_set(settings):
    assert retention_days() == 7
    settings.REPORT_EXPORT_RETENTION_DAYS = 2
    assert retention_days() == 2


@pytest.mark.parametrize("value", [0, -3, "7"])
def test_a_retention_period_below_one_day_is_refused(settings, value):
    settings.REPORT_EXPORT_RETENTION_DAYS = value
    with pytest.raises(ImproperlyConfigured, match="au moins 1"):
        retention_days()


# --- the command ----------------------------------------------------------------------------


def test_the_command_simulates_by_default():
    old = [_export(age_days=8), _export(age_days=30, fmt="pdf")]
    recent = _export(age_days=6)
    out = _purge()
    assert out.startswith("Simulation : 2 export(s) de bilan")
    assert "(conservation : 7 jours) seraient supprimé(s) (1 ODS, 1 PDF)" in out
    assert "--wet-run" in out
    assert ReportExport.objects.count() == 3
    assert {j.pk for j in ReportExport.objects.expired()} == {j.pk for j in old}
    assert recent.pk not in {j.pk for j in ReportExport.objects.expired()}


def test_the_wet_run_deletes_only_expired_exports():
    _export(age_days=8)
    _export(age_days=30, fmt="pdf", status="failed")
    recent = _export(age_days=6)
    out = _purge("--wet-run")
    assert out.startswith("2 export(s) de bilan préparé(s) avant le ")
    assert "supprimé(s) (1 ODS, 1 PDF)." in out
    assert list(ReportExport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert _purge("--wet-run").startswith("0 export(s)")


def test_the_command_follows_the_setting(settings):
    settings.REPORT_EXPORT_RETENTION_DAYS = 30
    kept = _export(age_days=8)
    _export(age_days=31)
    assert "(conservation : 30 jours)" in _purge("--wet-run")
    assert list(ReportExport.objects.values_list("pk", flat=True)) == [kept.pk]


# --- opportunistic purge when a new export is asked for ------------------------------------


def test_asking_for_an_export_deletes_everyones_expired_exports(client):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    expired = [_export(age_days=8), _export(worker.user, age_days=10)]
    recent = _export(age_days=1)
    client.post(reverse("reports:export", args=["worker", worker.pk, YEAR]), {"format": "ods"})
    remaining = set(ReportExport.objects.values_list("pk", flat=True))
    assert recent.pk in remaining and len(remaining) == 2  # the recent one and the new one
    assert not remaining & {j.pk for j in expired}


def test_a_task_whose_export_was_deleted_does_nothing():
    pk = str(_export(status="pending").pk)
    ReportExport.objects.filter(pk=pk).delete()
    assert export_report.call(pk) == ""
    assert not ReportExport.objects.exists()


# --- the pages of an expired export -------------------------------------------------------


@pytest.mark.parametrize("name", ["reports:export_status", "reports:export_download"])
def test_an_expired_export_not_yet_deleted_answers_410_with_a_way_back(client, name):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    job = _export(worker.user, age_days=8)
    response = client.get(reverse(name, args=[job.pk]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "Ce fichier a expiré" in page
    assert "supprimés au bout de 7 jours" in page and "Préparez-le de nouveau" in page
    assert reverse("reports:report", args=["worker", job.scope_id, YEAR]) in page
    # The file itself is not served: an HTML page, no attachment, no ODS (zip) bytes. (Not
    # `b"PK" not in content`: a random CSP nonce on the page may hold those two letters.)
    assert response["Content-Type"].startswith("text/html")
    assert not response.has_header("Content-Disposition")
    assert b"PK\x03\x04" not in response.content


@pytest.mark.parametrize("name", ["reports:export_status", "reports:export_download"])
def test_a_deleted_export_answers_404_saying_it_may_have_expired(client, name):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    job = _export(worker.user, age_days=8)
    _purge("--wet-run")
    response = client.get(reverse(name, args=[job.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Ce fichier de bilan a expiré ou n'est pas accessible" in page
    assert "Préparez-le de nouveau" in page


def test_someone_elses_expired_export_is_absent_not_expired(client):
    """Out of scope is 404 like absent: the page does not tell that the export existed."""
    sign_in(client, UserFactory(role=Role.SOCIAL_WORKER))
    job = _export(age_days=8)
    response = client.get(reverse("reports:export_status", args=[job.pk]))
    assert response.status_code == 404
    assert "Ce fichier a expiré" not in response.content.decode()
    assert str(job.year) not in response.content.decode()


def test_a_recent_export_says_until_when_it_is_kept(client):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    job = _export(worker.user, age_days=1)
    page = client.get(reverse("reports:export_status", args=[job.pk])).content.decode()
    until = timezone.localtime(job.created_at + dt.timedelta(days=7))
    assert f"conservé jusqu'au {until:%d/%m/%Y à %H:%M}" in page
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.status_code == 200 and download.content == b"PK"


def test_downloading_an_unfinished_export_leads_to_its_status_page(client):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    job = _export(worker.user, status="running")
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 302
    assert response.url == reverse("reports:export_status", args=[job.pk])
