"""Which role may use which feature (screen or API area) at all: 403 otherwise.

This decides access to features; which rows a permitted user then sees is decided by
`privacy.scopes`. Views name their feature with `feature_required`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from polesocial.users.enums import Role

FEATURES: dict[str, frozenset[Role]] = {
    # --- Users ---
    # Every signed-in person: home, own account, personal API tokens.
    "account": frozenset(Role),
    # Users, roles, second-factor reset and deactivation.
    "user_admin": frozenset({Role.ADMIN}),
    # --- Privacy ---
    # Audit journal search and export.
    "audit_journal": frozenset({Role.DPO}),
    # Subject access: find the employee named in a request, see what is held (counts only).
    "subject_access": frozenset({Role.DPO}),
    # Who may open the archive: the DPO grants and revokes the `archivist` authorisation.
    "archivists": frozenset({Role.DPO}),
    # The archive itself: only workers and counsellors can be authorised, and only those
    # the DPO authorised see a row (privacy.scopes): 404 for everyone else, as for an
    # absent case.
    "archive": frozenset({Role.SOCIAL_WORKER, Role.COUNSELLOR}),
    # --- Organisations ---
    # The register of employers, headcounts and conventions.
    "organisations_read": frozenset(
        {Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.SECRETARY, Role.BILLING}
    ),
    "organisations_manage": frozenset({Role.COUNSELLOR, Role.BILLING}),
    # The operator's identity, teams and their leads, social workers' records (team, FTE),
    # and the operator's labels of the reference lists.
    "organisation_admin": frozenset({Role.ADMIN}),
    # Teams, workers, FTE plans and replacements.
    "teams_manage": frozenset({Role.COUNSELLOR}),
    # A worker's record (working time, dates, team): the administrator for every team, a
    # counsellor for the teams she leads (organisations.services.may_manage_team).
    "team_workers": frozenset({Role.ADMIN, Role.COUNSELLOR}),
    # A counsellor's interim (circular 2007-38, annex I): named by the administrator or by
    # the team's own counsellor or deputy (organisations.services.may_name_interim).
    "interims": frozenset({Role.ADMIN, Role.COUNSELLOR}),
    # An HR contact's page about his own employer.
    "my_employer": frozenset({Role.EMPLOYER_CONTACT}),
    # --- Case work ---
    # Sending a referral (the simple form) and seeing that it was received.
    # The medico-social secretary records a referral on behalf of a caller (intake by phone).
    "referral_send": frozenset(
        {Role.EMPLOYER_CONTACT, Role.PHYSICIAN, Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.SECRETARY}
    ),
    # The triage queue: the team's workers take, the counsellor assigns.
    "triage": frozenset({Role.SOCIAL_WORKER, Role.COUNSELLOR}),
    # Case work: referrals assigned to her, cases, employees (rows decided by scopes).
    "casework": frozenset({Role.SOCIAL_WORKER}),
    # The counsellor's caseload view (pseudonymised) and caseload transfers.
    "caseloads": frozenset({Role.COUNSELLOR}),
    # The mobility adviser's hand-offs and his follow-up (rows decided by scopes: those
    # handed to him with the employee's consent for that scope).
    "mobility": frozenset({Role.MOBILITY_ADVISER}),
    # --- Appointments ---
    # The agenda: a worker's own, the secretary's across the workers of her teams; booking,
    # cancelling, marking missed; drop-in sessions (rows decided by privacy.scopes).
    "agenda": frozenset({Role.SOCIAL_WORKER, Role.SECRETARY}),
    # A worker's secret iCalendar address (create, renew, revoke).
    "calendar_feed": frozenset({Role.SOCIAL_WORKER}),
    # --- Directory ---
    # The directory of partners.
    "directory": frozenset({Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.SECRETARY}),
    # --- Collective work ---
    # Social workers record collective actions, body meetings and alerts: they run the
    # actions and sit in the bodies, and the time is theirs (billed to the employer). The
    # counsellor reads her teams' work but records none (her own time is not billed per
    # employer), and an employer contact reads what concerns his employer (rows decided by
    # privacy.scopes).
    "collective": frozenset({Role.SOCIAL_WORKER}),
    "collective_read": frozenset({Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.EMPLOYER_CONTACT}),
    # --- Billing ---
    # The billing officer runs, issues and cancels invoices; a worker records her time; the
    # counsellor validates FTE plans and reads plan against actual; an HR contact reads his
    # employer's invoices.
    "billing": frozenset({Role.BILLING}),
    # What invoices carry: the operator's bank details, payment terms and legal mentions.
    "operator_billing": frozenset({Role.BILLING}),
    "my_time": frozenset({Role.SOCIAL_WORKER}),
    "fte_plan_review": frozenset({Role.COUNSELLOR}),
    "my_invoices": frozenset({Role.EMPLOYER_CONTACT}),
    # An invoice page and its files: rows decided by the scope table (issued ones of his
    # own employers for an HR contact).
    "invoices_read": frozenset({Role.BILLING, Role.EMPLOYER_CONTACT}),
    # --- Material aid ---
    # The action-sociale catalogue: read by the workers (from a case), the counsellor, the
    # operator's billing and administration, an HR contact (his employer's part); kept by
    # the operator's billing officer and administrator (a reference list with budgets).
    "aid_catalogue": frozenset(
        {Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.BILLING, Role.ADMIN, Role.EMPLOYER_CONTACT}
    ),
    "aid_catalogue_manage": frozenset({Role.BILLING, Role.ADMIN}),
    # Yearly aid budgets per funder: kept by billing, read by the counsellor.
    "aid_budgets": frozenset({Role.BILLING, Role.COUNSELLOR}),
    # Committees and their sessions: the counsellor organises them (members, agenda); a
    # committee member reads the sessions he sits in and records their decisions.
    "aid_committees": frozenset({Role.COUNSELLOR}),
    "aid_sessions": frozenset({Role.COUNSELLOR, Role.COMMITTEE_MEMBER}),
    # A committee member signs his confidentiality undertaking before any agenda.
    "aid_undertaking": frozenset({Role.COMMITTEE_MEMBER}),
    # --- Reports ---
    # Annual reports: a worker reads her own, the counsellor her teams' and their workers'
    # and employers', an HR contact his employer's (always under disclosure control), the
    # national adviser the operator's and the federation of operators' aggregates. Which
    # report each may open is decided in reports.access by scope kind.
    "reports": frozenset(
        {Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.EMPLOYER_CONTACT, Role.NATIONAL_ADVISER}
    ),
    "reports_federation": frozenset({Role.NATIONAL_ADVISER}),
}


def can_use(user, feature: str) -> bool:
    """True when `user`'s role may use `feature` (an unknown feature is closed to all)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in FEATURES.get(feature, frozenset())


def feature_required(feature: str, *, absent_when_denied: bool = False) -> Callable:
    """View decorator: 403 for a role that may not use `feature`.

    With `absent_when_denied`, the answer is 404 instead: for URLs naming one object of
    case work, which must answer every other role exactly as an absent object does.
    """
    if feature not in FEATURES:
        raise ValueError(f"Unknown feature {feature!r}: add it to privacy.features.FEATURES")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can_use(request.user, feature):
                raise Http404 if absent_when_denied else PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.feature = feature  # type: ignore[attr-defined]
        return wrapped

    return decorator
