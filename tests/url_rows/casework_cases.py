"""Rows for the case page and its tabs (casework/urls_cases).

The rule, from ARCHITECTURE.md §1 and §3: a case's content is read by the worker in charge
(and her active replacement) only; for every other role, and for another worker, any URL
naming a case is 404, exactly like an absent case. The list of one's own cases is a screen
of the `casework` feature: 403 for the roles without it.

Builders: for a social worker column, the case is hers (she is made the worker in charge),
so the column proves the page works (200; 302 after a successful write); for every other
column it is some worker's case, and 404 proves the secrecy. POST rows send an empty body:
a form page answers 200 with its errors beside the fields, a one-click row action
redirects (302) with a message.
"""

import tempfile

from django.test import override_settings

from tests.url_rows import R, only, row

PDF = b"%PDF-1.4 attestation"


def hers(ok: int = 200) -> dict:
    """Reached by the social worker whose case it is; 404 for every other role."""
    return row(404) | {R.SOCIAL_WORKER: ok}


ROWS = {
    "casework:case_list": ("GET", None, only(R.SOCIAL_WORKER)),
    "casework:case_detail": ("GET", "own_case", hers()),
    "casework:case_update": ("GET", "own_case", hers()),
    # Empty forms: redisplayed with their errors (200).
    "casework:case_close": ("POST", "own_case", hers()),
    "casework:case_reopen": ("POST", "own_case", hers()),
    "casework:consent_withdraw": ("POST", "own_case", hers()),
    "casework:identity_correct": ("POST", "own_case", hers()),
    # Another worker's case, even for a social worker: giving away a case one does not hold
    # must find nothing (the worker-in-charge path is in tests/casework/test_case_views.py).
    "casework:case_transfer": ("POST", "someone_elses_case", row(404)),
    "casework:case_history": ("GET", "own_case", hers()),
    "casework:case_interviews": ("GET", "own_case", hers()),
    "casework:interview_create": ("POST", "own_case", hers()),
    "casework:case_plan": ("GET", "own_case", hers()),
    "casework:objective_add": ("POST", "own_case", hers()),
    "casework:action_add": ("POST", "own_case", hers()),
    # One-click row actions: an incomplete post is refused with a message, then back (302).
    "casework:plan_item_status": ("POST", "own_case", hers(302)),
    "casework:case_orientations": ("GET", "own_case", hers()),
    "casework:orientation_add": ("POST", "own_case", hers()),
    "casework:orientation_result": ("POST", "own_orientation", hers(302)),
    "casework:case_documents": ("GET", "own_case", hers()),
    "casework:document_upload": ("POST", "own_case", hers()),
    "casework:document_download": ("GET", "own_document", hers()),
}


def _case_for(user):
    """A case held by `user` when she is a social worker, else by some other worker."""
    from tests.factories import SocialWorkerFactory, open_case_for

    if user is not None and user.role == R.SOCIAL_WORKER:
        worker = getattr(user, "social_worker", None) or SocialWorkerFactory(user=user)
    else:
        worker = SocialWorkerFactory()
    return open_case_for(worker)


def _own_case(user):
    return {"pk": _case_for(user).pk}


def _someone_elses_case(user):
    from tests.factories import SocialWorkerFactory, open_case_for

    return {"pk": open_case_for(SocialWorkerFactory()).pk}


def _own_orientation(user):
    from polesocial.casework.services.records import orientation_record
    from tests.factories import PartnerFactory

    case = _case_for(user)
    orientation = orientation_record(
        actor=case.worker.user,
        case=case,
        partner=PartnerFactory(),
        oriented_on=case.opened_on,
        purpose="Aide au logement",
    )
    return {"pk": case.pk, "orientation_pk": orientation.pk}


_MEDIA = None


def _own_document(user):
    from polesocial.casework.services.records import document_upload

    # The test settings keep MEDIA_ROOT in the work tree; the crawl's encrypted files go to
    # a temporary folder instead (left switched on for this test process: harmless, since
    # tests that look at stored files set their own MEDIA_ROOT).
    global _MEDIA
    if _MEDIA is None:
        _MEDIA = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="polesocial-crawl-"))
        _MEDIA.enable()
    case = _case_for(user)
    document = document_upload(actor=case.worker.user, case=case, name="avis.pdf", data=PDF)
    return {"pk": case.pk, "doc_pk": document.pk}


BUILDERS = {
    "own_case": _own_case,
    "someone_elses_case": _someone_elses_case,
    "own_orientation": _own_orientation,
    "own_document": _own_document,
}
