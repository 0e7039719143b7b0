"""Rows for the organisations API (organisations/api.py).

As the screens, plus employer contacts, who read their own employer and its conventions and
headcounts (`visible_by`); the objects built here belong to no one, so a contact, or a
worker of another team, finds them absent. Signed out, the API answers 401 in JSON. The
builders "employer" and "convention" are organisations.py's.
"""

from tests.url_rows import R, only

READERS = (R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING)
MANAGERS = (R.COUNSELLOR, R.BILLING)

ROWS = {
    "api:employer-list": ("GET", None, only(*READERS, R.EMPLOYER_CONTACT, anon=401)),
    "api:employer-detail": (
        "GET",
        "employer",
        only(R.COUNSELLOR, R.SECRETARY, R.BILLING, anon=401)
        | {R.SOCIAL_WORKER: 404, R.EMPLOYER_CONTACT: 404},
    ),
    # The secretariat lists headcounts and conventions but sees none (scope table).
    "api:headcount-list": ("GET", None, only(*READERS, R.EMPLOYER_CONTACT, anon=401)),
    "api:headcount-detail": (
        "GET",
        "headcount",
        only(*MANAGERS, anon=401)
        | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404, R.EMPLOYER_CONTACT: 404},
    ),
    "api:convention-list": ("GET", None, only(*READERS, R.EMPLOYER_CONTACT, anon=401)),
    "api:convention-detail": (
        "GET",
        "convention",
        only(*MANAGERS, anon=401)
        | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404, R.EMPLOYER_CONTACT: 404},
    ),
    # Transitions: managers only. With no body, signing and terminating lack their date,
    # and a draft cannot be activated: 400.
    "api:convention-sign": ("POST", "convention", only(*MANAGERS, ok=400, anon=401)),
    "api:convention-activate": ("POST", "convention", only(*MANAGERS, ok=400, anon=401)),
    "api:convention-terminate": ("POST", "convention", only(*MANAGERS, ok=400, anon=401)),
    # Amendments: read like the convention, recorded by managers (a draft: 400).
    "api:convention-amendments": (
        "GET",
        "convention",
        only(*MANAGERS, anon=401)
        | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404, R.EMPLOYER_CONTACT: 404},
    ),
    "api:convention-amend": ("POST", "convention", only(*MANAGERS, ok=400, anon=401)),
    # Teams and FTE shares: the operator's staff, not employer contacts.
    "api:team-list": ("GET", None, only(*READERS, anon=401)),
    "api:team-detail": ("GET", "team", only(*READERS, anon=401)),
    "api:fte-share-list": ("GET", None, only(*READERS, anon=401)),
    # A worker reads her own shares only; the secretariat none.
    "api:fte-share-detail": (
        "GET",
        "fte_share",
        only(*MANAGERS, anon=401) | {R.SOCIAL_WORKER: 404, R.SECRETARY: 404},
    ),
}


def _headcount(user):
    from polesocial.organisations.models import Headcount
    from tests.factories import EmployerFactory

    return {"pk": Headcount.objects.create(employer=EmployerFactory(), year=2025, total=9).pk}


def _team(user):
    from tests.factories import TeamFactory

    return {"pk": TeamFactory().pk}


def _fte_share(user):
    from polesocial.organisations.models import FteShare
    from tests.factories import EmployerFactory, SocialWorkerFactory

    share = FteShare.objects.create(
        worker=SocialWorkerFactory(), employer=EmployerFactory(), year=2026, share="0.5"
    )
    return {"pk": share.pk}


BUILDERS = {"headcount": _headcount, "team": _team, "fte_share": _fte_share}
