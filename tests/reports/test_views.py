"""The report pages: the seed figures on the page, who sees which report, exports."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.organisations.models import CounsellorInterim
from polesocial.reports.access import available_scopes
from polesocial.reports.models import Narrative, ReportExport
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, TeamFactory, UserFactory
from tests.reports.data import YEAR, bulk_cases, profile_people

pytestmark = pytest.mark.django_db


def test_the_national_adviser_reads_the_seed_figures_on_the_page(seed_year, client_as):
    client = client_as(Role.NATIONAL_ADVISER)
    page = client.get(reverse("reports:report", args=["operator", 0, YEAR])).content.decode()
    for figure in ("590", "11367", "5,2 %", "82 %", "96 %", "36 %", "30 %", "68 %"):
        assert figure in page, figure
    assert "Bilan interne" in page
    assert "<svg" in page and "<title id=" in page  # charts, with a table beside each
    assert "Définitions" in page and "photographie de leur dernière ouverture" in page


def _small_employer(contact=None):
    """An employer with 7 followed employees: too few to publish."""
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    if contact:
        employer.accounts.add(contact)
    people = profile_people(YEAR, {"titulaire": 7}, {"C": 7}, {"single": 7}, {"35_44": 7})
    bulk_cases(YEAR, people, worker=worker, employers=[employer])
    return employer


def test_the_employer_contact_always_sees_the_controlled_report(client_as):
    client = client_as(Role.EMPLOYER_CONTACT)
    employer = _small_employer(client.user)
    page = client.get(reverse("reports:report", args=["employer", employer.pk, YEAR]))
    assert page.status_code == 200
    assert "Secret statistique appliqué" in page.content.decode()
    data = client.get(reverse("reports:download", args=["employer", employer.pk, YEAR, "json"]))
    report = data.json()
    assert report["disclosure_control"]["applied"] is True
    assert report["employees_followed"] is None
    assert "employees_followed" in report["suppressed"]
    assert report["profile"]["status"]["titulaire"] is None


def test_an_employer_contact_cannot_open_another_employer(client_as):
    client = client_as(Role.EMPLOYER_CONTACT)
    other = _small_employer()
    assert (
        client.get(reverse("reports:report", args=["employer", other.pk, YEAR])).status_code == 404
    )


def test_a_worker_reads_her_report_not_a_colleagues(client):
    worker = SocialWorkerFactory()
    colleague = SocialWorkerFactory(team=worker.team)
    sign_in(client, worker.user)
    assert (
        client.get(reverse("reports:report", args=["worker", worker.pk, YEAR])).status_code == 200
    )
    assert (
        client.get(reverse("reports:report", args=["worker", colleague.pk, YEAR])).status_code
        == 404
    )
    assert (
        client.get(reverse("reports:report", args=["team", worker.team_id, YEAR])).status_code
        == 404
    )
    assert client.get(reverse("reports:report", args=["operator", 0, YEAR])).status_code == 404


def test_the_counsellor_reads_her_team_and_workers_not_another_team(client):
    team = TeamFactory()
    worker = SocialWorkerFactory(team=team)
    other = SocialWorkerFactory()
    sign_in(client, team.counsellor)
    assert client.get(reverse("reports:report", args=["team", team.pk, YEAR])).status_code == 200
    assert (
        client.get(reverse("reports:report", args=["worker", worker.pk, YEAR])).status_code == 200
    )
    assert client.get(reverse("reports:report", args=["worker", other.pk, YEAR])).status_code == 404
    assert (
        client.get(reverse("reports:report", args=["team", other.team_id, YEAR])).status_code == 404
    )
    assert client.get(reverse("reports:index")).status_code == 200


def test_the_counsellors_interim_reads_the_teams_reports_while_it_runs(client):
    """An interim holds the team's counsellor's powers between its dates (docs §15), its
    reports among them: the team's, its workers' (internal) and its employers' (under
    disclosure control), on the index and on their pages; not once it has ended."""
    team = TeamFactory()
    worker, employer = SocialWorkerFactory(team=team), EmployerFactory(team=team)
    interim, today = UserFactory(role=Role.COUNSELLOR), timezone.localdate()
    held = CounsellorInterim.objects.create(
        team=team, absent=team.counsellor, interim=interim,
        starts_on=today, ends_on=today, created_by=team.counsellor,
    )  # fmt: skip
    sign_in(client, interim)
    pages = [("team", team.pk), ("worker", worker.pk), ("employer", employer.pk)]
    assert available_scopes(interim) == [
        ("team", team.pk, f"Équipe {team.name}"),
        ("worker", worker.pk, f"ASS {worker.user.full_name}"),
        ("employer", employer.pk, f"Employeur {employer.name}"),
    ]
    for kind, pk in pages:
        assert client.get(reverse("reports:report", args=[kind, pk, YEAR])).status_code == 200

    CounsellorInterim.objects.filter(pk=held.pk).update(
        starts_on=today - dt.timedelta(days=7), ends_on=today - dt.timedelta(days=1)
    )
    assert available_scopes(interim) == []
    for kind, pk in pages:
        assert client.get(reverse("reports:report", args=[kind, pk, YEAR])).status_code == 404


def test_csv_is_semicolon_separated_utf8(client_as):
    client = client_as(Role.NATIONAL_ADVISER)
    response = client.get(reverse("reports:download", args=["operator", 0, YEAR, "csv"]))
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["rubrique", "code", "libellé", "valeur"]
    assert ["profile.category", "C", "Catégorie C", "0"] in rows


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("ods", b"PK")])
def test_exports_run_as_a_task_with_a_status_page(client, fmt, magic):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    Narrative.objects.create(
        scope_kind="worker",
        scope_id=worker.pk,
        year=YEAR,
        section="analysis",
        text="Hausse des situations de surendettement.",
        updated_by=worker.user,
    )
    response = client.post(
        reverse("reports:export", args=["worker", worker.pk, YEAR]), {"format": fmt}
    )
    job = ReportExport.objects.get()
    assert response.url == reverse("reports:export_status", args=[job.pk])
    assert job.status == "done" and job.controlled is False
    status = client.get(response.url).content.decode()
    assert "Le fichier est prêt" in status
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.content.startswith(magic)
    # Someone else's export is absent.
    sign_in(client, UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get(reverse("reports:export_status", args=[job.pk])).status_code == 404


def test_the_pdf_prints_the_narrative():
    from django.template.loader import render_to_string

    from polesocial.reports import presentation
    from polesocial.reports.queries import resolve_scope
    from polesocial.reports.report import build_report

    report = build_report(YEAR, resolve_scope("operator"), controlled=False)
    narrative = Narrative(section="analysis", text="Hausse des situations de surendettement.")
    html = render_to_string(
        "reports/pdf.html",
        {"report": report, "tables": presentation.tables(report), "narratives": [narrative]},
    )
    assert "Hausse des situations de surendettement." in html


def test_the_worker_writes_her_analysis(client):
    worker = SocialWorkerFactory()
    sign_in(client, worker.user)
    url = reverse("reports:narrative_save", args=["worker", worker.pk, YEAR])
    client.post(url, {"section": "analysis", "text": "Première version."})
    client.post(url, {"section": "analysis", "text": "Seconde version."})
    assert Narrative.objects.get().text == "Seconde version."
    page = client.get(reverse("reports:report", args=["worker", worker.pk, YEAR]))
    assert "Seconde version." in page.content.decode()


def test_an_analysis_naming_a_person_she_follows_waits_for_her_confirmation(client):
    from polesocial.privacy.models import AuditEntry
    from polesocial.privacy.names import NAME_WARNING
    from tests.factories import open_case_for

    worker = SocialWorkerFactory()
    open_case_for(worker)  # Éloïse Dupont-Lefèvre
    sign_in(client, worker.user)
    url = reverse("reports:narrative_save", args=["worker", worker.pk, YEAR])
    text = "Situation difficile de Mme eloise DUPONT-LEFEVRE, suivie depuis mars."
    response = client.post(url, {"section": "analysis", "text": text})
    page = response.content.decode()
    assert response.status_code == 200 and not Narrative.objects.exists()
    assert NAME_WARNING.replace("'", "&#x27;") in page
    assert text in page  # her text is kept in the field, not lost
    assert 'name="names_confirmed"' in page
    assert AuditEntry.objects.filter(action="report.name_warning").count() == 1
    assert text not in str(AuditEntry.objects.get(action="report.name_warning").detail)

    client.post(url, {"section": "analysis", "text": text, "names_confirmed": "on"})
    assert Narrative.objects.get().text == text


def test_an_analysis_without_a_name_is_saved_with_no_confirmation_box(client):
    from tests.factories import open_case_for

    worker = SocialWorkerFactory()
    open_case_for(worker)
    sign_in(client, worker.user)
    page = client.get(reverse("reports:report", args=["worker", worker.pk, YEAR]))
    assert 'name="names_confirmed"' not in page.content.decode()
    url = reverse("reports:narrative_save", args=["worker", worker.pk, YEAR])
    client.post(url, {"section": "analysis", "text": "Hausse des situations de dettes."})
    assert Narrative.objects.get().text == "Hausse des situations de dettes."
