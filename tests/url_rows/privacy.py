"""Rows for the DPO's screens (privacy/urls: journal, archive authorisations), the
subject-access search and the archive (casework/urls).

The archive answers 404 to everyone here: no column holds the `archivist` authorisation the
DPO grants, and without it an archived case is as absent as any other (the authorised path
is in tests/casework/test_archive.py).
"""

import datetime as dt

from tests.url_rows import R, only, row

ROWS = {
    "privacy:audit_list": ("GET", None, only(R.DPO)),
    "privacy:archivist_list": ("GET", None, only(R.DPO)),
    "privacy:archivist_revoke": ("POST", "archivist_grant", only(R.DPO, ok=302)),
    "casework:subject_access": ("GET", None, only(R.DPO)),
    # An employee's requests about his data: the DPO's screens (an empty post is sent back
    # with a message, 302; the balancing form is shown again with its errors, 200).
    "casework:subject_request_create": ("POST", None, only(R.DPO, ok=302)),
    "casework:erasure_request_create": ("POST", None, only(R.DPO, ok=302)),
    "casework:subject_request_detail": ("GET", "subject_request", only(R.DPO)),
    "casework:subject_request_prepare": ("POST", "subject_request", only(R.DPO, ok=302)),
    "casework:subject_request_balance": ("POST", "subject_request", only(R.DPO)),
    "casework:subject_request_release": ("POST", "subject_request", only(R.DPO, ok=302)),
    # Before release, the download sends the DPO back to the request with a message.
    "casework:subject_request_download": ("GET", "subject_request", only(R.DPO, ok=302)),
    "casework:erasure_request_detail": ("GET", "erasure_request", only(R.DPO)),
    # The prepared export is read by the worker the request names: hers for a social worker
    # column, another worker's (404, as absent) for every other role.
    "casework:subject_request_review": (
        "GET",
        "request_to_review",
        row(404) | {R.SOCIAL_WORKER: 200},
    ),
    "casework:archive_list": ("GET", None, row(404)),
    "casework:archive_open": ("POST", "archived_case", row(404)),
}


def archived_case(granted_to=None):
    """A closed case of some worker, moved to the archive; `granted_to` (a worker or a
    counsellor) is made an archivist by a DPO."""
    from polesocial.casework.enums import CaseStatus
    from polesocial.casework.models import Case
    from polesocial.privacy.services import archivist_grant
    from polesocial.users.enums import Role
    from tests.factories import SocialWorkerFactory, UserFactory, open_case_for

    case = open_case_for(SocialWorkerFactory())
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_on=case.opened_on, archived_on=dt.date(2026, 4, 1)
    )
    if granted_to is not None:
        archivist_grant(actor=UserFactory(role=Role.DPO), user=granted_to)
    return Case.objects.get(pk=case.pk)


def _grant(user):
    from polesocial.privacy.services import archivist_grant
    from polesocial.users.enums import Role
    from tests.factories import UserFactory

    dpo = user if user is not None and user.role == Role.DPO else UserFactory(role=Role.DPO)
    grant = archivist_grant(actor=dpo, user=UserFactory(role=Role.SOCIAL_WORKER))
    return {"pk": grant.pk}


def _dpo(user):
    from polesocial.users.enums import Role
    from tests.factories import UserFactory

    return user if user is not None and user.role == Role.DPO else UserFactory(role=Role.DPO)


def subject_request(user=None, *, prepared_for=None):
    """A subject-access request about some worker's employee, received by a DPO; prepared
    (the review asked of that worker) when `prepared_for` is a social worker's account."""
    from django.utils import timezone

    from polesocial.casework.services import data_requests
    from tests.factories import SocialWorkerFactory, open_case_for

    if prepared_for is not None:
        from polesocial.organisations.models import SocialWorker

        worker = SocialWorker.objects.filter(user=prepared_for).first()
        worker = worker or SocialWorkerFactory(user=prepared_for)
    else:
        worker = SocialWorkerFactory()
    dpo = _dpo(user)
    case = open_case_for(worker)
    request = data_requests.subject_request_receive(
        actor=dpo, employee=case.employee, received_on=timezone.localdate()
    )
    if prepared_for is not None:
        request = data_requests.subject_request_prepare(actor=dpo, request=request)
    return request


def _to_review(user):
    from polesocial.users.enums import Role
    from tests.factories import SocialWorkerFactory

    if user is not None and user.role == Role.SOCIAL_WORKER:
        return {"pk": subject_request(prepared_for=user).pk}
    return {"pk": subject_request(prepared_for=SocialWorkerFactory().user).pk}


def erasure_request(user=None):
    from django.utils import timezone

    from polesocial.casework.services import data_requests
    from tests.factories import SocialWorkerFactory, open_case_for

    case = open_case_for(SocialWorkerFactory())
    return data_requests.erasure_request_receive(
        actor=_dpo(user), employee=case.employee, received_on=timezone.localdate()
    )


BUILDERS: dict = {
    "subject_request": lambda user: {"pk": subject_request(user).pk},
    "request_to_review": _to_review,
    "erasure_request": lambda user: {"pk": erasure_request(user).pk},
    "archivist_grant": _grant,
    "archived_case": lambda user: {"pk": archived_case().pk},
}


def reviewed_request(user=None):
    """A request reviewed by its worker and balanced by the DPO: ready for release."""
    from polesocial.casework.services import data_requests
    from tests.factories import SocialWorkerFactory

    worker = SocialWorkerFactory()
    request = subject_request(user, prepared_for=worker.user)
    data_requests.subject_request_review(actor=worker.user, request=request, redactions=[])
    return data_requests.subject_request_balance(
        actor=_dpo(user), request=request, disclose=False, motive=MOTIVE
    )


MOTIVE = "Aucun intérêt légitime à connaître les noms n'a été démontré."
