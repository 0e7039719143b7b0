"""Every list page and every API list costs the same SQL for few or many rows.

One entry per list: who reads it, its address, and how to add n rows that this reader sees
there. `assert_queries_do_not_grow` (tests/conftest.py) counts the queries with 2 rows and
with 6, and compares the count with the one recorded in tests/query_counts.json. A new list
gets its entry here; a list with no entry fails `test_every_list_has_an_entry`.
"""

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import (
    EMPLOYEE_IDENTITY,
    ConventionFactory,
    EmployerFactory,
    PartnerFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    open_case_for,
)
from tests.test_url_matrix import MATRIX

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)  # a Monday of the first quarter, in the past
_names = itertools.count()


@dataclass
class Listing:
    user: object
    url: str
    add: Callable[[int], object]


def times(n: int, make: Callable[[], object]) -> None:
    for _ in range(n):
        make()


def new_case(worker, **identity):
    """An open case of `worker`, for an employee with a name of her own."""
    last_name = f"Agent{next(_names):04d}"
    return open_case_for(worker, identity={**EMPLOYEE_IDENTITY, "last_name": last_name, **identity})


def new_referral(employer, actor=None):
    from polesocial.casework.services import referrals

    return referrals.referral_create(
        actor=actor,
        employer=employer,
        source="employer_hr",
        reason="Difficultés financières signalées.",
        person_last_name=f"Agent{next(_names):04d}",
        person_first_name="Léa",
    )


def assigned_referral(worker):
    from polesocial.casework.services import referrals

    referral = new_referral(EmployerFactory(team=worker.team))
    return referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)


def contact_of(employer):
    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    return contact


# --- Accounts, journal, notifications, tokens ------------------------------------------


def users_list():
    return Listing(
        UserFactory(role=Role.ADMIN), reverse("users:list"), lambda n: times(n, UserFactory)
    )


def audit_list():
    from polesocial.privacy.audit import audit_log

    def add(n):
        for _ in range(n):
            audit_log(
                actor=UserFactory(), action=AuditAction.PARTNER_CREATE, target=PartnerFactory()
            )

    return Listing(UserFactory(role=Role.DPO), reverse("privacy:audit_list"), add)


def archivist_list():
    from polesocial.privacy.services import archivist_grant

    dpo = UserFactory(role=Role.DPO)

    def add(n):
        for _ in range(n):
            archivist_grant(actor=dpo, user=UserFactory(role=Role.SOCIAL_WORKER))

    return Listing(dpo, reverse("privacy:archivist_list"), add)


def archive_list():
    from tests.url_rows.privacy import archived_case

    archivist = UserFactory(role=Role.SOCIAL_WORKER)
    archived_case(granted_to=archivist)
    return Listing(archivist, reverse("casework:archive_list"), lambda n: times(n, archived_case))


def notification_list():
    from polesocial.notifications.models import Notification

    user = UserFactory()
    add = lambda n: times(n, lambda: Notification.objects.create(recipient=user, title="Avis"))  # noqa: E731
    return Listing(user, reverse("notifications:list"), add)


def tokens(url_name):
    def listing():
        from polesocial.api.enums import ApiTokenKind
        from polesocial.api.services import api_token_create

        user = UserFactory()

        def add(n):
            for _ in range(n):
                api_token_create(
                    actor=None, user=user, name="Jeton", kind=ApiTokenKind.PERSONAL, days=30
                )

        return Listing(user, reverse(url_name), add)

    return listing


# --- Organisations ------------------------------------------------------------------------


def employers(url_name):
    """Employers with a convention and a headcount each, as the billing officer reads them."""

    def listing():
        from polesocial.organisations.models import Headcount

        def add(n):
            for _ in range(n):
                employer = EmployerFactory()
                ConventionFactory(employer=employer, active=True)
                Headcount.objects.create(employer=employer, year=2026, total=40)

        return Listing(UserFactory(role=Role.BILLING), reverse(url_name), add)

    return listing


def team_list():
    def add(n):
        for _ in range(n):
            team = TeamFactory()
            SocialWorkerFactory(team=team)
            EmployerFactory(team=team)

    return Listing(UserFactory(role=Role.COUNSELLOR), reverse("organisations:team_list"), add)


def team_admin_list():
    """The administrator's teams, with their leads and workers, and the unattached accounts."""

    def add(n):
        for _ in range(n):
            team = TeamFactory(deputy=UserFactory(role=Role.COUNSELLOR))
            SocialWorkerFactory(team=team)
            UserFactory(role=Role.SOCIAL_WORKER)

    return Listing(UserFactory(role=Role.ADMIN), reverse("organisations:team_admin_list"), add)


