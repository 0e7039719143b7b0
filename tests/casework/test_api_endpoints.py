"""The casework API, what every endpoint shares: 401 signed out, 405, one journal entry per
read, the schema, list queries that do not grow with the rows.
"""

import pytest

from polesocial.casework.serializers import employee_reference
from polesocial.privacy.models import AuditEntry
from tests.casework.api_helpers import RECEIPT_KEYS, url
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, open_case_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["referral-list", "referral-sent", "employee-list", "case-list", "interview-list"],
)
def test_signed_out_is_a_json_401(api, name):
    response = api.get(url(name))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")


def test_a_method_a_view_does_not_route_is_405(api, world):
    sign_in(api.client, world.worker.user)
    assert api.client.delete(url("case-detail", world.case.pk)).status_code == 405
    assert api.client.patch(url("interview-detail", world.interview.pk)).status_code == 405
    assert api.client.post(url("employee-list")).status_code == 405


# --- The journal: one entry per read ------------------------------------------------------


def test_every_read_writes_one_journal_entry(api, world):
    user = world.worker.user
    sign_in(api.client, user)
    case_key = f"casework.Case:{world.case.pk}"
    second = open_case_for(world.worker, identity={**EMPLOYEE_IDENTITY, "first_name": "Jeanne"})
    reads = [
        (url("case-list"), None, "case.list", [second.pk, world.case.pk], ""),
        (url("case-detail", world.case.pk), None, "case.read", [world.case.pk], case_key),
        (
            url("interview-list"),
            {"case": world.case.pk},
            "interview.list",
            [world.interview.pk],
            case_key,
        ),
        (
            url("interview-detail", world.interview.pk),
            None,
            "interview.read",
            [world.interview.pk],
            case_key,
        ),
        (
            url("referral-detail", world.referral.pk),
            None,
            "referral.read",
            [world.referral.pk],
            f"casework.Referral:{world.referral.pk}",
        ),
        (
            url("employee-detail", employee_reference(world.employee.pk)),
            None,
            "employee.read",
            [world.employee.pk],
            f"casework.Employee:{world.employee.pk}",
        ),
    ]
    for path, params, action, object_ids, subject in reads:
        before = AuditEntry.objects.count()
        assert api.get(path, params).status_code == 200
        assert AuditEntry.objects.count() == before + 1, action
        entry = AuditEntry.objects.order_by("-sequence").first()
        assert (entry.actor, entry.action, entry.replacement) == (user, action, False)
        assert (entry.object_ids, entry.subject) == (object_ids, subject)
    before = AuditEntry.objects.count()
    api.get(url("referral-sent"))
    assert AuditEntry.objects.count() == before  # receipts hold no identity


# --- The contract -------------------------------------------------------------------------


def test_the_schema_describes_the_casework_endpoints(openapi):
    paths = openapi["paths"]
    assert {
        "/api/v1/referrals/",
        "/api/v1/referrals/sent/",
        "/api/v1/referrals/{id}/assess/",
        "/api/v1/referrals/{id}/consent/",
        "/api/v1/employees/{id}/",
        "/api/v1/cases/{id}/close/",
        "/api/v1/cases/{id}/reopen/",
        "/api/v1/interviews/",
        "/api/v1/plan-objectives/{id}/",
        "/api/v1/plan-actions/{id}/",
        "/api/v1/orientations/{id}/",
    } <= set(paths)
    receipt = openapi["components"]["schemas"]["ReferralReceipt"]
    assert set(receipt["properties"]) == RECEIPT_KEYS
    assert paths["/api/v1/referrals/"]["post"]["security"] == [{"jeton": []}, {"session": []}]
    assert paths["/api/v1/employees/{id}/"]["get"]["parameters"][0]["schema"] == {"type": "string"}
