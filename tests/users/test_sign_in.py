import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from polesocial.users.enums import Role
from polesocial.users.services import GENERIC_SIGN_IN_ERROR
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def current_code(device) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def password_step(client, user, password=PASSWORD):
    return client.post(reverse("users:login"), {"email": user.email, "password": password})


@pytest.mark.parametrize("role", list(Role))
def test_every_role_needs_the_second_factor(client, role):
    user = UserFactory(role=role, with_totp=True)
    response = password_step(client, user)
    assert response.status_code == 302
    assert response.url == reverse("users:totp_verify")
    # Password alone opens no session: the home page still sends to sign-in.
    assert client.get(reverse("core:home")).status_code == 302

    device = user.totpdevice_set.get()
    response = client.post(reverse("users:totp_verify"), {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_first_sign_in_enrols_a_totp_device(client):
    user = UserFactory(role=Role.SECRETARY)
    response = password_step(client, user)
    assert response.url == reverse("users:totp_enrol")
    page = client.get(reverse("users:totp_enrol"))
    assert b"<svg" in page.content
    device = user.totpdevice_set.get(confirmed=False)
    client.post(reverse("users:totp_enrol"), {"code": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_and_wrong_code_give_the_same_generic_message(client):
    user = UserFactory(with_totp=True)
    response = password_step(client, user, password="not the password")
    assert GENERIC_SIGN_IN_ERROR in response.content.decode()
    password_step(client, user)
    response = client.post(reverse("users:totp_verify"), {"code": "000000"})
    assert GENERIC_SIGN_IN_ERROR in response.content.decode()


def test_lockout_after_repeated_failures_even_with_the_right_password(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory(with_totp=True)
    for _ in range(3):
        password_step(client, user, password="wrong password!!")
    response = password_step(client, user)
    assert response.status_code == 200
    assert GENERIC_SIGN_IN_ERROR in response.content.decode()
