"""Rows for referrals, the triage queue, dashboards and caseloads (casework/urls_referrals).

Written from the access rules: senders (HR contact, physician) and the operator's staff who
triage may send a referral; the team's workers and the counsellor use the queue (workers
take, the counsellor assigns); only the worker the referral is assigned to opens it (any
other worker finds it absent: 404); the counsellor alone reads caseloads and transfers them.
POSTs are sent with an empty body: a form re-rendered with its French errors answers 200.
"""

from tests.url_rows import R, only, row

# The secretary records a referral on behalf of a caller (intake by phone, issue 16).
SENDERS = (R.EMPLOYER_CONTACT, R.PHYSICIAN, R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY)

ROWS = {
    "casework:referral_create": ("GET", None, only(*SENDERS)),
    "casework:referral_sent": ("GET", None, only(*SENDERS)),
    "casework:queue": ("GET", None, only(R.SOCIAL_WORKER, R.COUNSELLOR)),
    # An unassigned referral of her team's queue: she takes it and goes to it.
    "casework:referral_take": ("POST", "in_her_queue", only(R.SOCIAL_WORKER, ok=302)),
    # The counsellor's team's referral; no worker chosen: back to the queue with a message.
    "casework:referral_assign": ("POST", "in_her_queue", only(R.COUNSELLOR, ok=302)),
    # Assigned to her: she reads it.
    "casework:referral_detail": ("GET", "hers", only(R.SOCIAL_WORKER)),
    # Assigned to a colleague of her team: absent, exactly like a missing referral.
    "casework:referral_assess": ("POST", "someone_elses", only(R.SOCIAL_WORKER, ok=404)),
    # Hers, not yet assessed: the forms answer with their French errors.
    "casework:referral_consent": ("POST", "hers", only(R.SOCIAL_WORKER)),
    "casework:referral_case_open": ("POST", "hers", only(R.SOCIAL_WORKER)),
    # The public page: open to anyone, signed in or not (the employee has no account).
    "casework:self_referral": ("GET", None, row(200, anon=200)),
    "casework:self_referral_sent": ("GET", None, row(200, anon=200)),
    # A request from the public page, hers: marked as abuse, back to the queue.
    "casework:referral_mark_spam": ("POST", "hers", only(R.SOCIAL_WORKER, ok=302)),
    "casework:caseloads": ("GET", None, only(R.COUNSELLOR)),
    "casework:caseload_transfer": ("POST", None, only(R.COUNSELLOR)),
}


def _referral(employer=None):
    from polesocial.casework.services.referrals import referral_create
    from tests.factories import EmployerFactory

    return referral_create(
        actor=None,
        employer=employer or EmployerFactory(),
        source="employee",
        reason="Motif confidentiel",
        person_last_name="Agent",
        person_first_name="Anonyme",
    )


def _hers(user):
    """Assigned to the signed-in worker (made a SocialWorker); anyone else's otherwise."""
    from polesocial.casework.services.referrals import referral_assign
    from tests.factories import SocialWorkerFactory

    referral = _referral()
    if user is not None and user.role == R.SOCIAL_WORKER:
        worker = SocialWorkerFactory(user=user, team=referral.employer.team)
        referral_assign(actor=user, referral=referral, worker=worker)
    return {"pk": referral.pk}


def _someone_elses(user):
    """Assigned to a colleague of the signed-in worker's team."""
    from polesocial.casework.services.referrals import referral_assign
    from tests.factories import SocialWorkerFactory

    referral = _referral()
    if user is not None and user.role == R.SOCIAL_WORKER:
        SocialWorkerFactory(user=user, team=referral.employer.team)
    colleague = SocialWorkerFactory(team=referral.employer.team)
    referral_assign(actor=colleague.user, referral=referral, worker=colleague)
    return {"pk": referral.pk}


def _in_her_queue(user):
    """Unassigned, for an employer of her team (worker) or of a team she leads."""
    from tests.factories import EmployerFactory, SocialWorkerFactory, TeamFactory

    employer = None
    if user is not None and user.role == R.SOCIAL_WORKER:
        employer = EmployerFactory(team=SocialWorkerFactory(user=user).team)
    elif user is not None and user.role == R.COUNSELLOR:
        employer = EmployerFactory(team=TeamFactory(counsellor=user))
    return {"pk": _referral(employer).pk}


BUILDERS = {"hers": _hers, "someone_elses": _someone_elses, "in_her_queue": _in_her_queue}
