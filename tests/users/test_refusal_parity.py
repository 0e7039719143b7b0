"""An account rule refuses alike by screen and by a direct service call (no API writes
accounts): one French message, nothing written."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from polesocial.users import services
from polesocial.users.enums import Role
from polesocial.users.models import User
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def service_refusal(write) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        write()
    return caught.value.messages


def test_one_account_per_address_whatever_its_case(client):
    admin = UserFactory(role=Role.ADMIN)
    UserFactory(email="lea.martin@example.org")
    sign_in(client, admin)
    person = {"first_name": "Léa", "last_name": "Martin", "role": Role.SECRETARY}
    screen = client.post(reverse("users:create"), {**person, "email": "Lea.Martin@example.org"})
    service = service_refusal(
        lambda: services.user_create(actor=admin, email="LEA.MARTIN@example.org", **person)
    )
    assert screen.status_code == 200
    assert screen.context["form"].errors == {"email": service}
    assert service == ["Un compte existe déjà avec cette adresse."]
    assert User.objects.filter(email__iexact="lea.martin@example.org").count() == 1


def test_an_administrator_does_not_deactivate_her_own_account(client):
    admin = UserFactory(role=Role.ADMIN)
    sign_in(client, admin)
    screen = client.post(reverse("users:deactivate", args=[admin.pk]))
    service = service_refusal(lambda: services.user_deactivate(actor=admin, user=admin))
    assert [str(m) for m in get_messages(screen.wsgi_request)] == service
    assert service == ["Vous ne pouvez pas désactiver votre propre compte."]
    admin.refresh_from_db()
    assert admin.is_active
