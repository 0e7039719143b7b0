"""The billing officer's workflow: a quarter billed once ended, « émettre tout » in one
confirmation, partial credit notes, payments never in the future, the finance software's
CSV (titres de recettes)."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from polesocial.billing import outputs, services
from polesocial.billing.enums import InvoiceStatus
from polesocial.billing.models import Invoice
from polesocial.billing.services import invoices as invoice_services
from polesocial.organisations.enums import ConventionStatus
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.billing.helpers import setting, time

pytestmark = pytest.mark.django_db
D = dt.date


def this_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_unfinished_quarter_is_refused_by_screen_command_and_api(client_as):
    year, quarter = this_quarter()
    worker, employer = setting(contribution="100.00")
    time(worker, employer, timezone.localdate().replace(day=1), 60)
    with pytest.raises(ValidationError) as refused:
        services.invoice_run(actor=None, year=year, quarter=quarter)
    (message,) = refused.value.messages
    assert "n'est pas terminé" in message and "trimestre" in message

    client = client_as(Role.BILLING)
    screen = client.post(reverse("billing:invoice_run") + f"?annee={year}&trimestre={quarter}")
    assert messages_of(screen) == [message]
    with pytest.raises(CommandError, match="n'est pas terminé") as command:
        call_command(
            "invoice_run", "--year", str(year), "--quarter", str(quarter), "--wet-run",
            stdout=StringIO(),
        )  # fmt: skip
    assert str(command.value) == message
    api = client.post(
        reverse("api:invoice-run"),
        json.dumps({"year": year, "quarter": quarter}),
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["detail"] == message
    assert not Invoice.objects.exists()


def test_the_final_invoice_of_an_ended_convention_is_an_explicit_journaled_override():
    year, quarter = this_quarter()
    today = timezone.localdate()
    worker, ended = setting(contribution=None)
    convention = ended.conventions.get()
    convention.status, convention.terminated_on = ConventionStatus.TERMINATED, today
    convention.save()
    time(worker, ended, today.replace(day=1), 120)
    _, running = setting(contribution="100.00")
    with pytest.raises(ValidationError, match="Indiquez pourquoi"):
        services.invoice_run_final(
            actor=None, year=year, quarter=quarter, employers=[ended], reason=""
        )
    with pytest.raises(ValidationError, match="Aucune convention"):
        services.invoice_run_final(
            actor=None, year=year, quarter=quarter, employers=[running], reason="Fin"
        )
    drafts = services.invoice_run_final(
        actor=None, year=year, quarter=quarter, employers=[ended, running], reason="Résiliation"
    )
    assert [draft.employer for draft in drafts] == [ended]
    entry = AuditEntry.objects.get(action="invoice.run_final")
    assert entry.detail["reason"] == "Résiliation" and entry.detail["employers"] == [ended.pk]


def _three_drafts():
    employers = []
    for minutes in (60, 90, 120):
        worker, employer = setting(contribution=None)
        time(worker, employer, D(2026, 2, 3), minutes)
        employers.append(employer)
    return services.invoice_run(actor=None, year=2026, quarter=1)


def test_issue_all_confirms_count_total_then_gives_consecutive_numbers(client_as):
    drafts = _three_drafts()
    client = client_as(Role.BILLING)
    url = reverse("billing:invoice_issue_all") + "?annee=2026&trimestre=1"
    ids = [str(draft.pk) for draft in drafts]
    page = client.post(url, {"factures": ids})
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 factures" in text and "270,00 €" in text and "ne peut pas être repris" in text
    assert not Invoice.objects.issued().exists()  # nothing before the confirmation

    done = client.post(url, {"factures": ids, "confirme": "oui"})
    assert done.status_code == 302
    numbers = sorted(Invoice.objects.issued().values_list("number", flat=True))
    assert numbers == ["2026-000001", "2026-000002", "2026-000003"]
    assert "3 factures émises" in messages_of(done)[0]


def test_issue_all_is_one_transaction(monkeypatch):
    drafts = _three_drafts()
    real, calls = invoice_services._issue, []

    def failing_third(invoice, day):
        calls.append(invoice.pk)
        if len(calls) == 3:
            raise ValidationError("panne")
        real(invoice, day)

    monkeypatch.setattr(invoice_services, "_issue", failing_third)
    with pytest.raises(ValidationError):
        services.invoice_issue_all(actor=None, invoices=drafts)
    assert not Invoice.objects.issued().exists()
    monkeypatch.setattr(invoice_services, "_issue", real)
    issued = services.invoice_issue_all(actor=None, invoices=drafts)
    assert [i.number for i in issued] == ["2026-000001", "2026-000002", "2026-000003"]


def _issued(minutes=600):
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), minutes)
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1)
    return services.invoice_issue(actor=None, invoice=draft, issued_on=D(2026, 4, 2))


def test_partial_credit_notes_never_take_back_more_than_the_invoice():
    invoice = _issued()  # 10 h at 60 €: 600 €
    with pytest.raises(ValidationError, match="motif"):
        services.invoice_cancel(actor=None, invoice=invoice, amount="100", reason=" ")
    first = services.invoice_cancel(actor=None, invoice=invoice, amount="100", reason="Erreur")
    second = services.invoice_cancel(actor=None, invoice=invoice, amount="450,50", reason="Geste")
    assert (first.total, second.total) == (Decimal("-100.00"), Decimal("-450.50"))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and services.credited(invoice) == Decimal(
        "550.50"
    )
    with pytest.raises(ValidationError, match="49,50"):
        services.invoice_cancel(actor=None, invoice=invoice, amount="49.51", reason="Trop")
    # A partial credit keeps the invoice live: a re-run of its period bills nothing again.
    assert services.invoice_run(actor=None, year=2026, quarter=1) == []
    last = services.invoice_cancel(actor=None, invoice=invoice, reason="Solde")
    invoice.refresh_from_db()
    assert last.total == Decimal("-49.50") and invoice.status == InvoiceStatus.CANCELLED
    assert set(invoice.credit_notes.values_list("number", flat=True)) == {
        first.number, second.number, last.number,
    }  # fmt: skip


def test_a_partial_credit_note_from_the_invoice_page(client_as):
    invoice = _issued()
    client = client_as(Role.BILLING)
    url = reverse("billing:invoice_cancel", args=[invoice.pk])
    refused = client.post(url, {"amount": "10"})
    assert not invoice.credit_notes.exists() and messages_of(refused)
    client.post(url, {"amount": "10", "reason": "Déplacement compté deux fois"})
    note = invoice.credit_notes.get()
    assert note.total == Decimal("-10.00") and note.reason == "Déplacement compté deux fois"
    page = client.get(reverse("billing:invoice_detail", args=[invoice.pk])).content.decode()
    assert note.number in page and "Déplacement compté deux fois" in page


def test_a_payment_date_in_the_future_is_refused_by_service_and_screen(client_as):
    invoice = _issued()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="dans le futur"):
        services.invoice_set_paid(actor=None, invoice=invoice, paid_on=tomorrow)
    client = client_as(Role.BILLING)
    response = client.post(
        reverse("billing:invoice_pay", args=[invoice.pk]), {"paid_on": tomorrow.isoformat()}
    )
    assert messages_of(response) == ["La date de paiement ne peut pas être dans le futur."]
    invoice.refresh_from_db()
    assert invoice.paid_on is None


def test_the_billing_page_keeps_the_quarter_and_names_the_employer_of_each_draft(client_as):
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 5, 4), 60)
    services.invoice_run(actor=None, year=2026, quarter=2)
    client = client_as(Role.BILLING)
    client.get(reverse("billing:invoice_list") + "?annee=2026&trimestre=2")
    page = client.get(reverse("billing:invoice_list")).content.decode()  # back, no query
    assert "2e trimestre 2026" in page
    assert f"Brouillon — {employer.name}, 2e trimestre 2026" in page
    draft = Invoice.objects.get()
    detail = client.get(reverse("billing:invoice_detail", args=[draft.pk])).content.decode()
    assert "?annee=2026&amp;trimestre=2" in detail  # « Retour à la facturation »


def test_the_finance_software_csv_has_one_row_per_issued_invoice_keyed_by_its_number(
    client_as,
):
    invoice = _issued()
    employer = invoice.employer
    note = services.invoice_cancel(actor=None, invoice=invoice, amount="10", reason="Erreur")
    client = client_as(Role.BILLING)
    response = client.get(reverse("billing:revenue_titles_csv") + "?annee=2026&trimestre=1")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["reference"] for row in rows] == [invoice.number, note.number]
    first, second = rows
    assert first["type"] == "FACTURE" and first["montant"] == "600,00"
    assert first["date_echeance"] == "2026-05-02" and first["siret_debiteur"] == employer.siret
    assert second["type"] == "AVOIR" and second["montant"] == "-10,00"
    assert second["facture_origine"] == invoice.number and second["motif"] == "Erreur"


def test_the_command_writes_the_first_quarter_in_french():
    out = StringIO()
    call_command("invoice_run", "--year", "2026", "--quarter", "1", stdout=out)
    assert "Facturation du 1er trimestre 2026" in out.getvalue()


def test_the_final_invoice_from_the_billing_page(client_as):
    year, quarter = this_quarter()
    today = timezone.localdate()
    worker, ended = setting(contribution=None)
    ended.conventions.update(status=ConventionStatus.TERMINATED, terminated_on=today)
    time(worker, ended, today.replace(day=1), 60)
    client = client_as(Role.BILLING)
    page = client.get(reverse("billing:invoice_list") + f"?annee={year}&trimestre={quarter}")
    assert "Facture finale d'une convention terminée" in page.content.decode()
    url = reverse("billing:invoice_run_final") + f"?annee={year}&trimestre={quarter}"
    refused = client.post(url, {"employer": ended.pk})
    assert messages_of(refused) and not Invoice.objects.exists()
    done = client.post(url, {"employer": ended.pk, "reason": "Convention résiliée"})
    assert any("Facture finale préparée" in message for message in messages_of(done))
    assert Invoice.objects.get().employer == ended
    assert AuditEntry.objects.filter(action="invoice.run_final", actor=client.user).exists()


def test_the_billing_officer_records_chorus_pro_identifiers_that_the_next_invoice_carries(
    client_as,
):
    worker, employer = setting(contribution=None)
    time(worker, employer, D(2026, 2, 3), 60)
    client = client_as(Role.BILLING)
    fields = {
        "name": employer.name, "kind": employer.kind, "siret": employer.siret,
        "team": employer.team_id, "version": employer.version,
        "chorus_service_code": "FACTURES-RH", "chorus_engagement_number": "EJ-77",
    }  # fmt: skip
    response = client.post(reverse("organisations:employer_update", args=[employer.pk]), fields)
    assert response.status_code == 302
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1)
    invoice = services.invoice_issue(actor=None, invoice=draft)
    assert invoice.parties["employer"]["chorus_service_code"] == "FACTURES-RH"
    xml = outputs.facturx_xml(invoice)
    assert b"<ram:BuyerReference>FACTURES-RH</ram:BuyerReference>" in xml
    assert b"<ram:IssuerAssignedID>EJ-77</ram:IssuerAssignedID>" in xml
