"""A session as a full sign-in leaves it, written without going through the sign-in pages.

For the test suite (`tests/conftest.sign_in`) and the bench's signed-in clients
(`bench/scale/load.py`): both call `write_signed_in`, so that their sessions cannot drift
apart. What it writes is what `services.sign_in_complete` leaves after the password and the
second factor: Django's login (account, backend, password hash), django-otp's (the verified
device) and the sign-in time the session lifetime counts from (middleware.py).
`tests/users/test_signed_in_session.py` compares it with a session opened by the real pages.
"""

from __future__ import annotations

import time

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.users.middleware import SIGNED_IN_AT

# The backend sign_in_complete passes to login() (password and ProConnect sign-ins alike).
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def confirmed_device(user, name: str) -> TOTPDevice:
    """The user's confirmed TOTP device, created (named `name`) if she has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
    return device


def write_signed_in(session, user, *, device_name: str) -> None:
    """Put in `session` (a SessionStore; the caller saves it) what a full sign-in puts."""
    device = confirmed_device(user, device_name)
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = SIGN_IN_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = time.time()