def fte_shares(url_name, suffix=""):
    """Workers of the counsellor's team with a share of one employer each."""

    def listing():
        from polesocial.organisations.models import FteShare

        team = TeamFactory()

        def add(n):
            for _ in range(n):
                worker = SocialWorkerFactory(team=team)
                employer = EmployerFactory(team=team)
                FteShare.objects.create(worker=worker, employer=employer, year=2026, share="0.5")

        return Listing(team.counsellor, reverse(url_name) + suffix, add)

    return listing


def replacement_list():
    from polesocial.organisations.services import replacement_create

    team = TeamFactory()

    def add(n):
        for _ in range(n):
            absent, replacing = SocialWorkerFactory(team=team), SocialWorkerFactory(team=team)
            replacement_create(
                actor=team.counsellor,
                absent=absent,
                replacing=replacing,
                starts_on=DAY,
                ends_on=DAY + dt.timedelta(days=14),
            )

    return Listing(team.counsellor, reverse("organisations:replacement_list"), add)


def interim_list():
    from polesocial.organisations.services import counsellor_interim_create

    team = TeamFactory()

    def add(n):
        for _ in range(n):
            counsellor_interim_create(
                actor=team.counsellor,
                team=team,
                interim=UserFactory(role=Role.COUNSELLOR),
                starts_on=DAY,
                ends_on=DAY + dt.timedelta(days=14),
            )

    return Listing(team.counsellor, reverse("organisations:interim_list"), add)


def label_list():
    from polesocial.casework.enums import Domain
    from polesocial.organisations.models import LabelOverride

    codes = iter(Domain.values)

    def add(n):
        for _ in range(n):
            LabelOverride.objects.create(code_list="domain", code=next(codes), label="Libellé")

    return Listing(UserFactory(role=Role.ADMIN), reverse("organisations:label_list"), add)


def team_list_api():
    listing = team_list()
    return Listing(UserFactory(role=Role.COUNSELLOR), reverse("api:team-list"), listing.add)


# --- Case work ------------------------------------------------------------------------------


def worker_home():
    """Her open cases, recent and legacy (a legacy case names its person from the shared
    employee row and its employer: read with the page's query, not one query per case),
    each with an action due, her team's queue and the referrals assigned to her."""
    worker = SocialWorkerFactory()

    def add(n):
        for _ in range(n):
            for case in (new_case(worker), legacy_case(worker)):
                objective_and_action(worker, case)
            new_referral(EmployerFactory(team=worker.team))
            assigned_referral(worker)

    return Listing(worker.user, reverse("core:home"), add)


def counsellor_home():
    worker = SocialWorkerFactory()

    def add(n):
        for _ in range(n):
            new_case(worker)
            new_referral(EmployerFactory(team=worker.team))

    return Listing(worker.team.counsellor, reverse("core:home"), add)


def legacy_case(worker):
    """A case recorded before cases kept their own copy of the person (`person_data` empty):
    the list names it from the shared employee row and its employer, which must come with
    the page's query, not one query per row."""
    from polesocial.casework.models import Case

    case = new_case(worker)
    Case.objects.filter(pk=case.pk).update(person_data="")
    return case


def cases(url_name):
    def listing():
        worker = SocialWorkerFactory()

        def add(n):
            times(n, lambda: new_case(worker))
            times(n, lambda: legacy_case(worker))

        return Listing(worker.user, reverse(url_name), add)

    return listing


def handoffs(url_name):
    """Hand-offs to a mobility adviser, of recent and of legacy cases, with a follow-up."""

    def listing():
        from polesocial.casework.models import Consent
        from polesocial.casework.services.mobility import (
            handoff_create,
            mobility_follow_up_record,
        )

        worker = SocialWorkerFactory()
        adviser = UserFactory(role=Role.MOBILITY_ADVISER)

        def hand_off(case):
            Consent.objects.filter(pk=case.consent_id).update(scope=["mobility_adviser"])
            handoff = handoff_create(
                actor=worker.user, case=case, adviser=adviser, kind="share", note="Relais"
            )
            mobility_follow_up_record(
                actor=adviser, handoff=handoff, kind="training", occurred_on=timezone.localdate(),
                minutes=30,
            )  # fmt: skip

        def add(n):
            times(n, lambda: hand_off(new_case(worker)))
            times(n, lambda: hand_off(legacy_case(worker)))

        return Listing(adviser, reverse(url_name), add)

    return listing


