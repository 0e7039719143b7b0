import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from polesocial.users.enums import Role

pytestmark = pytest.mark.django_db


def test_the_schema_is_a_valid_openapi_document(client_as):
    client = client_as(Role.SOCIAL_WORKER)
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me/", "/api/v1/tokens/", "/api/v1/tokens/{id}/"} <= set(schema["paths"])
    validate_schema(schema)  # jsonschema against the OpenAPI 3 specification's schema


def test_the_schema_declares_the_bearer_scheme(client_as):
    schema = client_as(Role.DPO).get(reverse("api:schema"), {"format": "json"}).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["jeton"] == {**schemes["jeton"], "type": "http", "scheme": "bearer"}
    assert {"jeton": []} in schema["paths"]["/api/v1/me/"]["get"]["security"]


def test_the_schema_needs_authentication(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 401
    assert "detail" in response.json()
