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


BUILDERS: dict = {
    "archivist_grant": _grant,
    "archived_case": lambda user: {"pk": archived_case().pk},
}
