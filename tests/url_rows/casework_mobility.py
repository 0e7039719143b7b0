"""Rows for the mobility hand-off (casework/views/mobility.py, casework/api/mobility.py).

The case's « Mobilité » tab and its writes are the worker in charge's (every other role:
404, like an absent case). The adviser's pages are his: the list for the mobility adviser
only (403 for others), a hand-off made to him 200 (404 for every other role, and for an
adviser it was not made to). POSTs with an empty body: the form again with its errors.
By API: the worker in charge ends her hand-off (every other role: 404, like an absent one);
the adviser posts his follow-up on a hand-off made to him (empty: 400); signed out, 401.
"""

from tests.url_rows import R, only

CASE_PAGE = only(R.SOCIAL_WORKER, others=404)

ROWS = {
    "casework:case_mobility": ("GET", "her_case_with_mobility_consent", CASE_PAGE),
    "casework:handoff_create": ("POST", "her_case_with_mobility_consent", CASE_PAGE),
    "casework:handoff_end": (
        "POST",
        "her_handoff",
        only(R.SOCIAL_WORKER, ok=302, others=404),
    ),
    "casework:mobility_list": ("GET", None, only(R.MOBILITY_ADVISER)),
    "casework:mobility_detail": ("GET", "handed_to_him", only(R.MOBILITY_ADVISER, others=404)),
    "casework:mobility_follow_up_add": (
        "POST",
        "handed_to_him",
        only(R.MOBILITY_ADVISER, others=404),
    ),
    "api:handoff-end": ("POST", "her_handoff_api", only(R.SOCIAL_WORKER, others=404, anon=401)),
    "api:handoff-follow-up": (
        "POST",
        "handed_to_him",
        only(R.MOBILITY_ADVISER, ok=400, others=404, anon=401),
    ),
}


def _case_with_consent(worker_user=None):
    """An open case whose consent covers the mobility adviser; hers when she is a worker."""
    from polesocial.casework.models import Consent
    from tests.factories import SocialWorkerFactory, open_case_for

    if worker_user is not None and worker_user.role == R.SOCIAL_WORKER:
        worker = getattr(worker_user, "social_worker", None) or SocialWorkerFactory(
            user=worker_user
        )
    else:
        worker = SocialWorkerFactory()
    case = open_case_for(worker)
    Consent.objects.filter(pk=case.consent_id).update(scope=["mobility_adviser"])
    return case


def _her_case(user):
    return {"pk": _case_with_consent(user).pk}


def _handoff(case, adviser=None):
    from polesocial.casework.services.mobility import handoff_create
    from tests.factories import UserFactory

    adviser = adviser or UserFactory(role=R.MOBILITY_ADVISER)
    return handoff_create(
        actor=case.worker.user, case=case, adviser=adviser, kind="share", note="Note de relais"
    )


def _her_handoff(user):
    case = _case_with_consent(user)
    return {"pk": case.pk, "handoff_pk": _handoff(case).pk}


def _her_handoff_api(user):
    return {"pk": _her_handoff(user)["handoff_pk"]}


def _handed_to_him(user):
    adviser = user if user is not None and user.role == R.MOBILITY_ADVISER else None
    return {"pk": _handoff(_case_with_consent(), adviser).pk}


BUILDERS = {
    "her_case_with_mobility_consent": _her_case,
    "her_handoff": _her_handoff,
    "her_handoff_api": _her_handoff_api,
    "handed_to_him": _handed_to_him,
}
