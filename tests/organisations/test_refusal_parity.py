"""A rule of organisations refuses alike by screen, by API and by a direct service call.

Each test tries the same forbidden write every way there is, and reads back one French
message; nothing is written.
"""

import datetime as dt
import json

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from polesocial.organisations import services
from polesocial.organisations.models import Headcount, Replacement
from polesocial.users.enums import Role
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, TeamFactory, UserFactory
from tests.organisations.test_api import SchemaClient, url

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


@pytest.fixture
def api(client, openapi):
    return SchemaClient(client, openapi)


def service_refusal(write) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        write()
    return caught.value.messages


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"titulaire": 100, "stagiaire": 5, "contractuel": 1},
            "La répartition par statut (106) ne correspond pas à l'effectif total (120).",
        ),
        (
            {"category_a": 200},
            "La répartition par catégorie (200) dépasse l'effectif total (120).",
        ),
    ],
)
def test_a_headcount_whose_breakdown_contradicts_its_total_is_refused(client, api, parts, message):
    employer = EmployerFactory()
    sign_in(client, UserFactory(role=Role.BILLING))
    figures = {"year": 2025, "total": 120, **parts}
    screen = client.post(reverse("organisations:headcount_set", args=[employer.pk]), figures)
    answer = api.post(url("headcount-list"), {"employer": employer.pk, **figures})
    service = service_refusal(
        lambda: services.headcount_set(actor=None, employer=employer, **figures)
    )
    assert [str(m) for m in get_messages(screen.wsgi_request)] == [
        f"Effectif non enregistré : {message}"
    ]
    assert answer.status_code == 400
    assert answer.json()["detail"] == message
    assert service == [message]
    assert not Headcount.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("self", "replacing", "Une ASS ne peut pas se remplacer elle-même."),
        ("dates", "ends_on", "La fin du remplacement précède son début."),
    ],
)
def test_a_replacement_names_a_colleague_for_a_period_in_order(client, change, field, message):
    """No API names a replacement: the screen says what the service says, beside the field."""
    team = TeamFactory()
    absent = SocialWorkerFactory(team=team)
    replacing = absent if change == "self" else SocialWorkerFactory(team=team)
    starts, ends = dt.date(2026, 7, 1), dt.date(2026, 7, 31)
    if change == "dates":
        starts, ends = ends, starts
    sign_in(client, team.counsellor)
    screen = client.post(
        reverse("organisations:replacement_list"),
        {
            "absent": absent.pk,
            "replacing": replacing.pk,
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
        },
    )
    service = service_refusal(
        lambda: services.replacement_create(
            actor=team.counsellor,
            absent=absent,
            replacing=replacing,
            starts_on=starts,
            ends_on=ends,
        )
    )
    assert screen.status_code == 200
    assert screen.context["form"].errors == {field: [message]}
    assert service == [message]
    assert not Replacement.objects.exists()
