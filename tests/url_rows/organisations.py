"""Rows for the organisations register (organisations/urls).

The operator's staff read the register; the counsellor and the billing manager manage it.
A social worker sees her team's employers only: the employer built here is another team's.
Teams, the FTE plan and replacements are the counsellor's; an employer contact has her
own page.
"""

from tests.url_rows import R, only

MANAGERS = (R.COUNSELLOR, R.BILLING)

ROWS = {
    "organisations:employer_list": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING),
    ),
    "organisations:employer_create": ("GET", None, only(*MANAGERS)),
    "organisations:employer_detail": (
        "GET",
        "employer",
        only(R.COUNSELLOR, R.SECRETARY, R.BILLING) | {R.SOCIAL_WORKER: 404},
    ),
    "organisations:employer_update": ("GET", "employer", only(*MANAGERS)),
    "organisations:headcount_set": ("POST", "employer", only(*MANAGERS, ok=302)),
    "organisations:employer_import": ("GET", None, only(*MANAGERS)),
    "organisations:headcount_import": ("GET", None, only(*MANAGERS)),
    "organisations:convention_create": ("GET", "employer_pk", only(*MANAGERS)),
    "organisations:convention_detail": (
        "GET",
        "convention",
        only(*MANAGERS) | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404},
    ),
    "organisations:convention_update": ("GET", "convention", only(*MANAGERS)),
    "organisations:convention_sign": ("POST", "convention", only(*MANAGERS, ok=302)),
    "organisations:convention_activate": ("POST", "convention", only(*MANAGERS, ok=302)),
    "organisations:convention_terminate": ("POST", "convention", only(*MANAGERS, ok=302)),
    # No signed document uploaded: absent.
    "organisations:convention_document": ("GET", "convention", only(*MANAGERS, ok=404)),
    "organisations:convention_generate": ("GET", "convention_pdf", only(*MANAGERS)),
    "organisations:convention_scan": ("POST", "convention", only(*MANAGERS, ok=302)),
    "organisations:amendment_create": ("GET", "convention", only(*MANAGERS)),
    # No signed amendment uploaded: absent.
    "organisations:amendment_document": ("GET", "amendment", only(*MANAGERS, ok=404)),
    "organisations:team_list": ("GET", None, only(R.COUNSELLOR)),
    "organisations:fte_plan": ("GET", None, only(R.COUNSELLOR)),
    # No worker given: absent.
    "organisations:fte_share_set": ("POST", None, only(R.COUNSELLOR, ok=404)),
    "organisations:replacement_list": ("GET", None, only(R.COUNSELLOR)),
    "organisations:my_employer": ("GET", None, only(R.EMPLOYER_CONTACT)),
    # His employer's signed convention: the HR contact downloads it.
    "organisations:my_convention_document": (
        "GET",
        "his_signed_convention",
        only(R.EMPLOYER_CONTACT),
    ),
    # The administrator sets up the service: operator, teams, workers' records.
    "organisations:operator_edit": ("GET", None, only(R.ADMIN)),
    "organisations:team_admin_list": ("GET", None, only(R.ADMIN)),
    # No operator recorded here: the billing officer is sent back to the invoices.
    "organisations:operator_billing": ("GET", None, only(R.BILLING, ok=302)),
    "organisations:team_create": ("GET", None, only(R.ADMIN)),
    "organisations:team_update": ("GET", "admin_team", only(R.ADMIN)),
    "organisations:social_worker_create": ("GET", None, only(R.ADMIN)),
    "organisations:team_close": ("GET", "admin_team", only(R.ADMIN)),
    # Another team's worker: the counsellor edits those of the teams she leads only.
    "organisations:social_worker_update": (
        "GET",
        "admin_worker",
        only(R.ADMIN) | {R.COUNSELLOR: 404},
    ),
    # The administrator names any team's interim, a counsellor her own team's.
    "organisations:interim_list": ("GET", None, only(R.ADMIN, R.COUNSELLOR)),
    # The operator's labels of the reference lists: the administrator's.
    "organisations:label_list": ("GET", None, only(R.ADMIN)),
}


def _employer(user):
    from tests.factories import EmployerFactory

    return {"pk": EmployerFactory().pk}


def _employer_pk(user):
    from tests.factories import EmployerFactory

    return {"employer_pk": EmployerFactory().pk}


def _convention(user):
    from tests.factories import ConventionFactory

    return {"pk": ConventionFactory().pk}


def _his_signed_convention(user):
    """A signed convention, of the signed-in HR contact's employer when he is one."""
    from django.core.files.base import ContentFile

    from tests.factories import ConventionFactory

    convention = ConventionFactory(active=True)
    convention.signed_document.save("convention.pdf", ContentFile(b"%PDF-1.4 convention"))
    if user is not None and user.role == R.EMPLOYER_CONTACT:
        convention.employer.accounts.add(user)
    return {"pk": convention.pk}


def _convention_pdf(user):
    from tests.factories import ConventionFactory

    return {"pk": ConventionFactory().pk, "fmt": "pdf"}


def _amendment(user):
    import datetime as dt

    from tests.factories import ConventionFactory

    convention = ConventionFactory(active=True)
    amendment = convention.amendments.create(
        number=1,
        signed_on=dt.date(2026, 6, 1),
        effective_from=dt.date(2026, 7, 1),
        hourly_rate="61.37",
        reason="Revalorisation",
    )
    return {"pk": amendment.pk}


def _admin_team(user):
    from tests.factories import TeamFactory

    return {"pk": TeamFactory().pk}


def _admin_worker(user):
    """Another person's record: a social worker of some team."""
    from tests.factories import SocialWorkerFactory

    return {"pk": SocialWorkerFactory().pk}


# Also used by the organisations API's rows (organisations_api.py).
BUILDERS = {
    "employer": _employer,
    "employer_pk": _employer_pk,
    "convention": _convention,
    "his_signed_convention": _his_signed_convention,
    "convention_pdf": _convention_pdf,
    "amendment": _amendment,
    "admin_team": _admin_team,
    "admin_worker": _admin_worker,
}