def referrals_sent(url_name):
    def listing():
        employer = EmployerFactory()
        contact = contact_of(employer)
        add = lambda n: times(n, lambda: new_referral(employer, actor=contact))  # noqa: E731
        return Listing(contact, reverse(url_name), add)

    return listing


def queue(role):
    def listing():
        worker = SocialWorkerFactory()
        user = worker.user if role == Role.SOCIAL_WORKER else worker.team.counsellor
        add = lambda n: times(n, lambda: new_referral(EmployerFactory(team=worker.team)))  # noqa: E731
        return Listing(user, reverse("casework:queue"), add)

    return listing


def referral_list_api():
    worker = SocialWorkerFactory()
    return Listing(
        worker.user,
        reverse("api:referral-list"),
        lambda n: times(n, lambda: assigned_referral(worker)),
    )


def caseloads():
    team = TeamFactory()

    def add(n):
        for _ in range(n):
            worker = SocialWorkerFactory(team=team)
            new_case(worker)

    return Listing(team.counsellor, reverse("casework:caseloads"), add)


def case_records(url_name, record, api_params=None):
    """One case of the worker's; `record(worker, case)` adds one row of the tab."""

    def listing():
        worker = SocialWorkerFactory()
        case = new_case(worker)
        if api_params is None:
            url = reverse(url_name, args=[case.pk])
        else:
            url = reverse(url_name) + f"?case={case.pk}"
        return Listing(worker.user, url, lambda n: times(n, lambda: record(worker, case)))

    return listing


def interview(worker, case):
    from polesocial.casework.services import records

    records.interview_record(
        actor=worker.user,
        case=case,
        occurred_on=DAY,
        place="phone",
        duration_minutes=30,
        employer=case.employee.employer,
        notes="Point sur le budget.",
    )


def objective_and_action(worker, case):
    from polesocial.casework.services import records

    objective = records.objective_add(actor=worker.user, case=case, title="Objectif")
    records.action_add(actor=worker.user, objective=objective, description="Action", due_on=DAY)


def orientation(worker, case):
    from polesocial.casework.services import records

    records.orientation_record(
        actor=worker.user, case=case, partner=PartnerFactory(), oriented_on=DAY, purpose="Logement"
    )


def document(worker, case):
    from polesocial.casework.services import records

    records.document_upload(actor=worker.user, case=case, name="avis.pdf", data=b"%PDF-1.4 avis")


def history(worker, case):
    from polesocial.privacy.audit import audit_log

    # Someone else each time, so that each row names its own actor.
    audit_log(actor=UserFactory(), action=AuditAction.CASE_READ, target=case, subject=case)


# --- Collective work ------------------------------------------------------------------------


def collective(url_name, record):
    """Records of the worker's, for an employer of her team."""

    def listing():
        worker = SocialWorkerFactory()

        def add(n):
            for _ in range(n):
                record(worker, EmployerFactory(team=worker.team))

        return Listing(worker.user, reverse(url_name), add)

    return listing


def action(worker, employer):
    from tests.collective.conftest import make_action

    make_action(worker, [(employer, 12)], partners=[PartnerFactory()])


def meeting(worker, employer):
    from tests.collective.conftest import make_meeting

    make_meeting(worker, employer)


def alert(worker, employer):
    from polesocial.collective.services import alert_create

    alert_create(
        actor=worker.user,
        worker=worker,
        employer=employer,
        addressees=[contact_of(employer)],
        raised_on=DAY,
        risk="reorganisation",
        description="La fusion de deux services inquiète les équipes.",
    )


# --- Directory ----------------------------------------------------------------------------


def partner_list():
    return Listing(
        UserFactory(role=Role.SOCIAL_WORKER),
        reverse("directory:partner_list"),
        lambda n: times(n, PartnerFactory),
    )


# --- Material aid ------------------------------------------------------------------------


def aid_request(worker, case):
    from tests.aid.helpers import draft

    draft(worker, case=case)


def aid_budget_list():
    from polesocial.aid.models import AidBudget

    years = itertools.count(2000)
    return Listing(
        UserFactory(role=Role.BILLING),
        reverse("aid:budget_list"),
        lambda n: times(n, lambda: AidBudget.objects.create(
            funder="operator", year=next(years), allocated="1000.00"
        )),
    )  # fmt: skip


def aid_scheme_list_api():
    from tests.aid.helpers import scheme

    return Listing(
        UserFactory(role=Role.SOCIAL_WORKER),
        reverse("api:aid-scheme-list"),
        lambda n: times(n, scheme),
    )


def aid_budget_list_api():
    listing = aid_budget_list()
    listing.url = reverse("api:aid-budget-list")
    return listing


