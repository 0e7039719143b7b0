import pytest
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import TOTP

from polesocial.core.http import client_ip
from polesocial.users.enums import Role
from polesocial.users.models import LoginAttempt
from polesocial.users.services import GENERIC_SIGN_IN_ERROR
from tests.factories import PASSWORD, OperatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def current_code(device) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def password_step(client, user, password=PASSWORD):
    return client.post(reverse("users:login"), {"email": user.email, "password": password})


@pytest.mark.parametrize("role", list(Role))
def test_every_role_needs_the_second_factor(client, role):
    OperatorFactory()  # an installed service: the admin's home no longer asks for it
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


# Where sign-in leads


def sign_in_fully(client, user, next_url: str | None = None):
    """Both steps, the sign-in page opened with `?next=` as LoginRequiredMiddleware does."""
    query = {"next": next_url} if next_url is not None else {}
    login = reverse("users:login") + (f"?{urlencode(query)}" if query else "")
    second = client.post(login, {"email": user.email, "password": PASSWORD})
    code = current_code(user.totpdevice_set.get())
    return client.post(second.url, {"code": code})


def test_a_page_asked_before_sign_in_opens_after_both_steps(client):
    user = UserFactory(role=Role.ADMIN, with_totp=True)
    response = sign_in_fully(client, user, next_url="/administration/utilisateurs/?role=dpo")
    assert response.url == "/administration/utilisateurs/?role=dpo"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example/x",
        "https:evil.example",
        "javascript:alert(1)",
        "\x01https://evil.example",
    ],
)
def test_sign_in_never_leads_to_another_site(client, next_url):
    user = UserFactory(with_totp=True)
    password_step(client, user)
    code = current_code(user.totpdevice_set.get())
    verify = reverse("users:totp_verify") + "?" + urlencode({"next": next_url})
    response = client.post(verify, {"code": code})
    assert response.status_code == 302
    assert response.url == reverse("core:home")


def test_a_foreign_next_is_not_carried_to_the_second_step(client):
    user = UserFactory(with_totp=True)
    login = reverse("users:login") + "?" + urlencode({"next": "https://evil.example/x"})
    response = client.post(login, {"email": user.email, "password": PASSWORD})
    assert response.url == reverse("users:totp_verify")


# The per-address limit and X-Forwarded-For


def fail_from(client, *, forwarded_for: str, remote: str = "198.51.100.9"):
    stranger = f"inconnu-{forwarded_for.replace(',', '-').replace(' ', '')}@example.fr"
    return client.post(
        reverse("users:login"),
        {"email": stranger, "password": "pas le bon mot de passe"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR=remote,
    )


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for n in range(3):
        fail_from(client, forwarded_for=f"203.0.113.{n}")
    user = UserFactory(with_totp=True)
    response = client.post(
        reverse("users:login"),
        {"email": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.200",
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 200
    assert GENERIC_SIGN_IN_ERROR in response.content.decode()
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}


def test_behind_one_trusted_proxy_the_address_it_saw_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_from(client, forwarded_for="10.0.0.1, 203.0.113.7", remote="192.0.2.1")
    assert LoginAttempt.objects.get().ip_address == "203.0.113.7"


@pytest.mark.parametrize(
    ("trusted", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, "forged, 203.0.113.7", "203.0.113.7"),
        (2, "forged, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "not an address", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_takes_the_nth_forwarded_hop_from_the_right(
    rf, settings, trusted, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="192.0.2.1")
    assert client_ip(request) == expected
