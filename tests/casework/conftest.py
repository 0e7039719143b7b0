"""Fixtures of the casework API tests.

Every request goes through `api` (tests.organisations.test_api.SchemaClient), which checks
the response body against the schema drf-spectacular generates (undeclared keys fail).
"""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from tests.casework.api_helpers import CaseworkSchemaClient, World


@pytest.fixture(scope="module")
def openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


@pytest.fixture
def api(client, openapi):
    return CaseworkSchemaClient(client, openapi)


@pytest.fixture
def world():
    return World()
