"""An account created by the administrator receives the e-mail to choose its password."""

import pytest
from django.urls import reverse

from polesocial.users.enums import Role
from polesocial.users.models import User
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_account_receives_its_password_link_and_can_choose_one(client, mailoutbox):
    """A new account has no usable password; Django's reset form skipped such accounts, so
    the « courriel d'activation » announced on screen was never sent."""
    sign_in(client, UserFactory(role=Role.ADMIN))
    client.post(
        reverse("users:create"),
        {
            "first_name": "Nora",
            "last_name": "Benali",
            "email": "nora.benali@exemple.fr",
            "role": Role.SOCIAL_WORKER,
        },
    )
    [message] = mailoutbox
    assert message.to == ["nora.benali@exemple.fr"]
    assert "/mot-de-passe/nouveau/" in message.body
    assert not User.objects.get(email="nora.benali@exemple.fr").has_usable_password()


def test_a_deactivated_account_receives_no_password_link(client, mailoutbox):
    from polesocial.users.services import user_send_password_setup

    account = UserFactory(is_active=False)
    request = client.get("/").wsgi_request
    user_send_password_setup(request=request, user=account)
    assert mailoutbox == []