def aid_session_list_api():
    listing = aid_session_list()
    listing.url = reverse("api:aid-session-list")
    return listing


def aid_session_list():
    from tests.aid.helpers import session_with

    return Listing(
        UserFactory(role=Role.COUNSELLOR),
        reverse("aid:session_list"),
        lambda n: times(n, lambda: session_with([])),
    )


def aid_committee_list():
    from polesocial.aid import services
    from tests.aid.helpers import member

    counsellor = UserFactory(role=Role.COUNSELLOR)
    return Listing(
        counsellor,
        reverse("aid:committee_list"),
        lambda n: times(n, lambda: services.committee_create(
            actor=counsellor, name="Commission", scope="operator", members=[member(), member()]
        )),
    )  # fmt: skip


# --- Time and billing ---------------------------------------------------------------------


def invoice(employer):
    """An issued first-quarter invoice of `employer`, for 90 minutes of interviews."""
    from polesocial.billing import services
    from polesocial.billing.models import TimeEntry

    ConventionFactory(employer=employer, active=True)
    worker = SocialWorkerFactory(team=employer.team)
    TimeEntry.objects.create(
        worker=worker, employer=employer, date=DAY, minutes=90, kind="interview"
    )
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=1, employers=[employer])
    return services.invoice_issue(actor=None, invoice=draft)


def invoices(url_name, suffix=""):
    def listing():
        return Listing(
            UserFactory(role=Role.BILLING),
            reverse(url_name) + suffix,
            lambda n: times(n, lambda: invoice(EmployerFactory())),
        )

    return listing


def my_invoices():
    contact = contact_of(EmployerFactory())

    def invoice_of_another_employer():  # one invoice per employer and period
        employer = EmployerFactory()
        employer.accounts.add(contact)
        invoice(employer)

    return Listing(
        contact, reverse("billing:my_invoices"), lambda n: times(n, invoice_of_another_employer)
    )


def time_entries(url_name, suffix=""):
    """The worker's entries, each for an employer of her team."""

    def listing():
        from polesocial.billing.services import time_entry_add

        worker = SocialWorkerFactory()

        def add(n):
            for _ in range(n):
                time_entry_add(
                    actor=worker.user,
                    worker=worker,
                    employer=EmployerFactory(team=worker.team),
                    day=DAY,
                    minutes=45,
                    kind="interview",
                )

        return Listing(worker.user, reverse(url_name) + suffix, add)

    return listing


def fte_dashboard():
    listing = fte_shares("billing:fte_dashboard", "?annee=2026")()
    return listing


# --- Reports --------------------------------------------------------------------------------


def reports_index():
    team = TeamFactory()

    def add(n):
        for _ in range(n):
            SocialWorkerFactory(team=team)
            EmployerFactory(team=team)

    return Listing(team.counsellor, reverse("reports:index"), add)


def appointments(url_name):
    """The secretary's teams' drop-in dates (each with a slot booked) or appointments."""

    def listing():
        from django.utils import timezone

        from polesocial.appointments.models import (
            Appointment,
            DropInOccurrence,
            DropInSession,
            SecretaryTeam,
        )

        secretary = UserFactory(role=Role.SECRETARY)
        worker = SocialWorkerFactory()
        SecretaryTeam.objects.create(secretary=secretary, team=worker.team)
        days = itertools.count(1)

        def add(n):
            for _ in range(n):
                employer = EmployerFactory(team=worker.team)
                start = timezone.now() + dt.timedelta(days=next(days))
                session = DropInSession.objects.create(
                    worker=worker, employer=employer, site="Mairie", starts_on=start.date(),
                    ends_on=start.date(), start_time=dt.time(9), end_time=dt.time(12),
                    created_by=worker.user,
                )  # fmt: skip
                occurrence = DropInOccurrence.objects.create(
                    session=session, worker=worker, start=start, end=start + dt.timedelta(hours=3)
                )
                Appointment.objects.create(
                    worker=worker, employer=employer, person_name="Jules Martin", start=start,
                    end=start + dt.timedelta(minutes=30), place="drop_in_site",
                    occurrence=occurrence, booked_by=secretary,
                )  # fmt: skip

        return Listing(secretary, reverse(url_name), add)

    return listing


