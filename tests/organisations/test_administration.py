"""The administrator sets up a real service: the operator, its teams, its workers' records."""

import datetime as dt
import html
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from polesocial.organisations import services
from polesocial.organisations.demo import operator_siret
from polesocial.organisations.models import Operator, SocialWorker, Team
from polesocial.organisations.validators import siret_is_valid
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import (
    EmployerFactory,
    OperatorFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    open_case_for,
    siret_with_key,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as read, entities decoded (« n'est » is written « n&#x27;est »)."""
    return html.unescape(response.content.decode())


SIRET = siret_with_key("2510000000012")


@pytest.fixture
def admin(client):
    user = UserFactory(role=Role.ADMIN)
    sign_in(client, user)
    return user


def test_on_an_empty_installation_the_admins_home_leads_to_the_operator_form(client, admin):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url == reverse("organisations:operator_edit")
    page = client.get(response.url)
    assert "Première mise en service" in text(page)


def test_once_the_operator_is_recorded_the_admins_home_opens(client, admin):
    OperatorFactory()
    assert client.get(reverse("core:home")).status_code == 200


def test_the_admin_records_the_operator_then_edits_it_without_making_a_second(client, admin):
    data = {"name": "CDG de l'Arnon", "kind": "management_centre", "siret": SIRET}
    response = client.post(reverse("organisations:operator_edit"), data)
    assert response.status_code == 302
    client.post(reverse("organisations:operator_edit"), {**data, "phone": "02 48 00 00 00"})
    operator = Operator.objects.get()
    assert (operator.siret, operator.phone) == (SIRET, "02 48 00 00 00")
    actions = list(AuditEntry.objects.filter(actor=admin).values_list("action", flat=True))
    assert actions.count("operator.create") == 1
    assert actions.count("operator.update") == 1


def test_a_wrong_siret_is_refused_beside_the_field(client, admin):
    wrong = SIRET[:-1] + str((int(SIRET[-1]) + 1) % 10)
    response = client.post(
        reverse("organisations:operator_edit"),
        {"name": "CDG", "kind": "management_centre", "siret": wrong},
    )
    assert response.status_code == 200
    assert "sa clé de contrôle ne correspond pas" in text(response)
    assert not Operator.objects.exists()


def test_a_team_cannot_be_created_before_the_operator(client, admin):
    counsellor = UserFactory(role=Role.COUNSELLOR)
    response = client.post(
        reverse("organisations:team_create"), {"name": "Nord", "counsellor": counsellor.pk}
    )
    assert "Aucun opérateur n'est enregistré" in text(response)
    assert not Team.objects.exists()


def test_the_admin_creates_a_team_with_its_counsellor_and_deputy(client, admin):
    OperatorFactory()
    counsellor = UserFactory(role=Role.COUNSELLOR)
    deputy = UserFactory(role=Role.COUNSELLOR)
    response = client.post(
        reverse("organisations:team_create"),
        {"name": "Nord", "counsellor": counsellor.pk, "deputy": deputy.pk},
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert (team.counsellor, team.deputy) == (counsellor, deputy)
    assert AuditEntry.objects.filter(actor=admin, action="team.create").count() == 1
    listing = text(client.get(reverse("organisations:team_admin_list")))
    assert "Nord" in listing and counsellor.full_name in listing


def test_team_leads_are_counsellors_and_the_deputy_is_someone_else():
    operator_admin = UserFactory(role=Role.ADMIN)
    OperatorFactory()
    counsellor = UserFactory(role=Role.COUNSELLOR)
    with pytest.raises(ValidationError) as refused:
        services.team_create(
            actor=operator_admin, name="Nord", counsellor=UserFactory(role=Role.SECRETARY)
        )
    assert "counsellor" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.team_create(
            actor=operator_admin, name="Nord", counsellor=counsellor, deputy=counsellor
        )
    assert "deputy" in refused.value.message_dict
    services.team_create(actor=operator_admin, name="Nord", counsellor=counsellor)
    with pytest.raises(ValidationError, match="Une équipe porte déjà ce nom"):
        services.team_create(actor=operator_admin, name="nord ", counsellor=counsellor)


def test_a_worker_attached_at_80_percent_can_open_my_time(client, admin):
    """The issue's symptom: a worker created through the screens had no team, and
    « Mon temps » answered 404."""
    team = TeamFactory()
    account = UserFactory(role=Role.SOCIAL_WORKER)
    worker_client = sign_in(client.__class__(), account)
    assert worker_client.get(reverse("billing:my_time")).status_code == 404
    response = client.post(
        reverse("organisations:social_worker_create"),
        {"user": account.pk, "team": team.pk, "fte": "0,8"},
    )
    assert response.status_code == 302
    worker = SocialWorker.objects.get(user=account)
    assert (worker.team, worker.fte) == (team, Decimal("0.80"))
    assert AuditEntry.objects.filter(actor=admin, action="social_worker.create").exists()
    assert worker_client.get(reverse("billing:my_time")).status_code == 200


def test_only_an_unattached_social_worker_account_can_be_attached():
    actor = UserFactory(role=Role.ADMIN)
    team = TeamFactory()
    with pytest.raises(ValidationError) as refused:
        services.social_worker_create(
            actor=actor, user=UserFactory(role=Role.BILLING), team=team, fte=Decimal("1")
        )
    assert "user" in refused.value.message_dict
    worker = SocialWorkerFactory()
    with pytest.raises(ValidationError, match="déjà rattachée"):
        services.social_worker_create(actor=actor, user=worker.user, team=team, fte=Decimal("1"))


def test_a_worker_with_open_cases_changes_team_by_handing_them_to_a_colleague(client, admin):
    worker = SocialWorkerFactory()
    colleague = SocialWorkerFactory(team=worker.team)
    other_team = TeamFactory(operator=worker.team.operator)
    case = open_case_for(worker)
    url = reverse("organisations:social_worker_update", args=[worker.pk])
    response = client.post(url, {"team": other_team.pk, "fte": "1"})
    assert "choisissez la collègue de son équipe actuelle" in text(response)
    worker.refresh_from_db()
    assert worker.team != other_team
    # Her working time still changes without a hand-over.
    assert client.post(url, {"team": worker.team.pk, "fte": "0,5"}).status_code == 302
    worker.refresh_from_db()
    assert worker.fte == Decimal("0.50")
    # Named, the colleague takes her open cases through the caseload transfer.
    data = {"team": other_team.pk, "fte": "0,5", "hand_over_to": colleague.pk}
    assert client.post(url, data).status_code == 302
    worker.refresh_from_db()
    case.refresh_from_db()
    assert (worker.team, case.worker) == (other_team, colleague)
    assert AuditEntry.objects.filter(actor=admin, action="case.transfer").exists()


def test_a_worker_record_keeps_her_start_and_end_dates(client, admin):
    worker = SocialWorkerFactory()
    url = reverse("organisations:social_worker_update", args=[worker.pk])
    wrong = {
        "team": worker.team.pk,
        "fte": "0,8",
        "starts_on": "2026-03-01",
        "ends_on": "2026-02-01",
    }
    assert "Le départ ne peut pas précéder l'arrivée" in text(client.post(url, wrong))
    data = {**wrong, "ends_on": "2026-12-31"}
    assert client.post(url, data).status_code == 302
    worker.refresh_from_db()
    assert (worker.starts_on, worker.ends_on) == (dt.date(2026, 3, 1), dt.date(2026, 12, 31))


# Closing a team, and the employers it serves ------------------------------------------------


def test_the_team_form_sets_the_employers_it_serves_and_the_queue_follows(client, admin):
    team = TeamFactory()
    other = TeamFactory(operator=team.operator)
    moved = EmployerFactory(operator=team.operator, team=other)
    kept = EmployerFactory(operator=team.operator, team=team)
    url = reverse("organisations:team_update", args=[team.pk])
    page = text(client.get(url))
    assert f"{moved.name} (équipe {other.name})" in page
    data = {"name": team.name, "counsellor": team.counsellor.pk, "employers": [moved.pk]}
    assert client.post(url, data).status_code == 302
    moved.refresh_from_db()
    kept.refresh_from_db()
    assert (moved.team, kept.team) == (team, None)
    assert moved.version == 2
    assert AuditEntry.objects.filter(actor=admin, action="employer.update").count() == 2
    assert moved.name in text(client.get(reverse("organisations:team_admin_list")))


def test_a_team_closes_only_once_emptied_and_then_leaves_the_choices(client, admin):
    worker = SocialWorkerFactory()
    team = worker.team
    url = reverse("organisations:team_close", args=[team.pk])
    page = text(client.get(url))
    assert "encore 1 ASS en activité" in page
    response = client.post(url, {"closed_on": "2026-12-01", "confirm": "on"})
    assert "encore 1 ASS en activité" in text(response)
    team.refresh_from_db()
    assert team.closed_on is None
    actor = admin
    services.social_worker_update(
        actor=actor,
        worker=worker,
        team=worker.team,
        fte=Decimal("1"),
        ends_on=dt.date(2026, 11, 30),
    )
    assert client.post(url, {"closed_on": "2026-12-01", "confirm": "on"}).status_code == 302
    team.refresh_from_db()
    assert team.closed_on == dt.date(2026, 12, 1)
    assert AuditEntry.objects.filter(actor=admin, action="team.close").exists()
    # Gone from the choices, and no longer editable.
    choices = text(client.get(reverse("organisations:social_worker_create")))
    assert f">{team.name}</option>" not in choices
    assert client.get(reverse("organisations:team_update", args=[team.pk])).status_code == 404


def test_a_team_with_open_cases_or_employers_does_not_close():
    worker = SocialWorkerFactory(ends_on=dt.date(2026, 1, 31))
    open_case_for(worker)
    with pytest.raises(ValidationError, match="dossier\\(s\\) en cours"):
        services.team_close(actor=None, team=worker.team, on=dt.date(2026, 12, 1))
    team = TeamFactory()
    EmployerFactory(team=team)
    with pytest.raises(ValidationError, match="sert encore 1 employeur"):
        services.team_close(actor=None, team=team, on=dt.date(2026, 12, 1))


# The counsellor manages her own team's workers -------------------------------------------


def test_a_counsellor_edits_her_teams_workers_only(client):
    worker = SocialWorkerFactory()
    stranger = SocialWorkerFactory()
    sign_in(client, worker.team.counsellor)
    url = reverse("organisations:social_worker_update", args=[worker.pk])
    data = {"team": worker.team.pk, "fte": "0,8"}
    assert client.post(url, data).status_code == 302
    worker.refresh_from_db()
    assert worker.fte == Decimal("0.80")
    other = reverse("organisations:social_worker_update", args=[stranger.pk])
    assert client.get(other).status_code == 404
    with pytest.raises(ValidationError, match="Vous n'encadrez pas cette équipe"):
        services.social_worker_update(
            actor=worker.team.counsellor, worker=stranger, team=stranger.team, fte=Decimal("1")
        )


def test_the_demo_operator_has_a_valid_siret_so_the_national_synthesis_exports():
    assert siret_is_valid(operator_siret())
    call_command("demo", stdout=StringIO())
    operator = Operator.objects.get()
    assert (operator.siret, operator.bic) == (operator_siret(), "AGRIFRPP")
    out = StringIO()
    call_command("export_aggregates", year=2025, stdout=out)
    assert operator_siret()[:9] in out.getvalue()


# What invoices carry: the billing officer's part of the operator ---------------------------

IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture
def billing_officer(client):
    user = UserFactory(role=Role.BILLING)
    sign_in(client, user)
    return user


def test_the_billing_officer_records_checked_bank_details(client, billing_officer):
    OperatorFactory()
    url = reverse("organisations:operator_billing")
    wrong = {"iban": IBAN[:-1] + "8", "bic": "AGRIFRP", "payment_terms": "À 30 jours"}
    page = text(client.post(url, wrong))
    assert "Cet IBAN n'est pas valide" in page and "Ce BIC n'est pas valide" in page
    assert Operator.objects.get().iban == ""
    response = client.post(
        url,
        {
            "iban": IBAN,
            "bic": "agrifrpp",
            "payment_terms": "À 30 jours à réception",
            "legal_form": "public_body",
            "public_accountant": "Paierie départementale de l'Aube",
        },
    )
    assert response.status_code == 302
    operator = Operator.objects.get()
    assert (operator.iban, operator.bic) == ("FR7630006000011234567890189", "AGRIFRPP")
    assert operator.public_accountant == "Paierie départementale de l'Aube"
    assert AuditEntry.objects.filter(
        actor=billing_officer, action="operator.billing_update"
    ).exists()


def test_bank_details_wait_for_the_operator(client, billing_officer):
    response = client.get(reverse("organisations:operator_billing"))
    assert response.url == reverse("billing:invoice_list")
    with pytest.raises(ValidationError, match="Aucun opérateur"):
        services.operator_billing_save(actor=billing_officer, iban=IBAN)


def test_an_issued_invoice_keeps_the_bank_details_of_its_day():
    from polesocial.billing import outputs
    from polesocial.billing import services as billing
    from tests.billing.helpers import setting, time
    from tests.billing.test_outputs import pdf_text

    worker, employer = setting()
    services.operator_billing_save(
        actor=None,
        iban=IBAN,
        bic="AGRIFRPP",
        legal_mentions="Pénalités de retard : 3 fois le taux légal.",
    )
    time(worker, employer, dt.date(2026, 2, 3), 120)
    (draft,) = billing.invoice_run(actor=None, year=2026, quarter=1)
    invoice = billing.invoice_issue(actor=None, invoice=draft, issued_on=dt.date(2026, 4, 2))
    services.operator_billing_save(actor=None, iban="", bic="")
    pdf = pdf_text(outputs.invoice_pdf(invoice))
    assert "FR7630006000011234567890189" in pdf and "AGRIFRPP" in pdf
    assert "Pénalités de retard" in pdf
