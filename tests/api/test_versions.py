"""Lost updates: two people change one record at the same moment, nobody's change is lost.

The API answers each record's `ETag`, needs it back in `If-Match` to change it (428
without), and refuses a change made on a version someone else changed since (412).
"""

import json
from unittest import mock

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from polesocial.casework.models import Case
from polesocial.casework.services import cases
from polesocial.core.versioning import VersionConflict
from polesocial.organisations.models import Employer
from polesocial.users.enums import Role
from tests.casework.api_helpers import CaseworkSchemaClient, World
from tests.conftest import sign_in
from tests.factories import EmployerFactory, UserFactory

pytestmark = pytest.mark.django_db

STALE = (
    "La ressource a été modifiée par une autre personne depuis votre lecture : relisez-la, "
    "reportez vos changements et renvoyez-les avec le nouvel ETag dans If-Match."
)
REQUIRED = "En-tête If-Match obligatoire : relisez la ressource et renvoyez son ETag dans If-Match."


@pytest.fixture(scope="module")
def openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def case_url(case):
    return reverse("api:case-detail", kwargs={"pk": case.pk})


def test_two_patches_with_the_same_etag_the_second_is_refused_and_the_first_kept(client, openapi):
    world = World()
    sign_in(client, world.worker.user)
    api = CaseworkSchemaClient(client, openapi)
    seen = api.get(case_url(world.case))
    etag = seen["ETag"]
    assert etag == '"1"'

    first = api.patch(case_url(world.case), {"assessment": "Dettes."}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] == '"2"'
    second = api.patch(case_url(world.case), {"assessment": "Santé fragile."}, HTTP_IF_MATCH=etag)

    assert second.status_code == 412
    assert second.json()["detail"] == STALE
    case = Case.objects.get(pk=world.case.pk)
    assert (case.assessment, case.version) == ("Dettes.", 2)
    # Read again, the second writer's change goes through on the new version.
    again = api.patch(
        case_url(world.case), {"assessment": "Santé fragile."}, HTTP_IF_MATCH=first["ETag"]
    )
    assert again.status_code == 200
    assert again.json()["assessment"] == "Santé fragile."


def test_a_patch_without_if_match_is_428_in_french_and_changes_nothing(client, openapi):
    world = World()
    sign_in(client, world.worker.user)
    api = CaseworkSchemaClient(client, openapi)

    response = api.patch(case_url(world.case), {"assessment": "Dettes."}, HTTP_IF_MATCH="")

    assert response.status_code == 428
    assert response.json()["detail"] == REQUIRED
    case = Case.objects.get(pk=world.case.pk)
    assert (case.assessment, case.version) == (world.case.assessment, 1)
    # A weak or malformed tag never matches (RFC 9110 compares strongly).
    weak = api.patch(case_url(world.case), {"assessment": "Dettes."}, HTTP_IF_MATCH='W/"1"')
    assert weak.status_code == 412


def test_two_writers_who_read_the_same_version_one_wins_the_other_hears_of_it():
    """The race the API's early check cannot see: both requests passed it, then both
    reach the service; the version check in the service refuses the second."""
    world = World()
    mine = Case.objects.get(pk=world.case.pk)
    theirs = Case.objects.get(pk=world.case.pk)
    actor = world.worker.user
    cases.case_update(actor=actor, case=mine, domains=["budget"], assessment="Dettes.")

    with pytest.raises(VersionConflict) as conflict:
        cases.case_update(actor=actor, case=theirs, domains=["work"], assessment="Santé.")

    assert conflict.value.messages[0].startswith(
        "Ce dossier a été modifié par une autre personne pendant votre saisie."
    )
    assert conflict.value.current.assessment == "Dettes."
    saved = Case.objects.get(pk=world.case.pk)
    assert (saved.assessment, saved.domain_codes, saved.version) == ("Dettes.", ["budget"], 2)


def test_an_employer_changed_since_it_was_read_is_refused(client, openapi):
    """ReadWriteViewSet resources (records that name no one) behave the same."""
    employer = EmployerFactory()
    sign_in(client, UserFactory(role=Role.BILLING))
    api = CaseworkSchemaClient(client, openapi)
    detail = reverse("api:employer-detail", kwargs={"pk": employer.pk})
    etag = api.get(detail)["ETag"]
    assert api.patch(detail, {"city": "Troyes"}, HTTP_IF_MATCH=etag).status_code == 200

    response = api.patch(detail, {"city": "Reims"}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert Employer.objects.get(pk=employer.pk).city == "Troyes"
    # With the ETag as saved now (the test client's default), the change goes through.
    assert api.patch(detail, {"city": "Reims"}).status_code == 200


def test_the_schema_documents_if_match_etag_and_the_412_428_answers(openapi):
    for path in ("/api/v1/cases/{id}/", "/api/v1/employers/{id}/"):
        patch = openapi["paths"][path]["patch"]
        header = next(p for p in patch["parameters"] if p["name"] == "If-Match")
        assert (header["in"], header["required"]) == ("header", True)
        assert {"412", "428"} <= set(patch["responses"])
        assert "ETag" in openapi["paths"][path]["get"]["responses"]["200"]["headers"]


def test_a_write_that_lands_between_the_check_and_the_service_still_answers_412(client, openapi):
    """Two PATCHes at the same moment: both pass the ETag check, the service refuses one."""
    world = World()
    sign_in(client, world.worker.user)
    api = CaseworkSchemaClient(client, openapi)
    etag = api.get(case_url(world.case))["ETag"]
    real_update = cases.case_update

    def the_other_request_first(**kwargs):
        other = Case.objects.get(pk=world.case.pk)
        real_update(actor=kwargs["actor"], case=other, domains=["work"], assessment="Dettes.")
        return real_update(**kwargs)

    with mock.patch.object(cases, "case_update", side_effect=the_other_request_first):
        response = api.patch(case_url(world.case), {"assessment": "Santé."}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert response.json()["detail"] == STALE
    case = Case.objects.get(pk=world.case.pk)
    assert (case.assessment, case.version) == ("Dettes.", 2)
