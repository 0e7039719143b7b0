"""Aid amounts in the annual report: exact for the service, under the dominance rule for
an employer's report."""

from decimal import Decimal

import pytest

from polesocial.aid import services
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import build_report
from tests.aid.helpers import DAY, aid_case, member, on_agenda, session_with
from tests.factories import EmployerFactory, SocialWorkerFactory

pytestmark = pytest.mark.django_db


def granted(worker, employer, officer, session, amount):
    request = on_agenda(worker, session, case=aid_case(worker, employer=employer, headcount=None),
                        amount_requested=Decimal(amount))  # fmt: skip
    services.aid_decision_record(
        actor=officer, request=request, outcome="granted", amount=Decimal(amount), decided_on=DAY
    )


def test_an_employers_report_hides_an_amount_one_employee_dominates():
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    officer = member()
    session = session_with([officer])
    granted(worker, employer, officer, session, "1200")  # one file: one contributor
    exact = build_report(2026, resolve_scope("employer", employer.pk), controlled=False)
    assert exact["aid"]["granted"]["total"] == "1200.00"
    assert exact["aid"]["granted"]["by_funder"] == {"operator": "1200.00"}
    controlled = build_report(2026, resolve_scope("employer", employer.pk), controlled=True)
    assert controlled["aid"]["granted"]["by_funder"] == {"operator": None}
    assert controlled["aid"]["granted"]["total"] is None
    assert "aid.granted.by_funder.operator" in controlled["suppressed"]
    assert "1200" not in str(controlled["aid"])


def test_the_report_page_and_its_exports_show_aid_amounts_as_published():
    from polesocial.reports import exports, presentation

    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    officer = member()
    session = session_with([officer])
    granted(worker, employer, officer, session, "1200")
    scope = resolve_scope("employer", employer.pk)
    exact = build_report(2026, scope, controlled=False)
    table = {t.key: t for t in presentation.tables(exact)}["aid.granted"]
    assert table.title == "Aides matérielles accordées par financeur"
    assert table.rows[0][2] == Decimal("1200.00") and table.total == Decimal("1200.00")
    assert table.unit == "€"
    # Controlled: the dominated amount reads « s » on the page and in every export.
    controlled = build_report(2026, scope, controlled=True)
    table = {t.key: t for t in presentation.tables(controlled)}["aid.granted"]
    assert table.rows[0][2] is None and table.total is None
    csv = exports.to_csv(controlled).decode()
    assert "Aides matérielles accordées" in csv or "aid.granted" in csv
    assert "1200" not in csv
