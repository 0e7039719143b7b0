"""Rows for referrals, the triage queue, dashboards and caseloads (casework/urls_referrals)."""

from tests.url_rows import R, only

ROWS = {
    "casework:queue": (
        "GET",
        None,
        only(R.SOCIAL_WORKER, R.COUNSELLOR, ok=404) | {R.COUNSELLOR: 403},
    ),
    "casework:referral_detail": ("GET", "referral", only(R.SOCIAL_WORKER, ok=404)),
}


def _referral(user):
    from polesocial.casework.services.referrals import referral_create
    from tests.factories import EmployerFactory

    referral = referral_create(
        actor=None,
        employer=EmployerFactory(),
        source="employee",
        reason="x",
        person_last_name="A",
        person_first_name="B",
    )
    return {"pk": referral.pk}


BUILDERS = {"referral": _referral}
