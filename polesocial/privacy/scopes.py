"""Who sees which rows: the role -> scope table, in one place for review by the DPO.

Each entry maps a model label to {role: rule}; a rule takes (queryset, user) and returns
the rows that user may read. A role absent from a model's entry sees no row of it
(`visible_by` returns an empty queryset, and views answer 404).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from polesocial.privacy.access import Rule
from polesocial.users.enums import Role


def everything(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset


def self_only(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset.filter(pk=user.pk)


def nothing(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset.none()


def by_team(path: str) -> Rule:
    """Rows attached (through `path`) to the team of the signed-in social worker."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return (
            queryset.filter(**{path: user.social_worker.team_id})
            if _is_worker(user)
            else (queryset.none())
        )

    return rule


def by_own_employers(path: str) -> Rule:
    """Rows of the employers the account is linked to (HR contacts, physicians)."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return queryset.filter(**{f"{path}__in": user.employers.all()})

    return rule


def by_worker(path: str) -> Rule:
    """Rows about the signed-in social worker herself."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return queryset.filter(**{f"{path}__user": user})

    return rule


def _is_worker(user) -> bool:
    return hasattr(user, "social_worker")


def worker_ids(user) -> models.QuerySet:
    """The ids of the workers whose rows the user reads today: herself and the colleagues
    she replaces (dates inclusive, Europe/Paris). No row for anyone without a worker profile.

    A small union of two index lookups, used as `worker_id IN (…)`: the database starts
    from the few workers, then from the worker index of the rows, where `worker.user = me
    OR worker IN (replacements…)` across joins made it read every row of the table (issue
    20: the name search and the case list at national size). A subquery rather than a
    list computed beforehand: no extra query per rule, and never stale within a request.
    """
    from polesocial.organisations.models import Replacement, SocialWorker

    herself = SocialWorker.objects.filter(user=user).order_by().values("pk")
    today = timezone.localdate()
    replaced = (
        Replacement.objects.active_on(today)
        .filter(replacing__user=user)
        .order_by()
        .values("absent_id")
    )
    return herself.union(replaced)


def _held_cases(ids: models.QuerySet) -> models.QuerySet:
    from polesocial.casework.models import Case

    # No default ordering: the parts of a UNION may not be ordered (SQLite). An archived case
    # has left the active base (retention): nobody holds it, nor its referral and employee.
    return Case.objects.filter(worker_id__in=ids, archived_on__isnull=True).order_by()


def in_charge(worker_path: str) -> Rule:
    """Rows of a case whose social worker (at `worker_path`, the case's "worker") is the
    user, or one she replaces today, while the case is in the active base.

    This is the secrecy rule: case content is read by the worker in charge and, during the
    replacement only, by her designated replacement. An archived case (retention job) has
    left the active base: nobody reads it through this rule.
    """
    active = Q(**{f"{worker_path.removesuffix('worker')}archived_on__isnull": True})

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return queryset.filter(Q(**{f"{worker_path}__in": worker_ids(user)}) & active)

    return rule


def _held_referral_ids(ids: models.QuerySet) -> models.QuerySet:
    """The ids of the referrals held by the workers `ids` (see `referrals_in_charge`).

    A union of two index lookups (referrals assigned to them with no case yet; referrals
    of their cases) rather than an OR with a NOT EXISTS per referral, which the database
    could only answer by reading every referral.
    """
    from polesocial.casework.models import Case, Referral

    without_case = (
        Referral.objects.filter(assigned_to_id__in=ids)
        .exclude(Exists(Case.objects.filter(referral=OuterRef("pk"))))
        .order_by()
    )
    of_cases = _held_cases(ids).filter(referral__isnull=False).values("referral_id")
    return without_case.values("pk").union(of_cases)


