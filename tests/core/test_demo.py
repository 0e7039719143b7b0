from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from polesocial.organisations.models import Convention, Employer
from polesocial.users.enums import Role
from polesocial.users.models import User


def row_counts() -> dict[str, int]:
    skip = {"privacy", "sessions", "contenttypes", "auth"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skip
    }


@pytest.mark.django_db
def test_demo_has_every_role_and_running_it_twice_changes_nothing(settings):
    call_command("demo", stdout=StringIO())
    first = row_counts()
    call_command("demo", stdout=StringIO())
    assert row_counts() == first
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(role=Role.SOCIAL_WORKER).count() >= 3
    assert Employer.objects.count() >= 15
    modes = set(Convention.objects.values_list("billing_mode", flat=True))
    assert modes == {"hourly", "sessions", "fte_share"}
