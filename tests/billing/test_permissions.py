"""Who may act on an invoice page: decided by a permission function, never the template."""

import pytest

from polesocial.billing.permissions import can_manage_invoices
from polesocial.users.enums import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", Role)
def test_only_the_billing_officer_issues_records_payment_and_cancels(role):
    assert can_manage_invoices(UserFactory(role=role)) is (role == Role.BILLING)