def referrals_in_charge(queryset: models.QuerySet, user) -> models.QuerySet:
    """Referrals held by the user (or by whom she replaces today).

    A referral that led to a case is held by that case's worker: its reason, assessment and
    consent are case content, and go with the case when it is transferred (the previous
    worker loses them, whatever moved the case). Before any case, the worker it is assigned
    to holds it.
    """
    return queryset.filter(pk__in=_held_referral_ids(worker_ids(user)))


def employees_in_charge(queryset: models.QuerySet, user) -> models.QuerySet:
    """Employees with a case or a referral held by the user (or by whom she replaces).

    The worker's own rows first (a union of ids through the worker indexes): the name
    search then matches its word tokens on those few rows only.
    """
    from polesocial.casework.models import Referral

    ids = worker_ids(user)
    referrals = Referral.objects.filter(
        pk__in=_held_referral_ids(ids), employee__isnull=False
    ).order_by()
    employees = _held_cases(ids).values("employee_id").union(referrals.values("employee_id"))
    return queryset.filter(pk__in=employees)


def consents_in_charge(queryset: models.QuerySet, user) -> models.QuerySet:
    from polesocial.casework.models import Consent

    ids = worker_ids(user)
    of_referrals = (
        Consent.objects.filter(referral__in=_held_referral_ids(ids)).order_by().values("pk")
    )
    consents = _held_cases(ids).values("consent_id").union(of_referrals)
    return queryset.filter(pk__in=consents)


