"""Rows for the annual reports (reports/urls.py).

Written from the access rules of issue 8: a worker reads her own report, the counsellor
her team's (and her workers' and her employers'), an HR contact his employer's (under
disclosure control), the national adviser the operator's; every other role may not use
reports at all (403). Someone else's report answers 404 (tests/reports/test_views.py).
The worker and the counsellor write the analysis of their reports; the HR contact and the
national adviser do not (404). An export is read by whoever asked for it.
POSTs are sent with an empty body: back to the report with a French message (302).
"""

from tests.url_rows import R, only

READERS = (R.SOCIAL_WORKER, R.COUNSELLOR, R.EMPLOYER_CONTACT, R.NATIONAL_ADVISER)
YEAR = 2025

ROWS = {
    "reports:index": ("GET", None, only(*READERS)),
    "reports:report": ("GET", "her_report", only(*READERS)),
    "reports:download": ("GET", "her_report_csv", only(*READERS)),
    "reports:export": ("POST", "her_report", only(*READERS, ok=302)),
    "reports:narrative_save": (
        "POST",
        "her_report",
        only(R.SOCIAL_WORKER, R.COUNSELLOR, ok=302)
        | {R.EMPLOYER_CONTACT: 404, R.NATIONAL_ADVISER: 404},
    ),
    # The synthesis of operators' aggregates: the national adviser; an empty upload answers
    # the form with its French error.
    "reports:federation": ("POST", None, only(R.NATIONAL_ADVISER)),
    "reports:export_status": ("GET", "her_export", only(*READERS)),
    "reports:export_download": ("GET", "her_export", only(*READERS)),
}


def _her_scope(user) -> tuple[str, int]:
    """The report the signed-in user may read (someone's worker report for other roles)."""
    from tests.factories import EmployerFactory, SocialWorkerFactory, TeamFactory

    role = getattr(user, "role", None)
    if role == R.SOCIAL_WORKER:
        return "worker", SocialWorkerFactory(user=user).pk
    if role == R.COUNSELLOR:
        return "team", TeamFactory(counsellor=user).pk
    if role == R.EMPLOYER_CONTACT:
        employer = EmployerFactory()
        employer.accounts.add(user)
        return "employer", employer.pk
    if role == R.NATIONAL_ADVISER:
        return "operator", 0
    return "worker", SocialWorkerFactory().pk


def _her_report(user):
    kind, pk = _her_scope(user)
    return {"kind": kind, "pk": pk, "year": YEAR}


def _her_report_csv(user):
    return {**_her_report(user), "fmt": "csv"}


def _her_export(user):
    """A finished export asked for by the signed-in user (by someone else when signed out)."""
    from polesocial.reports.models import ReportExport
    from tests.factories import UserFactory

    kind, pk = _her_scope(user)
    job = ReportExport.objects.create(
        requested_by=user or UserFactory(),
        scope_kind=kind,
        scope_id=pk,
        year=YEAR,
        format="ods",
        status="done",
        progress=100,
        content=b"PK",
        filename="bilan.ods",
    )
    return {"pk": job.pk}


BUILDERS = {
    "her_report": _her_report,
    "her_report_csv": _her_report_csv,
    "her_export": _her_export,
}
