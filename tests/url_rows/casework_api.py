"""Rows for the casework API (casework/api/), written from the access rules.

Case work is read and written by social workers only (`casework`): every other role gets
403 on a collection and 404 on a URL naming one object (a case, an interview, an employee
out of reach answers like an absent one, as on the screens). The builders give a signed-in social
worker an object of her own case, so her column reads 200; another worker's object would
be 404 (tests/casework/test_api_*.py covers that). Posting without a body is a 400 for whoever
may post. Sending a referral and reading one's receipts is open to the roles that send
(`referral_send`). Signed out, the API answers 401 in JSON.
"""

from tests.url_rows import R, only

CASEWORK = only(R.SOCIAL_WORKER, anon=401)
# A worker posting nothing, or listing a case's records without naming the case.
CASEWORK_400 = only(R.SOCIAL_WORKER, ok=400, anon=401)
# One object: hers for the worker, absent for every other role.
OBJECT = only(R.SOCIAL_WORKER, others=404, anon=401)
OBJECT_400 = only(R.SOCIAL_WORKER, ok=400, others=404, anon=401)

ROWS = {
    # The mobility hand-offs: the worker in charge and the mobility adviser list theirs.
    "api:handoff-list": ("GET", None, only(R.SOCIAL_WORKER, R.MOBILITY_ADVISER, anon=401)),
    "api:referral-list": ("GET", None, CASEWORK),
    "api:referral-detail": ("GET", "api_referral", OBJECT),
    "api:referral-sent": (
        "GET",
        None,
        only(
            R.EMPLOYER_CONTACT,
            R.PHYSICIAN,
            R.SOCIAL_WORKER,
            R.COUNSELLOR,
            R.SECRETARY,
            anon=401,
        ),
    ),
    "api:referral-assess": ("POST", "api_referral", OBJECT_400),
    "api:referral-consent": ("POST", "api_referral", OBJECT_400),
    "api:employee-list": ("GET", None, CASEWORK),
    "api:employee-detail": ("GET", "api_employee", OBJECT),
    "api:case-list": ("GET", None, CASEWORK),
    "api:case-detail": ("GET", "api_case", OBJECT),
    "api:case-close": ("POST", "api_case", OBJECT_400),
    # The case is open: it cannot be reopened.
    "api:case-reopen": ("POST", "api_case", OBJECT_400),
    "api:interview-list": ("GET", None, CASEWORK_400),
    "api:interview-detail": ("GET", "api_interview", OBJECT),
    "api:plan-objective-list": ("GET", None, CASEWORK_400),
    "api:plan-objective-detail": ("GET", "api_objective", OBJECT),
    "api:plan-action-list": ("GET", None, CASEWORK_400),
    "api:plan-action-detail": ("GET", "api_action", OBJECT),
    "api:orientation-list": ("GET", None, CASEWORK_400),
    "api:orientation-detail": ("GET", "api_orientation", OBJECT),
}


def _case(user):
    """A case of the signed-in worker, or of someone else for any other column."""
    from tests.factories import SocialWorkerFactory, open_case_for

    if user is not None and user.role == R.SOCIAL_WORKER:
        return open_case_for(SocialWorkerFactory(user=user))
    return open_case_for(SocialWorkerFactory())


def _case_kwargs(user):
    return {"pk": _case(user).pk}


def _referral(user):
    return {"pk": _case(user).referral_id}


def _employee(user):
    from polesocial.casework.serializers import employee_reference

    return {"pk": employee_reference(_case(user).employee_id)}


def _interview(user):
    import datetime as dt

    from polesocial.casework.services.records import interview_record

    case = _case(user)
    interview = interview_record(
        actor=case.worker.user,
        case=case,
        occurred_on=dt.date(2026, 3, 9),
        place="phone",
        duration_minutes=30,
    )
    return {"pk": interview.pk}


def _objective(user):
    from polesocial.casework.services.records import objective_add

    case = _case(user)
    return {"pk": objective_add(actor=case.worker.user, case=case, title="Objectif").pk}


def _action(user):
    from polesocial.casework.services.records import action_add, objective_add

    case = _case(user)
    objective = objective_add(actor=case.worker.user, case=case, title="Objectif")
    return {"pk": action_add(actor=case.worker.user, objective=objective, description="A").pk}


def _orientation(user):
    import datetime as dt

    from polesocial.casework.services.records import orientation_record
    from tests.factories import PartnerFactory

    case = _case(user)
    orientation = orientation_record(
        actor=case.worker.user,
        case=case,
        partner=PartnerFactory(),
        oriented_on=dt.date(2026, 3, 10),
        purpose="Logement",
    )
    return {"pk": orientation.pk}


BUILDERS = {
    "api_referral": _referral,
    "api_employee": _employee,
    "api_case": _case_kwargs,
    "api_interview": _interview,
    "api_objective": _objective,
    "api_action": _action,
    "api_orientation": _orientation,
}
