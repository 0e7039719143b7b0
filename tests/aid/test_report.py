"""Aid amounts in the annual report: exact for the service, under the dominance rule for
an employer's report."""

from decimal import Decimal

import pytest
from django.urls import reverse

from polesocial.aid import services
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import build_report
from polesocial.users.enums import Role
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


def test_aid_by_scheme_and_by_employer_are_published_like_the_funder_table(client_as):
    """Page, CSV, ODS and PDF: the scheme's and the employer's tables, named in French,
    with « s » where the dominance rule (and its secondary suppression) hides an amount."""
    from polesocial.reports import exports, presentation

    client = client_as(Role.EMPLOYER_CONTACT)
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team, name="Commune de Ligny")
    employer.accounts.add(client.user)
    officer = member()
    granted(worker, employer, officer, session_with([officer]), "1200")
    scope = resolve_scope("employer", employer.pk)
    exact = {t.key: t for t in presentation.tables(build_report(2026, scope, controlled=False))}
    by_scheme = exact["aid.granted.by_scheme"]
    assert by_scheme.title == "Aides matérielles accordées par dispositif"
    assert by_scheme.rows[0][1] == "Secours exceptionnel"
    assert by_scheme.rows[0][2] == Decimal("1200.00")
    assert exact["aid.requested.by_employer"].rows[0][1:3] == (
        "Commune de Ligny",
        Decimal("1200.00"),
    )
    controlled = build_report(2026, scope, controlled=True)
    tables = {t.key: t for t in presentation.tables(controlled)}
    for key in ("aid.granted.by_scheme", "aid.granted.by_employer", "aid.requested.by_scheme"):
        assert tables[key].rows[0][2] is None and tables[key].total is None
    # The HR contact's own page (the controlled report with its offer of pooled years).
    page = client.get(reverse("reports:report", args=["employer", employer.pk, 2026]))
    text = page.content.decode()
    assert "Aides matérielles accordées par dispositif" in text
    assert "Aides matérielles demandées par employeur" in text
    csv = exports.to_csv(controlled).decode()
    assert "aid.granted.by_scheme" in csv and "Secours exceptionnel" in csv
    pdf = exports.to_pdf(controlled)
    ods = exports.to_ods(controlled)
    for data in (csv.encode(), pdf, ods, page.content):
        assert b"1200" not in data and b"1 200" not in data
