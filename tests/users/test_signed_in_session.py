"""The session the tests and the bench open without the sign-in pages (users/signed_in.py)
is the one the pages open: a change in sign-in shows here before it leaves them behind."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from polesocial.users.enums import Role
from polesocial.users.middleware import SIGNED_IN_AT
from polesocial.users.signed_in import write_signed_in
from tests.factories import OperatorFactory, UserFactory
from tests.users.test_sessions import sign_in_through_the_form

pytestmark = pytest.mark.django_db


def test_a_session_written_without_the_pages_holds_what_the_sign_in_pages_leave(client):
    OperatorFactory()  # an installed service: the home page is the worker's
    worker = UserFactory(role=Role.SOCIAL_WORKER, with_totp=True)
    sign_in_through_the_form(client, worker)
    assert client.get(reverse("core:home")).status_code == 200
    through_the_pages = dict(client.session.items())

    written = SessionStore()
    write_signed_in(written, worker, device_name="Banc")

    assert set(written.keys()) == set(through_the_pages)
    for key in set(written.keys()) - {SIGNED_IN_AT}:
        assert written[key] == through_the_pages[key], key
    assert worker.totpdevice_set.count() == 1  # her own device, not a second one


def test_a_session_written_without_the_pages_opens_the_pages(client):
    OperatorFactory()
    user = UserFactory(role=Role.SOCIAL_WORKER)
    session = client.session
    write_signed_in(session, user, device_name="Banc")
    session.save()

    assert client.get(reverse("core:home")).status_code == 200
    assert user.totpdevice_set.get().confirmed
