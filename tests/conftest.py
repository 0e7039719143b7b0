import time

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.users.enums import Role
from polesocial.users.middleware import SIGNED_IN_AT
from tests import strict_templates
from tests.factories import UserFactory


def sign_in(client, user):
    """A session as after a full sign-in: password and a verified second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return client


@pytest.fixture
def user_of_role(db):
    def make(role: Role, **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def client_as(client, user_of_role):
    """client_as(Role.DPO) -> a test client signed in (with 2FA) as a new user of that role."""

    def make(role: Role, **fields):
        user = user_of_role(role, **fields)
        sign_in(client, user)
        client.user = user
        return client

    return make


TEST_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[TEST_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def no_unknown_template_variable(request):
    """Fails a test whose pages used an unknown variable, even if some code swallowed the error.

    A test that already failed (on the error itself, most often) is not failed twice.
    """
    strict_templates.seen.clear()
    yield
    if not request.node.stash.get(TEST_FAILED, False):
        assert strict_templates.seen == [], "unknown template variables"
