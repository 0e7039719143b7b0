import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.billing import services
from polesocial.billing.models import FtePlanValidation, TimeEntry
from polesocial.organisations.models import CounsellorInterim, FteShare
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.billing.helpers import setting, time
from tests.conftest import sign_in
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def invoice_of(employer, worker, issue=True):
    time(worker, employer, dt.date(2026, 2, 3), 600)
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1, employers=[employer])
    return services.invoice_issue(actor=None, invoice=draft) if issue else draft


def test_the_billing_officer_runs_issues_and_reads_hours_per_employer(client_as):
    worker, employer = setting(contribution=None)
    time(worker, employer, dt.date(2026, 2, 3), 600)
    client = client_as(Role.BILLING)
    url = reverse("billing:invoice_list") + "?annee=2026&trimestre=1"
    response = client.post(reverse("billing:invoice_run") + "?annee=2026&trimestre=1")
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert employer.name in page and "600,00 €" in page and "10 h" in page
    assert worker.user.last_name not in page
    draft = employer.invoices.get()
    client.post(reverse("billing:invoice_issue", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.number
    page = client.get(reverse("billing:invoice_detail", args=[draft.pk])).content.decode()
    assert "Enregistrer le paiement" in page and "Émettre un avoir" in page
    csv = client.get(reverse("billing:invoice_csv") + "?annee=2026&trimestre=1")
    assert csv["Content-Type"].startswith("text/csv") and draft.number in csv.content.decode()


def test_an_hr_contact_reads_his_own_issued_invoices_only(client):
    worker, employer = setting(contribution=None)
    other_worker, other = setting(contribution=None)
    mine = invoice_of(employer, worker)
    theirs = invoice_of(other, other_worker)
    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    sign_in(client, contact)
    page = client.get(reverse("billing:invoice_detail", args=[mine.pk])).content.decode()
    assert "Télécharger le PDF" in page and "Retour à mes factures" in page
    # Reading is all he may do: no payment, no credit note.
    assert "Enregistrer le paiement" not in page and "Émettre un avoir" not in page
    assert client.get(reverse("billing:invoice_detail", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("billing:my_invoices")).content.decode()
    assert mine.number in page and theirs.number not in page
    # A draft does not exist for him.
    time(worker, employer, dt.date(2026, 5, 3), 60)
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=2, employers=[employer])
    assert client.get(reverse("billing:invoice_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("api:invoice-detail", args=[draft.pk])).status_code == 404


def test_my_time_adds_an_entry_and_shows_the_plan(client):
    worker, employer = setting(contribution=None)
    FteShare.objects.create(worker=worker, employer=employer, year=2026, share="0.5")
    sign_in(client, worker.user)
    url = reverse("billing:my_time") + "?semaine=2026-03-02"
    response = client.post(
        url, {"date": "2026-03-03", "kind": "travel", "employer": employer.pk, "minutes": 45}
    )
    assert response.status_code == 302
    assert TimeEntry.objects.get().minutes == 45
    page = client.get(url).content.decode()
    assert "803,5 h" in page  # 1.00 × 0.5 × 1,607 h
    response = client.post(url, {"date": "2026-03-03", "kind": "travel", "minutes": 0})
    assert "Choisissez l&#x27;employeur" in response.content.decode()


def test_the_counsellor_validates_and_sees_plan_against_actual(client):
    counsellor = UserFactory(role=Role.COUNSELLOR)
    worker, employer = setting(contribution=None)
    worker.team = TeamFactory(counsellor=counsellor)
    worker.save()
    FteShare.objects.create(worker=worker, employer=employer, year=2026, share="0.5")
    time(worker, employer, dt.date(2026, 2, 3), 8035 * 6)  # 803.5 h
    sign_in(client, counsellor)
    url = reverse("billing:fte_dashboard") + "?annee=2026"
    assert "100 %" in client.get(url).content.decode()
    client.post(reverse("billing:fte_plan_validate", args=[worker.pk]) + "?annee=2026")
    assert "Validé le" in client.get(url).content.decode()


def test_the_counsellors_interim_reads_and_validates_the_teams_plan_while_it_runs(client):
    """An interim holds the team's counsellor's powers between its dates (docs §15): the
    plan against actual and its validation too (privacy.scopes Team "led"), not after."""
    worker, employer = setting(contribution=None)
    year = timezone.localdate().year
    FteShare.objects.create(worker=worker, employer=employer, year=year, share="0.5")
    interim, today = UserFactory(role=Role.COUNSELLOR), timezone.localdate()
    held = CounsellorInterim.objects.create(
        team=worker.team, absent=worker.team.counsellor, interim=interim,
        starts_on=today, ends_on=today, created_by=worker.team.counsellor,
    )  # fmt: skip
    sign_in(client, interim)
    url = reverse("billing:fte_dashboard") + f"?annee={year}"
    validate = reverse("billing:fte_plan_validate", args=[worker.pk]) + f"?annee={year}"
    assert worker.user.last_name in client.get(url).content.decode()
    assert client.post(validate).status_code == 302
    assert FtePlanValidation.objects.get(worker=worker, year=year).validated_by == interim
    entry = AuditEntry.objects.get(actor=interim, action=AuditAction.FTE_PLAN_VALIDATE)
    assert entry.replacement is True  # the journal says it was done in interim
    assert f"Validé le {today:%d/%m/%Y} par {interim.full_name}" in client.get(url).content.decode()

    CounsellorInterim.objects.filter(pk=held.pk).update(
        starts_on=today - dt.timedelta(days=7), ends_on=today - dt.timedelta(days=1)
    )
    page = client.get(url).content.decode()
    assert worker.user.last_name not in page
    assert "Aucune ASS dans les équipes que vous encadrez." in page
    assert client.post(validate).status_code == 404


def test_the_invoice_page_writes_amounts_and_quantities_as_in_french(client):
    worker, employer = setting(contribution=None, billing_mode="sessions", session_rate="180.00")
    for day in (2, 3, 4, 5, 6, 9, 10, 11, 12):  # nine half-day sessions in February
        time(worker, employer, dt.date(2026, 2, day), 60)
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1, employers=[employer])
    sign_in(client, UserFactory(role=Role.BILLING))
    page = client.get(reverse("billing:invoice_detail", args=[draft.pk])).content.decode()
    assert "9 vacations" in page
    assert "1\xa0620,00 €" in page  # grouped thousands, decimal comma
