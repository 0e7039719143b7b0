"""Building blocks of the material-aid tests: a case whose consent covers the committee,
a scheme, a committee with a member who signed his undertaking, a file on an agenda."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from polesocial.aid import services
from polesocial.aid.models import AidScheme
from polesocial.casework.models import Consent
from polesocial.organisations.models import Headcount
from polesocial.users.enums import Role
from tests.factories import EMPLOYEE_IDENTITY, EmployerFactory, UserFactory, open_case_for

DAY = dt.date(2026, 3, 10)
# The identifying values of the test employee, as they may be printed anywhere.
IDENTIFYING = (
    EMPLOYEE_IDENTITY["last_name"],
    EMPLOYEE_IDENTITY["first_name"],
    EMPLOYEE_IDENTITY["birth_date"].strftime("%d/%m/%Y"),
    EMPLOYEE_IDENTITY["birth_date"].isoformat(),
    EMPLOYEE_IDENTITY["job"],
)


def aid_case(worker, *, consent=True, headcount: int | None = 250, employer=None):
    """A case of `worker`; its consent covers the committee unless told otherwise."""
    employer = employer or EmployerFactory(team=worker.team, name="Commune de Vaubecourt")
    if headcount is not None:
        Headcount.objects.create(employer=employer, year=2026, total=headcount)
    case = open_case_for(worker, employer=employer)
    if consent:
        Consent.objects.filter(pk=case.consent_id).update(scope=["aid_committee"])
        case.consent.refresh_from_db()
    return case


def scheme(**fields) -> AidScheme:
    values = {
        "name": "Secours exceptionnel",
        "funder": "operator",
        "kind": "exceptional_help",
        "ceiling": Decimal("1500.00"),
    }
    return AidScheme.objects.create(**(values | fields))


def draft(worker, case=None, **fields):
    case = case or aid_case(worker)
    values = {
        "actor": worker.user,
        "case": case,
        "scheme": fields.pop("scheme", None) or scheme(),
        "amount_requested": Decimal("600.00"),
        "justification": "Impayés de loyer après un arrêt maladie de l'agente.",
        "incomes": [("Salaire", "1450.00"), ("Allocations familiales", "141.99")],
        "expenses": [("Loyer", "620.00"), ("Énergie", "132.45"), ("Crédit", "210.00")],
        "adults": 1,
        "children": 2,
        "committee_summary": "Parent isolé, deux enfants, dette de loyer de trois mois.",
    }
    return services.aid_request_create(**(values | fields))


def member(**fields):
    """A committee member who signed his confidentiality undertaking."""
    user = UserFactory(role=Role.COMMITTEE_MEMBER, **fields)
    services.undertaking_sign(actor=user)
    return user


def session_with(members, *, held_on=DAY, counsellor=None):
    counsellor = counsellor or UserFactory(role=Role.COUNSELLOR)
    committee = services.committee_create(
        actor=counsellor, name="Commission d'aides de l'opérateur", scope="operator",
        members=members,
    )  # fmt: skip
    return services.session_create(actor=counsellor, committee=committee, held_on=held_on)


def on_agenda(worker, session, **fields):
    """A file submitted and placed on `session`'s agenda."""
    request = draft(worker, **fields)
    services.aid_request_submit(actor=worker.user, request=request, on=DAY)
    counsellor = UserFactory(role=Role.COUNSELLOR)
    return services.aid_request_schedule(actor=counsellor, request=request, session=session)


def full_aid_history(worker, case):
    """On `case` (open): a loan requested, granted in session, paid, with its schedule —
    a row in every aid table that refers to the employee."""
    from polesocial.casework.models import Consent

    Consent.objects.filter(pk=case.consent_id).update(scope=["aid_committee"])
    case.consent.refresh_from_db()
    officer = member()
    request = on_agenda(worker, session_with([officer]), case=case, scheme=scheme(kind="loan"))
    services.aid_decision_record(
        actor=officer, request=request, outcome="granted", amount=request.amount_requested,
        motive="Prêt sans intérêt.", decided_on=DAY,
    )  # fmt: skip
    services.aid_payment_record(
        actor=worker.user, request=request, paid_on=DAY, amount=request.amount_requested,
        mode="transfer", payee="third_party", payee_name="Office public de l'habitat",
    )  # fmt: skip
    services.loan_schedule_record(
        actor=worker.user, request=request, count=3, first_due_on=dt.date(2026, 5, 5)
    )
    return request
