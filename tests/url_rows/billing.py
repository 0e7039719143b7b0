"""Rows for time and billing: "Facturation", invoices, "Mon temps", plan against actual.

Written from the access rules (ARCHITECTURE.md §1, SCREENS.md, issue 7): the billing
officer runs, issues, cancels and records payments, and reads every invoice (hours per
employer, nothing of cases); an HR contact reads his employer's issued invoices and their
files; a social worker records and reads her own time; the counsellor reads plan against
actual for the teams she leads and validates FTE plans. Everyone else: 403. Builders make
the object each column would have in scope: an invoice of the contact's own employer, the
worker's own entry, a worker of a team the counsellor leads. POSTs carry an empty body.
"""

from tests.url_rows import R, only

BILLING = (R.BILLING,)
INVOICE_READERS = (R.BILLING, R.EMPLOYER_CONTACT)

ROWS = {
    "billing:invoice_list": ("GET", None, only(*BILLING)),
    "billing:invoice_run": ("POST", None, only(*BILLING, ok=302)),
    # The final invoice of an ended convention: refused without a period, back to the list.
    "billing:invoice_run_final": ("POST", None, only(*BILLING, ok=302)),
    # A run's status page: read by the billing officer who asked for it (the builder makes
    # the run hers; another officer's run is absent, tested in tests/billing/test_runs.py).
    "billing:invoice_run_status": ("GET", "billing_run_own", only(*BILLING)),
    "billing:invoice_csv": ("GET", None, only(*BILLING)),
    "billing:revenue_titles_csv": ("GET", None, only(*BILLING)),
    # « Émettre tout » without a period or a checked draft: back to the list, nothing issued.
    "billing:invoice_issue_all": ("POST", None, only(*BILLING, ok=302)),
    "billing:invoice_detail": ("GET", "billing_invoice_issued", only(*INVOICE_READERS)),
    "billing:invoice_pdf": ("GET", "billing_invoice_issued", only(*INVOICE_READERS)),
    "billing:invoice_facturx": ("GET", "billing_invoice_issued", only(*INVOICE_READERS)),
    "billing:invoice_issue": ("POST", "billing_invoice_draft", only(*BILLING, ok=302)),
    "billing:invoice_cancel": ("POST", "billing_invoice_issued", only(*BILLING, ok=302)),
    "billing:invoice_pay": ("POST", "billing_invoice_issued", only(*BILLING, ok=302)),
    "billing:my_invoices": ("GET", None, only(R.EMPLOYER_CONTACT)),
    "billing:my_time": ("GET", "billing_worker_self", only(R.SOCIAL_WORKER)),
    "billing:time_delete": ("POST", "billing_time_own", only(R.SOCIAL_WORKER, ok=302)),
    "billing:fte_dashboard": ("GET", None, only(R.COUNSELLOR)),
    "billing:fte_plan_validate": ("POST", "billing_worker_led", only(R.COUNSELLOR, ok=302)),
    # API: same readers; 401 in JSON when signed out.
    "api:invoice-list": ("GET", None, only(*INVOICE_READERS, anon=401)),
    "api:invoice-detail": ("GET", "billing_invoice_issued", only(*INVOICE_READERS, anon=401)),
    # The quarter's run: the billing officer only; an empty body is a French 400.
    "api:invoice-run": ("POST", None, only(*BILLING, ok=400, anon=401)),
    "api:time-entry-list": ("GET", None, only(R.SOCIAL_WORKER, R.COUNSELLOR, anon=401)),
    "api:time-entry-detail": (
        "GET",
        "billing_time_own",
        only(R.SOCIAL_WORKER, R.COUNSELLOR, anon=401),
    ),
}


def _invoice(user, *, issue: bool):
    """A Q1 2026 invoice of an employer that is the contact's own (when he is one)."""
    import datetime as dt

    from polesocial.billing import services
    from polesocial.billing.models import TimeEntry
    from tests.factories import ConventionFactory, EmployerFactory, SocialWorkerFactory

    employer = EmployerFactory()
    if getattr(user, "role", None) == R.EMPLOYER_CONTACT:
        employer.accounts.add(user)
    ConventionFactory(employer=employer, active=True)
    worker = SocialWorkerFactory(team=employer.team)
    TimeEntry.objects.create(
        worker=worker, employer=employer, date=dt.date(2026, 2, 3), minutes=90, kind="interview"
    )
    (invoice,) = services.invoice_run(actor=None, year=2026, quarter=1, employers=[employer])
    if issue:
        invoice = services.invoice_issue(actor=None, invoice=invoice)
    return {"pk": invoice.pk}


def _worker(user):
    """The signed-in worker's record, or a worker of a team the counsellor leads."""
    from tests.factories import SocialWorkerFactory, TeamFactory

    role = getattr(user, "role", None)
    if role == R.SOCIAL_WORKER:
        return SocialWorkerFactory(user=user)
    if role == R.COUNSELLOR:
        return SocialWorkerFactory(team=TeamFactory(counsellor=user))
    return SocialWorkerFactory()


def _worker_self(user):
    if getattr(user, "role", None) == R.SOCIAL_WORKER:
        _worker(user)
    return {}


def _time_own(user):
    import datetime as dt

    from polesocial.billing.models import TimeEntry

    worker = _worker(user)
    entry = TimeEntry.objects.create(
        worker=worker, employer=None, date=dt.date(2026, 3, 2), minutes=60, kind="management"
    )
    return {"pk": entry.pk}


def _worker_led(user):
    from polesocial.organisations.models import FteShare
    from tests.factories import EmployerFactory

    worker = _worker(user)
    FteShare.objects.create(
        worker=worker, employer=EmployerFactory(team=worker.team), year=2026, share="0.5"
    )
    return {"pk": worker.pk}


def _run_own(user):
    from polesocial.billing.models import InvoiceRun
    from tests.factories import UserFactory

    run = InvoiceRun.objects.create(requested_by=user or UserFactory(), year=2026, quarter=1)
    return {"pk": run.pk}


BUILDERS = {
    "billing_run_own": _run_own,
    "billing_invoice_issued": lambda user: _invoice(user, issue=True),
    "billing_invoice_draft": lambda user: _invoice(user, issue=False),
    "billing_worker_self": _worker_self,
    "billing_time_own": _time_own,
    "billing_worker_led": _worker_led,
}
