"""Hostile input at the edges of the API (and of a screen): bounded, answered in French.

Each of these was a server error or an English page (issue 12, item 9): a page size without
a maximum, integers beyond 64 bits (SQLite cannot compare them), a JSON body nested 100,000
deep, a body of 3 MB, an unknown API path under DEBUG, an empty POST to a screen.
"""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from polesocial.api.pagination import MAX_LIMIT
from polesocial.api.parsers import MAX_DEPTH
from polesocial.collective.models import CollectiveAction
from polesocial.organisations.models import Employer
from polesocial.users.enums import Role
from tests.api.conftest import bearer
from tests.factories import EmployerFactory, SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = str(2**64)


@pytest.fixture
def counsellor(client_as):
    """A counsellor's session, her team serving two employers (so lists are not empty)."""
    client = client_as(Role.COUNSELLOR)
    worker = SocialWorkerFactory(team__counsellor=client.user)
    EmployerFactory.create_batch(2, team=worker.team)
    client.raise_request_exception = False  # a server error is a 500, as a client sees it
    return client


def schema_of(client) -> dict:
    return client.get(reverse("api:schema"), {"format": "json"}).json()


def parameter(schema: dict, path: str, name: str) -> dict:
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name)


# --- Pages: limit and offset --------------------------------------------------------------


def test_a_page_larger_than_the_maximum_is_refused_in_french(counsellor):
    response = counsellor.get(reverse("api:employer-list"), {"limit": MAX_LIMIT + 1})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "limit": [f"Assurez-vous que cette valeur est inférieure ou égale à {MAX_LIMIT}."]
    }


@pytest.mark.parametrize("name", ["limit", "offset"])
def test_a_page_bound_beyond_64_bits_is_a_french_400_not_a_server_error(counsellor, name):
    response = counsellor.get(reverse("api:employer-list"), {name: BEYOND_64_BITS})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Assurez-vous que cette valeur est inférieure")


def test_a_page_within_the_bounds_still_pages(counsellor):
    response = counsellor.get(reverse("api:employer-list"), {"limit": 1, "offset": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Employer.objects.count()
    assert len(body["results"]) == 1


def test_the_schema_says_how_large_a_page_may_be(counsellor):
    schema = schema_of(counsellor)
    assert parameter(schema, "/api/v1/employers/", "limit") == {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_LIMIT,
    }
    assert parameter(schema, "/api/v1/employers/", "offset")["minimum"] == 0


# --- Integer filters ----------------------------------------------------------------------

FILTERS = [
    ("api:employer-list", "team"),
    ("api:headcount-list", "employer"),
    ("api:convention-list", "employer"),
    ("api:collective-action-list", "employer"),
    ("api:fte-share-list", "worker"),
]


@pytest.mark.parametrize(("name", "param"), FILTERS)
def test_an_id_filter_beyond_64_bits_is_a_french_400_not_a_server_error(counsellor, name, param):
    response = counsellor.get(reverse(name), {param: BEYOND_64_BITS})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [param]
    assert "inférieure ou égale" in response.json()["detail"]


def test_a_case_filter_beyond_64_bits_is_a_french_400(client_as):
    client = client_as(Role.SOCIAL_WORKER)
    client.raise_request_exception = False
    response = client.get(reverse("api:interview-list"), {"case": BEYOND_64_BITS})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["case"]


def test_the_schema_bounds_the_integer_filters(counsellor):
    schema = schema_of(counsellor)
    team = parameter(schema, "/api/v1/employers/", "team")
    assert (team["minimum"], team["maximum"]) == (1, 2**63 - 1)
    year = parameter(schema, "/api/v1/headcounts/", "year")
    assert (year["minimum"], year["maximum"]) == (1900, 2100)


# --- Bodies -------------------------------------------------------------------------------


def test_a_json_body_nested_100000_deep_is_a_french_400(counsellor):
    body = "[" * 100_000 + "]" * 100_000
    response = counsellor.post(reverse("api:employer-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Requête mal formée : le JSON s'imbrique sur plus de {MAX_DEPTH} niveaux."
    }


def test_a_json_body_nested_just_past_the_bound_is_refused_too(counsellor):
    body = json.dumps({"name": "x", "kind": [[[[[[[[[[[[[[[[[[[[["a"]]]]]]]]]]]]]]]]]]]]]})
    response = counsellor.post(reverse("api:employer-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert "imbrique" in response.json()["detail"]


def test_brackets_inside_strings_do_not_count_as_nesting(counsellor):
    body = json.dumps({"name": "[" * 50, "kind": "commune"})
    response = counsellor.post(reverse("api:employer-list"), body, content_type="application/json")
    assert response.status_code == 400  # refused for its fields, not for its nesting
    assert "imbrique" not in response.json()["detail"]
    assert "siret" in response.json()["errors"]


def test_a_body_of_3_mb_answers_a_french_413_in_json(counsellor):
    body = json.dumps({"name": "a" * 3_000_000})
    response = counsellor.post(reverse("api:employer-list"), body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Requête trop volumineuse : 2,5 Mo au plus, hors fichiers joints."
    }


def test_a_form_of_3_mb_on_a_screen_answers_a_french_page(client_as):
    client = client_as(Role.SOCIAL_WORKER)
    SocialWorkerFactory(user=client.user)
    response = client.post(reverse("collective:action_create"), {"title": "a" * 3_000_000})
    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "Requête trop volumineuse : 2,5 Mo au plus" in page


# --- Unknown paths ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/employers/abc/", "/api/v1/cases/1.5/", "/api/v1/"])
@override_settings(DEBUG=True)
def test_an_unknown_api_path_is_the_french_json_404_even_under_debug(client, make_token, path):
    _, key = make_token()
    for method in (client.get, client.post, client.delete):
        response = method(path, **bearer(key))
        assert response.status_code == 404
        assert response.json() == {"detail": "Introuvable."}


def test_an_unknown_api_path_is_the_same_404_signed_out(client):
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_the_catch_all_is_not_an_operation_of_the_schema(counsellor):
    paths = schema_of(counsellor)["paths"]
    assert not [path for path in paths if ".*" in path]


# --- A screen -----------------------------------------------------------------------------


def test_an_empty_post_to_the_collective_action_form_shows_the_form_again(client_as):
    client = client_as(Role.SOCIAL_WORKER)
    SocialWorkerFactory(user=client.user)
    response = client.post(reverse("collective:action_create"), {})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not CollectiveAction.objects.exists()


# --- Found by the fuzzing (tests/api/test_schemathesis.py) ---------------------------------


@pytest.fixture
def worker_with_a_case(client_as):
    """A worker's session; she follows one employee (whose reference is compared)."""
    client = client_as(Role.SOCIAL_WORKER)
    open_case_for(SocialWorkerFactory(user=client.user))
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("reference", ["%C3%80", "abc", "0" * 24])
def test_an_employee_reference_that_names_no_one_is_a_404_even_with_accents(
    worker_with_a_case, reference
):
    client = worker_with_a_case
    response = client.get(f"/api/v1/employees/{reference}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_a_case_filter_on_an_accented_employee_reference_finds_nothing(worker_with_a_case):
    response = worker_with_a_case.get(reverse("api:case-list"), {"employee": "À"})
    assert response.status_code == 200
    assert response.json()["results"] == []