PAGES = {
    "appointments:drop_in_list": appointments("appointments:drop_in_list"),
    "core:home (social worker)": worker_home,
    "core:home (counsellor)": counsellor_home,
    "users:list": users_list,
    "privacy:audit_list": audit_list,
    "privacy:archivist_list": archivist_list,
    "casework:archive_list": archive_list,
    "notifications:list": notification_list,
    "tokens:list": tokens("tokens:list"),
    "organisations:employer_list": employers("organisations:employer_list"),
    "organisations:team_list": team_list,
    "organisations:team_admin_list": team_admin_list,
    "organisations:fte_plan": fte_shares("organisations:fte_plan", "?annee=2026"),
    "organisations:replacement_list": replacement_list,
    "organisations:interim_list": interim_list,
    "organisations:label_list": label_list,
    "casework:case_list": cases("casework:case_list"),
    "casework:referral_sent": referrals_sent("casework:referral_sent"),
    "casework:queue (social worker)": queue(Role.SOCIAL_WORKER),
    "casework:queue (counsellor)": queue(Role.COUNSELLOR),
    "casework:caseloads": caseloads,
    "casework:case_history": case_records("casework:case_history", history),
    "casework:case_interviews": case_records("casework:case_interviews", interview),
    "casework:case_plan": case_records("casework:case_plan", objective_and_action),
    "casework:case_orientations": case_records("casework:case_orientations", orientation),
    "casework:case_documents": case_records("casework:case_documents", document),
    "casework:mobility_list": handoffs("casework:mobility_list"),
    "collective:action_list": collective("collective:action_list", action),
    "collective:meeting_list": collective("collective:meeting_list", meeting),
    "collective:alert_list": collective("collective:alert_list", alert),
    "directory:partner_list": partner_list,
    "aid:case_aid": case_records("aid:case_aid", aid_request),
    "aid:budget_list": aid_budget_list,
    "aid:session_list": aid_session_list,
    "aid:committee_list": aid_committee_list,
    "billing:invoice_list": invoices("billing:invoice_list", "?annee=2026&trimestre=1"),
    "billing:my_invoices": my_invoices,
    "billing:my_time": time_entries("billing:my_time", f"?semaine={DAY.isoformat()}"),
    "billing:fte_dashboard": fte_dashboard,
    "reports:index": reports_index,
}

API_LISTS = {
    "api:appointment-list": appointments("api:appointment-list"),
    "api:aid-scheme-list": aid_scheme_list_api,
    "api:aid-budget-list": aid_budget_list_api,
    "api:aid-session-list": aid_session_list_api,
    "api:token-list": tokens("api:token-list"),
    "api:employer-list": employers("api:employer-list"),
    "api:headcount-list": employers("api:headcount-list"),
    "api:convention-list": employers("api:convention-list"),
    "api:team-list": team_list_api,
    "api:fte-share-list": fte_shares("api:fte-share-list"),
    "api:referral-list": referral_list_api,
    "api:referral-sent": referrals_sent("api:referral-sent"),
    "api:employee-list": cases("api:employee-list"),
    "api:case-list": cases("api:case-list"),
    "api:handoff-list": handoffs("api:handoff-list"),
    "api:interview-list": case_records("api:interview-list", interview, api_params=True),
    "api:plan-objective-list": case_records(
        "api:plan-objective-list", objective_and_action, api_params=True
    ),
    "api:plan-action-list": case_records(
        "api:plan-action-list", objective_and_action, api_params=True
    ),
    "api:orientation-list": case_records("api:orientation-list", orientation, api_params=True),
    "api:collective-action-list": collective("api:collective-action-list", action),
    "api:body-meeting-list": collective("api:body-meeting-list", meeting),
    "api:alert-list": collective("api:alert-list", alert),
    "api:invoice-list": invoices("api:invoice-list"),
    "api:time-entry-list": time_entries("api:time-entry-list"),
}


def test_every_list_has_an_entry():
    """Every URL named as a list (`…list`, `…-list`) and every API list has an entry here."""
    lists = {name for name in MATRIX if name.endswith("list")}
    covered = {name.split(" (")[0] for name in [*PAGES, *API_LISTS]}
    assert lists - covered == set()
    assert len(lists) >= 30, "the URL names changed: look for the lists again"


@pytest.mark.parametrize("name", PAGES)
def test_a_list_page_costs_the_same_sql_for_few_or_many_rows(
    client, assert_queries_do_not_grow, name
):
    listing = PAGES[name]()
    sign_in(client, listing.user)
    assert_queries_do_not_grow(lambda: client.get(listing.url), listing.add)


@pytest.mark.parametrize("name", API_LISTS)
def test_an_api_list_costs_the_same_sql_for_few_or_many_rows(
    client, assert_queries_do_not_grow, name
):
    listing = API_LISTS[name]()
    sign_in(client, listing.user)
    assert_queries_do_not_grow(lambda: client.get(listing.url), listing.add)