def assessments_in_charge(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset.filter(referral__in=_held_referral_ids(worker_ids(user)))


def archived_for_archivist(queryset: models.QuerySet, user) -> models.QuerySet:
    """Archived cases not yet anonymised, for a person the DPO authorised (`archivist`).

    Nobody reads an archived case through `in_charge`: it has left the active base. The
    archivist lists them (numbers and dates) and opens one read-only after typing a motive,
    which the journal keeps (casework.views.archive). Without an authorisation in force:
    no row, so 404.
    """
    from polesocial.privacy.services import is_archivist

    if not is_archivist(user):
        return queryset.none()
    return queryset.filter(archived_on__isnull=False, anonymised_on__isnull=True)


def handoffs_to_adviser(queryset: models.QuerySet, user) -> models.QuerySet:
    """Hand-offs made to the user (the mobility adviser) and not ended, on a case in the
    active base, while the consent that allowed them (scope « conseillère mobilité ») is
    not withdrawn. Nothing else of the case reaches him: no interview, private note or aid.
    """
    return queryset.filter(
        adviser=user,
        ended_at__isnull=True,
        consent__withdrawn_on__isnull=True,
        case__archived_on__isnull=True,
    )


def _follow_ups_of_handoffs(queryset: models.QuerySet, user) -> models.QuerySet:
    from polesocial.casework.models import Handoff

    return queryset.filter(handoff__in=handoffs_to_adviser(Handoff.objects.all(), user))


def led_teams(path: str) -> Rule:
    """Rows of the teams the user leads as counsellor or deputy, or today as the
    counsellor's interim (`Team.objects.led_by`: within the interim's dates only)."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        from polesocial.organisations.models import Team

        teams = Team.objects.led_by(user).values("pk")
        return queryset.filter(**{f"{path}__in": teams})

    return rule


def led_in_own_right(queryset: models.QuerySet, user) -> models.QuerySet:
    """Teams the user leads herself, as counsellor or deputy; not those she holds only as
    the counsellor's interim (an interim does not name another: `led_teams` includes them)."""
    return queryset.filter(Q(counsellor=user) | Q(deputy=user))


def served_teams(path: str) -> Rule:
    """Rows of the teams a medico-social secretary serves (`appointments.SecretaryTeam`)."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        from polesocial.appointments.models import SecretaryTeam

        teams = SecretaryTeam.objects.filter(secretary=user).values("team_id")
        return queryset.filter(**{f"{path}__in": teams})

    return rule


def absent_or_replacing(queryset: models.QuerySet, user) -> models.QuerySet:
    """Replacements in which the signed-in worker is the absent one or the one replacing."""
    return by_worker("absent")(queryset, user) | by_worker("replacing")(queryset, user)


def own_workers(path: str) -> Rule:
    """Rows of the signed-in worker, or of the colleague she replaces today."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return queryset.filter(**{f"{path}__in": worker_ids(user)})

    return rule


def created_by_user(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset.filter(created_by=user)


def own_rows(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows that are the account's own: what it signed itself (an aid-committee
    member's confidentiality undertaking), a social worker's own record."""
    return queryset.filter(user=user)


def prepared_for_reviewer(queryset: models.QuerySet, user) -> models.QuerySet:
    """Subject-access requests whose prepared export the signed-in worker is named to
    review, until the request is released."""
    return queryset.filter(reviewer__user=user, status="prepared")


def _each_once(rule: Rule) -> Rule:
    """A rule through a many-to-many path (an action's employers), each row once.

    A subquery rather than DISTINCT, so that the caller may still order and annotate.
    """

    def wrapped(queryset: models.QuerySet, user) -> models.QuerySet:
        return queryset.filter(pk__in=rule(queryset.model.objects.all(), user).values("pk"))

    return wrapped


def _alerts_addressed_to(queryset: models.QuerySet, user) -> models.QuerySet:
    return by_own_employers("employer")(queryset, user).filter(addressees=user)


def _issued_of_own_employers(path: str) -> Rule:
    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        prefix = f"{path}__" if path else ""
        issued = queryset.exclude(**{f"{prefix}status": "draft"})
        return by_own_employers(f"{prefix}employer")(issued, user)

    return rule


def requested_by_self(queryset: models.QuerySet, user) -> models.QuerySet:
    """Background jobs (an invoice run, a report export): the one who asked reads them."""
    return queryset.filter(requested_by=user)


def _catalogue(path: str) -> dict[Role, Rule]:
    """The action-sociale catalogue: every operator role that works with it reads all of
    it; an HR contact reads the rows of his own employers only (`path`)."""
    readers = (Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.BILLING, Role.ADMIN)
    return {
        **dict.fromkeys(readers, everything),
        Role.EMPLOYER_CONTACT: by_own_employers(path),
    }


def sitting_member(queryset: models.QuerySet, user) -> models.QuerySet:
    """Aid-committee sessions the user is convened to, once his confidentiality
    undertaking is signed (none before)."""
    if not hasattr(user, "aid_undertaking"):
        return queryset.none()
    return queryset.filter(pk__in=user.aid_sessions.values("pk"))


def agenda_of_sitting_member(queryset: models.QuerySet, user) -> models.QuerySet:
    """Aid requests on the agenda of the sessions the user sits in (see sitting_member)."""
    from polesocial.aid.models import CommitteeSession

    return queryset.filter(session__in=sitting_member(CommitteeSession.objects.all(), user))


SCOPES: dict[str, dict[Role, Rule]] = {
    # --- Users ---
    # Staff accounts: the admin manages all of them; everyone else sees their own.
    "users.User": {role: (everything if role == Role.ADMIN else self_only) for role in Role},
    # --- Privacy ---
    # The audit journal is read by the DPO only (a case's history tab reads the entries of
    # that case, itself found through visible_by: casework.views.cases.case_history).
    "privacy.AuditEntry": {Role.DPO: everything},
    # Who may open the archive: the DPO grants and revokes, and reads the register.
    "privacy.ArchivistGrant": {Role.DPO: everything},
    # --- Organisations ---
    # The organisation register is not case data: the operator's staff read all of it,
    # a social worker her team's employers, HR contacts and physicians their employer.
    "organisations.Employer": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SECRETARY: everything,
        Role.SOCIAL_WORKER: by_team("team"),
        Role.EMPLOYER_CONTACT: by_own_employers("pk"),
        Role.PHYSICIAN: by_own_employers("pk"),
    },
    "organisations.Convention": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SOCIAL_WORKER: by_team("employer__team"),
        Role.EMPLOYER_CONTACT: by_own_employers("employer"),
    },
    "organisations.ConventionAmendment": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SOCIAL_WORKER: by_team("convention__employer__team"),
        Role.EMPLOYER_CONTACT: by_own_employers("convention__employer"),
    },
    "organisations.Headcount": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SOCIAL_WORKER: by_team("employer__team"),
        Role.EMPLOYER_CONTACT: by_own_employers("employer"),
    },
    "organisations.SocialWorker": {
        # The administrator attaches workers to teams (their record, never their cases).
        Role.ADMIN: everything,
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SECRETARY: everything,
        Role.SOCIAL_WORKER: by_team("team"),
    },
    "organisations.FteShare": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SOCIAL_WORKER: by_worker("worker"),
    },
    # A counsellor's interim is not case data: the counsellors and the administrator, who
    # name them, read the register; the powers it gives are decided by `led_teams`.
    "organisations.CounsellorInterim": {Role.ADMIN: everything, Role.COUNSELLOR: everything},
    "organisations.Replacement": {
        Role.COUNSELLOR: everything,
        # Absences and replacements show on the agenda of the teams she serves.
        Role.SECRETARY: served_teams("absent__team"),
        Role.SOCIAL_WORKER: absent_or_replacing,
    },
    # --- Case work ---
    # Content is read by the worker in charge and her active replacement only. Every other
    # role has no row (404); the counsellor reads projections (VIEW_SCOPES below).
    "casework.Case": {Role.SOCIAL_WORKER: in_charge("worker")},
    "casework.Interview": {Role.SOCIAL_WORKER: in_charge("case__worker")},
    "casework.Orientation": {Role.SOCIAL_WORKER: in_charge("case__worker")},
    "casework.PlanObjective": {Role.SOCIAL_WORKER: in_charge("case__worker")},
    "casework.PlanAction": {Role.SOCIAL_WORKER: in_charge("objective__case__worker")},
    "casework.CaseDocument": {Role.SOCIAL_WORKER: in_charge("case__worker")},
    "casework.CaseClosure": {Role.SOCIAL_WORKER: in_charge("case__worker")},
    "casework.Referral": {Role.SOCIAL_WORKER: referrals_in_charge},
    "casework.FirstAssessment": {Role.SOCIAL_WORKER: assessments_in_charge},
    "casework.Employee": {Role.SOCIAL_WORKER: employees_in_charge},
    "casework.Consent": {Role.SOCIAL_WORKER: consents_in_charge},
    # Requests of an employee about his data: the DPO handles them (dates, steps, counts;
    # the prepared export is read by the reviewing worker only, VIEW_SCOPES "review").
    "casework.SubjectAccessRequest": {Role.DPO: everything},
    "casework.ErasureRequest": {Role.DPO: everything},
    # The mobility adviser: the hand-offs made to him with the employee's consent for that
    # scope, and his own follow-up of them; the worker in charge reads both for her case.
    "casework.Handoff": {
        Role.SOCIAL_WORKER: in_charge("case__worker"),
        Role.MOBILITY_ADVISER: handoffs_to_adviser,
    },
    "casework.MobilityFollowUp": {
        Role.SOCIAL_WORKER: in_charge("handoff__case__worker"),
        Role.MOBILITY_ADVISER: _follow_ups_of_handoffs,
    },
    # --- Collective work ---
    # Collective actions, HR body meetings and vigilance alerts name no one; they are
    # shared with the employer. A social worker reads her team's (the team serving the
    # employer), the counsellor the teams she leads; an employer contact reads his
    # employer's actions and body meetings, and only the alerts addressed to him (while he
    # is still linked to that employer). Every other role: nothing. Who may change one:
    # collective.permissions.
    "collective.CollectiveAction": {
        Role.SOCIAL_WORKER: _each_once(by_team("employers__team")),
        Role.COUNSELLOR: _each_once(led_teams("employers__team")),
        Role.EMPLOYER_CONTACT: _each_once(by_own_employers("employers")),
    },
    "collective.BodyMeeting": {
        Role.SOCIAL_WORKER: by_team("employer__team"),
        Role.COUNSELLOR: led_teams("employer__team"),
        Role.EMPLOYER_CONTACT: by_own_employers("employer"),
    },
    "collective.Alert": {
        Role.SOCIAL_WORKER: by_team("employer__team"),
        Role.COUNSELLOR: led_teams("employer__team"),
        Role.EMPLOYER_CONTACT: _alerts_addressed_to,
    },
    # --- Billing ---
    # A worker reads her own time, the counsellor her teams' (plan against actual). The
    # billing officer reads no time entry at all, only invoices (hours per employer and
    # kind, never a case); an employer contact reads his employer's issued invoices, never
    # a draft.
    "billing.TimeEntry": {
        Role.SOCIAL_WORKER: by_worker("worker"),
        Role.COUNSELLOR: led_teams("worker__team"),
    },
    "billing.FtePlanValidation": {
        Role.SOCIAL_WORKER: by_worker("worker"),
        Role.COUNSELLOR: led_teams("worker__team"),
    },
    "billing.Invoice": {
        Role.BILLING: everything,
        Role.EMPLOYER_CONTACT: _issued_of_own_employers(""),
    },
    "billing.InvoiceLine": {
        Role.BILLING: everything,
        Role.EMPLOYER_CONTACT: _issued_of_own_employers("invoice"),
    },
    # An invoice run on the task queue: its status page is read by whoever asked for it.
    "billing.InvoiceRun": {Role.BILLING: requested_by_self},
    # --- Appointments ---
    # Who, when and where — never why (an appointment has no reason, domain or note). The
    # worker reads her own agenda and, while she replaces a colleague, the colleague's; the
    # secretary reads the agendas of the workers of the teams she serves (she books them,
    # and calls the employee: name and contact details). Drop-in sessions name no one: the
    # team's workers, the counsellor and the secretary read them.
    "appointments.Appointment": {
        Role.SOCIAL_WORKER: own_workers("worker"),
        Role.SECRETARY: served_teams("worker__team"),
    },
    "appointments.DropInSession": {
        Role.SOCIAL_WORKER: by_team("worker__team"),
        Role.COUNSELLOR: led_teams("worker__team"),
        Role.SECRETARY: served_teams("worker__team"),
    },
    "appointments.DropInOccurrence": {
        Role.SOCIAL_WORKER: by_team("worker__team"),
        Role.COUNSELLOR: led_teams("worker__team"),
        Role.SECRETARY: served_teams("worker__team"),
    },
    # A worker's secret calendar address: hers alone.
    "appointments.CalendarFeed": {Role.SOCIAL_WORKER: by_worker("worker")},
    # --- Material aid ---
    # The catalogue names no one: the operator's staff read all of it, an HR contact his
    # employer's part only (its own schemes, providers and memberships).
    "aid.AidScheme": _catalogue("employer"),
    "aid.Provider": _catalogue("employer"),
    "aid.Membership": _catalogue("employer"),
    "aid.AidBudget": {Role.BILLING: everything, Role.COUNSELLOR: everything},
    # A request is case content: the worker in charge and her active replacement only. The
    # committee never reads it: it reads the agenda projection (VIEW_SCOPES, aid.agenda).
    "aid.AidRequest": {Role.SOCIAL_WORKER: in_charge("case__worker")},
    "aid.AidDecision": {Role.SOCIAL_WORKER: in_charge("request__case__worker")},
    "aid.AidPayment": {Role.SOCIAL_WORKER: in_charge("request__case__worker")},
    "aid.LoanInstalment": {Role.SOCIAL_WORKER: in_charge("request__case__worker")},
    # Committees and sessions name no employee. The counsellor organises them; a member
    # reads the sessions he is convened to, once his confidentiality undertaking is signed;
    # a worker reads the sessions to choose one for her file (date and committee only).
    "aid.Committee": {Role.COUNSELLOR: everything, Role.SOCIAL_WORKER: everything},
    "aid.CommitteeSession": {
        Role.COUNSELLOR: everything,
        Role.SOCIAL_WORKER: everything,
        Role.COMMITTEE_MEMBER: sitting_member,
    },
    "aid.ConfidentialityUndertaking": {
        Role.COUNSELLOR: everything,
        Role.COMMITTEE_MEMBER: own_rows,
    },
    # --- Reports ---
    # A report export (PDF or ODS built in the background) is read by the person who asked
    # for it only. Narratives are read with the report they belong to (reports.access).
    "reports.ReportExport": {
        role: requested_by_self
        for role in (
            Role.SOCIAL_WORKER,
            Role.COUNSELLOR,
            Role.EMPLOYER_CONTACT,
            Role.NATIONAL_ADVISER,
        )
    },
}

# Projections: a few non-identifying columns of a model, for a given purpose. The queryset
# methods that use them (e.g. `Referral.objects.queue_visible_by`) return only the fixed
# list of fields named beside the model (QUEUE_FIELDS, RECEIPT_FIELDS, METADATA_FIELDS).
# Purposes: the rows a role may act on for one purpose, narrower than what it reads, which
# a screen and its service both ask: read through `privacy.access.rows_for(purpose, …)`.
VIEW_SCOPES: dict[tuple[str, str], dict[Role, Rule]] = {
    # --- Organisations ---
    # Replacements open a worker's cases to a colleague: the counsellor names them within
    # the teams she leads only (`SocialWorker.objects.replaceable_by`), though she reads
    # the whole register of workers.
    ("organisations.SocialWorker", "replacements"): {Role.COUNSELLOR: led_teams("team")},
    # The teams whose workers' records (working time, dates, team) a user edits: the
    # administrator every team, a counsellor the teams she leads, today's interims included
    # (`organisations.services.may_manage_team`, the administration and team screens).
    ("organisations.Team", "managed"): {Role.ADMIN: everything, Role.COUNSELLOR: led_teams("pk")},
    # The teams whose counsellor's interim a user names: the administrator any team's, a
    # counsellor only those she leads in her own right (`may_name_interim`).
    ("organisations.Team", "interims"): {
        Role.ADMIN: everything,
        Role.COUNSELLOR: led_in_own_right,
    },
    # The teams a counsellor leads for the team's own work: the employers she sends a
    # referral about, the referrals she assigns (a role with this rule assigns), the
    # workers whose caseloads she reads and transfers and whose plan against actual she
    # validates, the internal reports she opens. As counsellor or deputy, or today as the
    # counsellor's interim, who holds the team's counsellor's powers between its dates
    # (docs/architecture.md §15). Unlike "managed", never the administrator: she edits
    # workers' records, but reads no queue, caseload, time or report.
    ("organisations.Team", "led"): {Role.COUNSELLOR: led_teams("pk")},
    # The employers a user sends a referral about: an HR contact's or physician's own, a
    # worker's team's, any for the secretary (intake by phone), those of the teams a
    # counsellor leads ("led"). The form and the API offer and accept these only.
    ("organisations.Employer", "referral"): {
        Role.EMPLOYER_CONTACT: by_own_employers("pk"),
        Role.PHYSICIAN: by_own_employers("pk"),
        Role.SOCIAL_WORKER: by_team("team"),
        Role.SECRETARY: everything,
        Role.COUNSELLOR: led_teams("team"),
    },
    # --- Reports ---
    # The annual reports a user opens (reports.access), by scope kind: internal, a worker's
    # own, and a counsellor's those of the teams she leads (Team "led") and of their
    # workers; under disclosure control, an employer's, for its HR contact and for the
    # counsellor of a team serving it. The operator's report is the national adviser's.
    ("organisations.SocialWorker", "report"): {
        Role.SOCIAL_WORKER: own_rows,
        Role.COUNSELLOR: led_teams("team"),
    },
    ("organisations.Employer", "report"): {
        Role.EMPLOYER_CONTACT: by_own_employers("pk"),
        Role.COUNSELLOR: led_teams("team"),
    },
    # --- Appointments ---
    # The workers whose agenda a user reads: a worker her own and, while she replaces a
    # colleague, the colleague's; a secretary those of the teams she serves.
    ("organisations.SocialWorker", "agenda"): {
        Role.SOCIAL_WORKER: own_workers("pk"),
        Role.SECRETARY: served_teams("team"),
    },
    # The workers a user books appointments and drop-in sessions for: a worker herself
    # only (not whom she replaces), a secretary the workers of the teams she serves.
    ("organisations.SocialWorker", "booking"): {
        Role.SOCIAL_WORKER: own_rows,
        Role.SECRETARY: served_teams("team"),
    },
    # The employers an appointment or a drop-in session is booked for: her team's for a
    # worker, those of the teams she serves for a secretary (who reads the whole register).
    ("organisations.Employer", "booking"): {
        Role.SOCIAL_WORKER: by_team("team"),
        Role.SECRETARY: served_teams("team"),
    },
    # --- Case work ---
    # Triage queue: number, employer, source, urgency, waiting time; never identity or reason.
    ("casework.Referral", "queue"): {
        Role.SOCIAL_WORKER: by_team("employer__team"),
        Role.COUNSELLOR: led_teams("employer__team"),
    },
    # What a sender sees afterwards: "received", never whether a case exists.
    ("casework.Referral", "receipt"): {
        Role.EMPLOYER_CONTACT: created_by_user,
        Role.PHYSICIAN: created_by_user,
        Role.SOCIAL_WORKER: created_by_user,
        # She records referrals on behalf of callers (intake by phone): "received", no more.
        Role.SECRETARY: created_by_user,
    },
    # Caseloads: pseudonymised metadata of the team's cases.
    ("casework.Case", "metadata"): {Role.COUNSELLOR: led_teams("worker__team")},
    # The archive (retention): archived cases, opened read-only for a typed motive, by a
    # worker or counsellor the DPO authorised (privacy.services.archivist_grant) only.
    ("casework.Case", "archive"): {
        Role.SOCIAL_WORKER: archived_for_archivist,
        Role.COUNSELLOR: archived_for_archivist,
    },
    # Subject access: the worker the request names reviews the prepared export and marks
    # what concerns third parties (GDPR art. 15(4)), until the request is released.
    ("casework.SubjectAccessRequest", "review"): {
        Role.SOCIAL_WORKER: prepared_for_reviewer,
    },
    # The DPO's journal names the staff member and the file's number (never its content).
    ("users.User", "journal"): {Role.DPO: everything},
    ("casework.Case", "journal"): {Role.DPO: everything},
    ("casework.Referral", "journal"): {Role.DPO: everything},
    # --- Material aid ---
    # The pseudonymised agenda (aid.agenda.AGENDA_FIELDS): the counsellor who organises the
    # committees, and the members of the sessions they sit in; never the case behind it.
    ("aid.AidRequest", "agenda"): {
        Role.COUNSELLOR: everything,
        Role.COMMITTEE_MEMBER: agenda_of_sitting_member,
    },
    # Subject access: the DPO finds the employee named in a request by full identity (blind
    # index) and sees an inventory of counts, never the content (casework.subject_access).
    ("casework.Employee", "subject_access"): {Role.DPO: everything},
}
