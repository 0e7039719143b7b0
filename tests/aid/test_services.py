"""The lifecycle of an aid request, its consent rule, and the money to the cent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from polesocial.aid import budget as money
from polesocial.aid import services
from polesocial.aid.enums import AidStatus
from polesocial.aid.models import AidRequest
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.aid.helpers import DAY, aid_case, draft, member, on_agenda, scheme, session_with
from tests.factories import SocialWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return SocialWorkerFactory()


def test_reste_a_vivre_is_computed_to_the_cent(worker):
    request = draft(worker)
    household = money.household_budget(request.budget, adults=1, children=2)
    assert household.incomes == Decimal("1591.99")
    assert household.expenses == Decimal("962.45")
    assert household.remainder == Decimal("629.54")
    assert household.per_person_per_day == Decimal("6.99")  # 629.54 / 3 / 30 = 6.9948…


def test_the_household_budget_and_justification_are_encrypted_at_rest(worker):
    from django.db import connection

    request = draft(worker)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT justification, budget_data, committee_summary FROM aid_aidrequest WHERE id=%s",
            [request.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert "loyer" not in stored.lower() and "1450" not in stored


def test_a_french_amount_is_read_to_the_cent_and_a_bad_one_refused_in_french():
    assert money.to_cents("1 234,565") == Decimal("1234.57")
    with pytest.raises(ValidationError, match="Montant invalide"):
        money.to_cents("douze")


def test_a_request_goes_from_draft_to_paid_and_every_step_is_journaled(worker):
    officer = member()
    session = session_with([officer])
    request = on_agenda(worker, session)
    assert request.committee_number == "2026-001"
    services.aid_decision_record(
        actor=officer, request=request, outcome="partly_granted", amount=Decimal("450.00"),
        motive="Aide plafonnée au tiers de la dette.", decided_on=DAY,
    )  # fmt: skip
    request.refresh_from_db()
    assert request.status == AidStatus.DECIDED and request.amount_granted == Decimal("450.00")
    services.aid_payment_record(
        actor=worker.user, request=request, paid_on=DAY, amount=Decimal("200.00"),
        mode="transfer", payee="third_party", payee_name="Office public de l'habitat",
    )  # fmt: skip
    request.refresh_from_db()
    assert request.status == AidStatus.DECIDED  # 250.00 still to pay
    services.aid_payment_record(
        actor=worker.user, request=request, paid_on=DAY, amount=Decimal("250.00"),
        mode="transfer", payee="employee",
    )  # fmt: skip
    request.refresh_from_db()
    assert request.status == AidStatus.PAID
    services.aid_request_close(actor=worker.user, request=request)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        AuditAction.AID_REQUEST_CREATE,
        AuditAction.AID_REQUEST_SUBMIT,
        AuditAction.AID_REQUEST_SCHEDULE,
        AuditAction.AID_REQUEST_DECIDE,
        AuditAction.AID_REQUEST_PAY,
        AuditAction.AID_REQUEST_CLOSE,
    } <= actions


def test_committee_numbers_follow_each_other_within_the_year(worker):
    first, second = draft(worker), draft(worker)
    services.aid_request_submit(actor=worker.user, request=first, on=DAY)
    services.aid_request_submit(actor=worker.user, request=second, on=DAY)
    second.refresh_from_db()
    assert second.committee_number == "2026-002"


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            lambda w, r: services.aid_request_close(actor=w.user, request=r),
            "impossible de la clore",
        ),
        (
            lambda w, r: services.aid_payment_record(
                actor=w.user, request=r, paid_on=DAY, amount=Decimal("1"), mode="cheque",
                payee="employee",
            ),
            "impossible d'enregistrer un versement",
        ),
        (
            lambda w, r: services.aid_request_submit(actor=w.user, request=r),
            "impossible de la déposer",
        ),
    ],
)  # fmt: skip
def test_invalid_transitions_are_refused_in_french(worker, action, message):
    session = session_with([member()])
    request = on_agenda(worker, session)
    with pytest.raises(ValidationError, match=message):
        action(worker, request)
    request.refresh_from_db()
    assert request.status == AidStatus.ON_AGENDA


def test_a_draft_cannot_be_decided(worker):
    request = draft(worker)
    counsellor = UserFactory(role=Role.COUNSELLOR)
    with pytest.raises(ValidationError, match="« brouillon »"):
        services.aid_decision_record(
            actor=counsellor, request=request, outcome="refused", decided_on=DAY
        )


def test_a_file_goes_before_the_committee_only_if_consent_covers_it(worker):
    request = draft(worker, case=aid_case(worker, consent=False))
    with pytest.raises(ValidationError, match="ne couvre pas"):
        services.aid_request_submit(actor=worker.user, request=request)
    assert AidRequest.objects.get(pk=request.pk).status == AidStatus.DRAFT


def test_a_summary_naming_the_employee_is_refused_until_confirmed(worker):
    case = aid_case(worker)
    with pytest.raises(ValidationError, match="semble contenir"):
        draft(worker, case=case, committee_summary="Mme Éloïse Dupont-Lefèvre doit trois mois.")


def test_a_postponed_file_goes_back_to_submitted_for_a_later_session(worker):
    officer = member()
    request = on_agenda(worker, session_with([officer]))
    services.aid_decision_record(
        actor=officer, request=request, outcome="postponed", decided_on=DAY
    )
    request.refresh_from_db()
    assert request.status == AidStatus.SUBMITTED and request.session is None


def test_a_member_not_convened_cannot_decide(worker):
    request = on_agenda(worker, session_with([member()]))
    with pytest.raises(ValidationError, match="membres de la séance"):
        services.aid_decision_record(
            actor=member(), request=request, outcome="refused", decided_on=DAY
        )


def test_an_urgent_file_is_decided_by_written_procedure_between_sessions(worker):
    request = draft(worker, urgent=True)
    services.aid_request_submit(actor=worker.user, request=request, on=DAY)
    counsellor = UserFactory(role=Role.COUNSELLOR)
    decision = services.aid_decision_record(
        actor=counsellor, request=request, outcome="granted", amount=Decimal("600.00"),
        decided_on=DAY, written_procedure=True,
    )  # fmt: skip
    assert decision.written_procedure and decision.session is None


def test_written_procedure_is_for_urgent_files_only(worker):
    request = draft(worker)
    services.aid_request_submit(actor=worker.user, request=request, on=DAY)
    with pytest.raises(ValidationError, match="urgentes"):
        services.aid_decision_record(
            actor=UserFactory(role=Role.COUNSELLOR), request=request, outcome="refused",
            decided_on=DAY, written_procedure=True,
        )  # fmt: skip


def test_budget_figures_to_the_cent_and_a_grant_beyond_it_needs_confirmation(worker):
    officer = member()
    session = session_with([officer])
    billing = UserFactory(role=Role.BILLING)
    budget = services.budget_set(
        actor=billing, funder="operator", year=2026, allocated=Decimal("1000.00")
    )
    first = on_agenda(worker, session, amount_requested=Decimal("600.10"))
    services.aid_decision_record(
        actor=officer, request=first, outcome="granted", amount=Decimal("600.10"), decided_on=DAY
    )
    first.refresh_from_db()
    services.aid_payment_record(
        actor=worker.user, request=first, paid_on=DAY, amount=Decimal("300.05"),
        mode="cheque", payee="employee",
    )  # fmt: skip
    figures = money.budget_figures(budget)
    assert (figures.committed, figures.paid, figures.remaining) == (
        Decimal("600.10"), Decimal("300.05"), Decimal("399.90"),
    )  # fmt: skip
    second = on_agenda(worker, session, amount_requested=Decimal("400.00"))
    with pytest.raises(ValidationError, match="399,90 € restants"):
        services.aid_decision_record(
            actor=officer, request=second, outcome="granted", amount=Decimal("400.00"),
            decided_on=DAY,
        )  # fmt: skip
    decision = services.aid_decision_record(
        actor=officer, request=second, outcome="granted", amount=Decimal("400.00"),
        decided_on=DAY, confirm_beyond_budget=True,
    )  # fmt: skip
    assert decision.beyond_budget
    assert money.budget_figures(budget).remaining == Decimal("-0.10")


def test_a_payment_cannot_exceed_what_was_granted(worker):
    officer = member()
    request = on_agenda(worker, session_with([officer]))
    services.aid_decision_record(
        actor=officer, request=request, outcome="granted", amount=Decimal("600.00"), decided_on=DAY
    )
    with pytest.raises(ValidationError, match="reste à verser"):
        services.aid_payment_record(
            actor=worker.user, request=request, paid_on=DAY, amount=Decimal("600.01"),
            mode="cheque", payee="employee",
        )  # fmt: skip


def test_a_loan_schedule_sums_to_the_granted_amount_to_the_cent(worker):
    schedule = services.loan_schedule(Decimal("1000.00"), 3, dt.date(2026, 11, 30))
    assert [amount for _, amount in schedule] == [
        Decimal("333.33"), Decimal("333.33"), Decimal("333.34"),
    ]  # fmt: skip
    assert [day for day, _ in schedule] == [
        dt.date(2026, 11, 28), dt.date(2026, 12, 28), dt.date(2027, 1, 28),
    ]  # fmt: skip


def test_a_decision_of_a_loan_then_its_schedule(worker):
    officer = member()
    loan = scheme(name="Prêt social", kind="loan")
    request = on_agenda(worker, session_with([officer]), scheme=loan)
    services.aid_decision_record(
        actor=officer, request=request, outcome="granted", amount=Decimal("600.00"), decided_on=DAY
    )
    rows = services.loan_schedule_record(
        actor=worker.user, request=request, count=4, first_due_on=dt.date(2026, 5, 5)
    )
    assert sum(row.amount for row in rows) == Decimal("600.00")
