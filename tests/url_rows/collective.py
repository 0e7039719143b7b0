"""Rows for collective work: collective actions, body meetings, vigilance alerts.

Written from the access rules (ARCHITECTURE.md §1, SCREENS.md): social workers record
collective work and read their team's; the counsellor reads her teams'; an employer contact
reads his employer's actions and body meetings and the alerts addressed to him; nobody
else uses these screens (403). Only the worker who recorded a record changes it: a
colleague of her team reads it but may not change it (403). Builders make each record
readable by the signed-in column ("in scope"): one of her team's employers for a worker,
of a team she leads for a counsellor, his own employer (and addressed to him) for a
contact; others get a record of a stranger employer (403 before any lookup). POSTs carry an
empty body: a form re-rendered with its French errors answers 200.
"""

from tests.url_rows import R, only

READERS = (R.SOCIAL_WORKER, R.COUNSELLOR, R.EMPLOYER_CONTACT)
WORKER = (R.SOCIAL_WORKER,)

ROWS = {
    # Lists: every reader, her own rows (scope table); the rest 403.
    "collective:action_list": ("GET", None, only(*READERS)),
    "collective:meeting_list": ("GET", None, only(*READERS)),
    "collective:alert_list": ("GET", None, only(*READERS)),
    # Recording: social workers with a team.
    "collective:action_create": ("GET", "collective_recorder", only(*WORKER)),
    "collective:meeting_create": ("GET", "collective_recorder", only(*WORKER)),
    # First step of an alert: the employer to choose.
    "collective:alert_create": ("GET", "collective_recorder", only(*WORKER)),
    # Details: whoever has the record in scope.
    "collective:action_detail": ("GET", "collective_action_in_scope", only(*READERS)),
    "collective:meeting_detail": ("GET", "collective_meeting_in_scope", only(*READERS)),
    "collective:alert_detail": ("GET", "collective_alert_in_scope", only(*READERS)),
    # Changes: the worker who recorded it; the counsellor and the contact only read.
    "collective:action_update": ("GET", "collective_action_in_scope", only(*WORKER)),
    "collective:alert_update": ("GET", "collective_alert_in_scope", only(*WORKER)),
    # A colleague's meeting, of her own team: she reads it, she may not change it.
    "collective:meeting_update": (
        "GET",
        "collective_meeting_of_colleague",
        only(*WORKER, ok=403),
    ),
    # Documents: no file sent, the detail page answers with the message beside the field.
    "collective:document_upload": ("POST", "collective_action_in_scope", only(*WORKER)),
    "collective:document_download": ("GET", "collective_document_in_scope", only(*READERS)),
    "collective:document_delete": ("POST", "collective_document_in_scope", only(*WORKER, ok=302)),
    # API: the same readers; 401 in JSON when signed out.
    "api:collective-action-list": ("GET", None, only(*READERS, anon=401)),
    "api:collective-action-detail": (
        "GET",
        "collective_action_in_scope",
        only(*READERS, anon=401),
    ),
    "api:body-meeting-list": ("GET", None, only(*READERS, anon=401)),
    "api:body-meeting-detail": ("GET", "collective_meeting_in_scope", only(*READERS, anon=401)),
    "api:alert-list": ("GET", None, only(*READERS, anon=401)),
    "api:alert-detail": ("GET", "collective_alert_in_scope", only(*READERS, anon=401)),
}


def _employer_in_scope(user):
    """An employer the signed-in user reads collective work of, and the worker recording.

    Worker: her team's employer, the record hers. Counsellor: an employer of a team she
    leads. Contact: his own employer. Anyone else: a stranger employer.
    """
    from tests.factories import EmployerFactory, SocialWorkerFactory, TeamFactory

    role = getattr(user, "role", None)
    if role == R.SOCIAL_WORKER:
        worker = SocialWorkerFactory(user=user)
        return EmployerFactory(team=worker.team), worker
    if role == R.COUNSELLOR:
        employer = EmployerFactory(team=TeamFactory(counsellor=user))
    else:
        employer = EmployerFactory()
    if role == R.EMPLOYER_CONTACT:
        employer.accounts.add(user)
    return employer, SocialWorkerFactory(team=employer.team)


def _action(employer, worker):
    import datetime as dt

    from polesocial.collective.services import collective_action_create

    return collective_action_create(
        actor=worker.user,
        worker=worker,
        employers=[(employer, 12)],
        title="Préparer sa retraite",
        kind="information_meeting",
        theme="retirement",
        starts_on=dt.date(2026, 3, 10),
        duration_minutes=120,
    )


def _meeting(employer, worker):
    import datetime as dt

    from polesocial.collective.services import body_meeting_create

    return body_meeting_create(
        actor=worker.user,
        worker=worker,
        employer=employer,
        body="clas",
        held_on=dt.date(2026, 4, 2),
        duration_minutes=90,
        topics="Plan d'action sociale 2026.",
    )


def _recorder(user):
    from tests.factories import SocialWorkerFactory

    if getattr(user, "role", None) == R.SOCIAL_WORKER:
        SocialWorkerFactory(user=user)
    return {}


def _action_in_scope(user):
    return {"pk": _action(*_employer_in_scope(user)).pk}


def _meeting_in_scope(user):
    return {"pk": _meeting(*_employer_in_scope(user)).pk}


def _meeting_of_colleague(user):
    from tests.factories import SocialWorkerFactory

    employer, worker = _employer_in_scope(user)
    colleague = SocialWorkerFactory(team=worker.team)
    return {"pk": _meeting(employer, colleague).pk}


def _alert_in_scope(user):
    import datetime as dt

    from polesocial.collective.services import alert_create
    from tests.factories import UserFactory

    employer, worker = _employer_in_scope(user)
    if getattr(user, "role", None) == R.EMPLOYER_CONTACT:
        contact = user
    else:
        contact = UserFactory(role=R.EMPLOYER_CONTACT)
        employer.accounts.add(contact)
    alert = alert_create(
        actor=worker.user,
        worker=worker,
        employer=employer,
        addressees=[contact],
        raised_on=dt.date(2026, 5, 4),
        risk="reorganisation",
        description="La fusion de deux services inquiète les équipes techniques.",
    )
    return {"pk": alert.pk}


def _document_in_scope(user):
    from polesocial.collective.services import action_document_add

    action = _action(*_employer_in_scope(user))
    document = action_document_add(
        actor=action.worker.user, action=action, name="programme.pdf", data=b"%PDF-1.4 demo"
    )
    return {"pk": action.pk, "document_pk": document.pk}


BUILDERS = {
    "collective_recorder": _recorder,
    "collective_action_in_scope": _action_in_scope,
    "collective_meeting_in_scope": _meeting_in_scope,
    "collective_meeting_of_colleague": _meeting_of_colleague,
    "collective_alert_in_scope": _alert_in_scope,
    "collective_document_in_scope": _document_in_scope,
}
