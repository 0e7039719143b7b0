"""Rows for material aid: the « Aides » tab of a case, the catalogue, budgets, committee.

From ARCHITECTURE.md §1: an aid request is case content (the worker in charge only; 404 for
every other role, like the case). The catalogue is read by the operator's workers,
counsellor, billing and administration and by an HR contact (his employer's part), kept by
billing and the administrator. Budgets: billing keeps them, the counsellor reads them. The
counsellor organises committee sessions; a committee member reads the sessions he is
convened to once his undertaking is signed (any other session: 404, like an absent one);
every other role gets 404 on a session URL and 403 on the lists.
"""

from tests.url_rows import R, only, row
from tests.url_rows.casework_cases import _case_for, hers

SITTING = (R.COUNSELLOR, R.COMMITTEE_MEMBER)
CATALOGUE = (R.SOCIAL_WORKER, R.COUNSELLOR, R.BILLING, R.ADMIN, R.EMPLOYER_CONTACT)


def sitting(ok: int = 200) -> dict:
    return row(404) | {R.COUNSELLOR: ok, R.COMMITTEE_MEMBER: ok}


ROWS = {
    "aid:case_aid": ("GET", "own_case", hers()),
    # An empty form is shown again with its errors.
    "aid:request_create": ("POST", "own_case", hers()),
    # One-click transitions: refused or done with a message, then back to the tab (302).
    "aid:request_submit": ("POST", "own_aid_request", hers(302)),
    "aid:request_close": ("POST", "own_aid_request", hers(302)),
    "aid:payment_add": ("POST", "own_aid_request", hers(302)),
    "aid:loan_schedule": ("POST", "own_aid_request", hers(302)),
    "aid:letter": ("GET", "own_aid_request", hers()),
    "aid:catalogue": ("GET", None, only(*CATALOGUE)),
    "aid:scheme_create": ("GET", None, only(R.BILLING, R.ADMIN)),
    "aid:membership_create": ("GET", None, only(R.BILLING, R.ADMIN)),
    "aid:provider_create": ("GET", None, only(R.BILLING, R.ADMIN)),
    # Changing or ending an entry: those who keep the catalogue (403 for every other role,
    # the HR contact included, even for his employer's own entries).
    "aid:scheme_edit": ("GET", "aid_scheme_in_scope", only(R.BILLING, R.ADMIN)),
    "aid:scheme_close": ("GET", "aid_scheme_in_scope", only(R.BILLING, R.ADMIN)),
    "aid:membership_edit": ("GET", "aid_membership", only(R.BILLING, R.ADMIN)),
    "aid:membership_close": ("GET", "aid_membership", only(R.BILLING, R.ADMIN)),
    "aid:provider_edit": ("GET", "aid_provider", only(R.BILLING, R.ADMIN)),
    "aid:provider_close": ("GET", "aid_provider", only(R.BILLING, R.ADMIN)),
    "aid:budget_list": ("GET", None, only(R.BILLING, R.COUNSELLOR)),
    "aid:session_list": ("GET", None, only(*SITTING)),
    "aid:undertaking": ("GET", None, only(R.COMMITTEE_MEMBER)),
    # Committees and their members: the counsellor who organises them.
    "aid:committee_list": ("GET", None, only(R.COUNSELLOR)),
    "aid:committee_create": ("GET", None, only(R.COUNSELLOR)),
    "aid:committee_edit": ("GET", "aid_committee", only(R.COUNSELLOR)),
    "aid:session_detail": ("GET", "aid_session_in_scope", sitting()),
    "aid:session_minutes": ("GET", "aid_session_in_scope", sitting()),
    # An empty decision: the page again with the errors.
    "aid:decision_record": ("POST", "aid_session_in_scope", sitting()),
    # The counsellor only; an empty choice is refused with a message (302).
    "aid:session_schedule": ("POST", "aid_session_in_scope", row(404) | {R.COUNSELLOR: 302}),
    "aid:session_attendance": ("POST", "aid_session_in_scope", row(404) | {R.COUNSELLOR: 302}),
    # Urgent files decided between sessions: the counsellor only.
    "aid:written_procedure": ("GET", None, only(R.COUNSELLOR)),
    # API: the same readers (403 for a role without the feature, as every API area); 401
    # signed out.
    "api:aid-scheme-list": ("GET", None, only(*CATALOGUE, anon=401)),
    "api:aid-scheme-detail": ("GET", "aid_scheme_in_scope", only(*CATALOGUE, anon=401)),
    "api:aid-budget-list": ("GET", None, only(R.BILLING, R.COUNSELLOR, anon=401)),
    "api:aid-budget-detail": ("GET", "aid_budget", only(R.BILLING, R.COUNSELLOR, anon=401)),
    "api:aid-session-list": ("GET", None, only(*SITTING, anon=401)),
    "api:aid-session-detail": ("GET", "aid_session_in_scope", only(*SITTING, anon=401)),
}


def _own_aid_request(user):
    from tests.aid.helpers import draft

    case = _case_for(user)
    return {"pk": case.pk, "aid_pk": draft(case.worker, case=case).pk}


def _aid_session_in_scope(user):
    """A session the user sits in when he is a committee member (undertaking signed)."""
    from polesocial.aid import services
    from tests.aid.helpers import session_with

    role = getattr(user, "role", None)
    if role == R.COMMITTEE_MEMBER:
        services.undertaking_sign(actor=user)
        return {"pk": session_with([user]).pk}
    return {"pk": session_with([]).pk}


def _aid_scheme_in_scope(user):
    """A scheme of the catalogue; for an HR contact, one of his own employer."""
    from tests.aid.helpers import scheme
    from tests.factories import EmployerFactory

    if getattr(user, "role", None) == R.EMPLOYER_CONTACT:
        employer = EmployerFactory()
        employer.accounts.add(user)
        return {"pk": scheme(funder="employer", employer=employer).pk}
    return {"pk": scheme().pk}


def _aid_membership(user):
    import datetime as dt

    from polesocial.aid.models import Membership
    from tests.factories import EmployerFactory

    row = Membership.objects.create(
        employer=EmployerFactory(), body="cnas", starts_on=dt.date(2026, 1, 1)
    )
    return {"pk": row.pk}


def _aid_provider(user):
    from polesocial.aid.models import Provider
    from tests.factories import EmployerFactory

    row = Provider.objects.create(employer=EmployerFactory(), name="Aide & Domicile",
                                  service="Aide ménagère")  # fmt: skip
    return {"pk": row.pk}


def _aid_budget(user):
    from polesocial.aid.models import AidBudget

    return {"pk": AidBudget.objects.create(funder="cnas", year=2026, allocated="100.00").pk}


def _aid_committee(user):
    from polesocial.aid import services
    from tests.factories import UserFactory

    counsellor = UserFactory(role=R.COUNSELLOR)
    committee = services.committee_create(actor=counsellor, name="Commission", scope="operator")
    return {"pk": committee.pk}


BUILDERS = {
    "aid_committee": _aid_committee,
    "aid_scheme_in_scope": _aid_scheme_in_scope,
    "aid_budget": _aid_budget,
    "aid_membership": _aid_membership,
    "aid_provider": _aid_provider,
    "own_aid_request": _own_aid_request,
    "aid_session_in_scope": _aid_session_in_scope,
}
