"""The invoice run asked for on the billing screen: on the task queue, with its progress."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from polesocial.billing import services
from polesocial.billing.models import Invoice, InvoiceRun
from polesocial.billing.services import runs
from polesocial.billing.tasks import run_invoices
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.billing.helpers import setting, time
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Q1_DAY = dt.date(2026, 2, 3)


def three_employers():
    """Three employers billed hourly, 1 h, 2 h and 3 h of interviews in Q1 2026."""
    employers = []
    for hours in (1, 2, 3):
        worker, employer = setting(contribution=None)
        time(worker, employer, Q1_DAY, 60 * hours)
        employers.append(employer)
    return employers


def totals() -> dict[int, Decimal]:
    return dict(Invoice.objects.drafts().values_list("employer_id", "total"))


def test_the_screen_queues_the_run_and_its_page_says_what_it_prepared(client):
    three_employers()
    officer = UserFactory(role=Role.BILLING)
    sign_in(client, officer)
    response = client.post(reverse("billing:invoice_run") + "?annee=2026&trimestre=1")
    run = InvoiceRun.objects.get()
    assert response.url == reverse("billing:invoice_run_status", args=[run.pk])
    assert (run.requested_by, run.year, run.quarter) == (officer, 2026, 1)
    # The test settings run tasks at once: the run is over when the page is read.
    page = client.get(response.url).content.decode()
    assert "3 brouillons de facture préparés" in page
    assert "1er trimestre 2026" in page
    assert 'http-equiv="refresh"' not in page
    assert sorted(totals().values()) == [Decimal("60.00"), Decimal("120.00"), Decimal("180.00")]
    assert AuditEntry.objects.filter(action="invoice.run", actor=officer).count() == 1


def test_a_run_under_way_shows_its_progress_and_refreshes_itself(client):
    officer = UserFactory(role=Role.BILLING)
    run = InvoiceRun.objects.create(requested_by=officer, year=2026, quarter=1)
    run.report_progress(1, 3)
    sign_in(client, officer)
    page = client.get(reverse("billing:invoice_run_status", args=[run.pk])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert 'value="33"' in page and "En attente : 33 %" in page


def test_another_officer_s_run_is_absent(client):
    run = InvoiceRun.objects.create(
        requested_by=UserFactory(role=Role.BILLING), year=2026, quarter=1
    )
    sign_in(client, UserFactory(role=Role.BILLING))
    assert client.get(reverse("billing:invoice_run_status", args=[run.pk])).status_code == 404


def test_batches_give_the_same_drafts_as_one_run_and_report_each_step(monkeypatch):
    three_employers()
    services.invoice_run(actor=None, year=2026, quarter=1)
    expected = totals()
    monkeypatch.setattr(runs, "RUN_BATCH", 1)
    steps = []
    count = services.invoice_run_in_batches(
        actor=None, year=2026, quarter=1, progress=lambda done, total: steps.append((done, total))
    )
    assert count == 3 and totals() == expected  # rebuilt, not duplicated
    assert Invoice.objects.count() == 3
    assert steps == [(1, 3), (2, 3), (3, 3)]


def test_a_failing_batch_keeps_every_draft_whole_and_the_run_says_it_failed(monkeypatch):
    first, second, third = three_employers()
    services.invoice_run(actor=None, year=2026, quarter=1)
    before = dict(Invoice.objects.values_list("employer_id", "pk"))
    officer = UserFactory(role=Role.BILLING)
    run = InvoiceRun.objects.create(requested_by=officer, year=2026, quarter=1)
    monkeypatch.setattr(runs, "RUN_BATCH", 1)
    real = runs.draft_lines

    def failing(employer, convention, period, **kwargs):
        if employer == second:
            raise RuntimeError("disk full")
        return real(employer, convention, period, **kwargs)

    monkeypatch.setattr(runs, "draft_lines", failing)
    with pytest.raises(RuntimeError):
        run_invoices.call(str(run.pk))
    run.refresh_from_db()
    assert run.status == "failed"
    after = dict(Invoice.objects.values_list("employer_id", "pk"))
    assert after[first.pk] != before[first.pk]  # its batch was done: a new draft
    assert after[second.pk] == before[second.pk]  # its batch rolled back: the old draft
    assert after[third.pk] == before[third.pk]  # not reached
    assert Invoice.objects.count() == 3


def test_a_draft_left_by_an_ended_convention_goes_at_the_next_run():
    (employer, *_) = three_employers()
    services.invoice_run(actor=None, year=2026, quarter=1)
    employer.conventions.update(status="draft")  # no convention in force any more
    services.invoice_run(actor=None, year=2026, quarter=1)
    assert not Invoice.objects.filter(employer=employer).exists()
    assert Invoice.objects.count() == 2


@pytest.mark.parametrize("year, quarter", [(None, 1), (2026, None), (20226, 1), (2026, 5)])
def test_the_run_service_refuses_a_period_that_is_not_valid_whoever_asks(year, quarter):
    officer = UserFactory(role=Role.BILLING)
    with pytest.raises(ValidationError) as refusal:
        services.invoice_run_request(actor=officer, year=year, quarter=quarter)
    assert refusal.value.messages == [
        "Choisissez une année (de 2000 à 2100) et un trimestre (de 1 à 4) valides."
    ]
    assert not InvoiceRun.objects.exists()


@pytest.mark.parametrize("query", ["?annee=abc&trimestre=1", "?annee=2026&trimestre=5", ""])
def test_a_forged_period_is_refused_rather_than_run_for_another_quarter(client, query):
    sign_in(client, UserFactory(role=Role.BILLING))
    response = client.post(reverse("billing:invoice_run") + query, follow=True)
    assert not InvoiceRun.objects.exists()
    assert "Choisissez une année (de 2000 à 2100) et un trimestre (de 1 à 4) valides." in (
        response.content.decode()
    )
