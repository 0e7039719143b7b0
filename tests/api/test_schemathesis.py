"""The API fuzzed from its own OpenAPI schema with schemathesis, with a token of every role.

For each role (and an integration token holding every scope), schemathesis fetches
/api/v1/schema/ with that token and sends every operation a fixed number of generated
requests (valid and invalid ones, same seed every run), in-process through Django's WSGI
handler, in the test's transaction, against a small operator where every role has
something to see (tests/api/world.py). No answer may be a server error, and every answer
must be one the schema declares, with the body it describes.

Revoking a token is left out: the fuzzer would revoke its own token midway (tests/api/
test_tokens_api.py covers revocation). Bounded: MAX_EXAMPLES per operation and phase.
"""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.config import SchemathesisConfig

from polesocial.api import services
from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.users.enums import Role
from tests.api.world import build_world

# Runs once per database, on one xdist worker; no browser, so not marked e2e.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("schemathesis")]

SEED = 20_260_316
MAX_EXAMPLES = 5
INTEGRATION = "integration"
PRINCIPALS = [*Role, INTEGRATION]
# The principals whose tokens reach the validation of most operations (case work, time,
# collective work; organisations, teams, FTE plans) also get schemathesis' coverage phase:
# every boundary and every invalid value the schema implies, about a hundred requests an
# operation. The others (mostly answered 403) get the fuzzing phase only.
THOROUGH = [Role.SOCIAL_WORKER, Role.COUNSELLOR]

CHECKS = {
    # The services refuse valid-looking input for business reasons (a duration of
    # 0 minutes, a case already open): a French 400, not a fault.
    "positive_data_acceptance": {"enabled": False},
    # An empty query parameter is taken as absent (DRF's rule for forms and queries),
    # where the schema's minLength says it is invalid; bounds are tested in test_edges.
    "negative_data_rejection": {"enabled": False},
    # A PATCH or PUT without `If-Match` is refused 428 (Precondition Required, RFC 6585),
    # the status the API documents for that header, besides schemathesis' usual ones.
    "missing_required_header": {
        "expected-statuses": [400, 401, 403, 406, 415, 422, 428],
    },
}
GENERATION = {"deterministic": True, "database": "none", "mode": "all"}
FUZZING = {
    "seed": SEED,
    "generation": {**GENERATION, "max-examples": MAX_EXAMPLES},
    "phases": {"examples": {"enabled": True}, "fuzzing": {"enabled": True},
               "coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "checks": CHECKS,
}  # fmt: skip
COVERAGE = {
    "seed": SEED,
    "generation": GENERATION,
    "phases": {"examples": {"enabled": False}, "fuzzing": {"enabled": False},
               "coverage": {"enabled": True}, "stateful": {"enabled": False}},
    "checks": CHECKS,
}  # fmt: skip


def openapi() -> dict:
    """The document /api/v1/schema/ serves (checked below for every token)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def load(config: dict):
    loaded = schemathesis.openapi.from_dict(OPENAPI, config=SchemathesisConfig.from_dict(config))
    loaded.app = APP  # in-process through Django's WSGI handler, as from_wsgi would
    return loaded.exclude(method="DELETE", path="/api/v1/tokens/{id}/")


OPENAPI = openapi()
APP = WSGIHandler()
fuzzing = load(FUZZING)
coverage = load(COVERAGE)


@pytest.fixture(autouse=True)
def _requests_in_the_test_transaction():
    """Requests through Django's WSGI handler stay in the test's database transaction.

    Django closes the connection when a request ends (close_old_connections), which would
    end the test's transaction: the test client disconnects it too, for each request (and
    connects it again after: hence a fixture per test, not per module).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker) -> dict:
    """{principal: token}, over the world of tests/api/world.py: built once for the module
    (committed, so that each request's writes roll back alone), flushed after."""
    with django_db_blocker.unblock():
        world = build_world()
        keys = {}
        for principal in PRINCIPALS:
            keys[principal] = _token(world, principal)
    yield keys
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _token(world, principal) -> str:
    if principal == INTEGRATION:  # every scope, on an HR contact's account
        user, kind, scopes = (
            world.users[Role.EMPLOYER_CONTACT],
            ApiTokenKind.INTEGRATION,
            [*INTEGRATION_SCOPES],
        )
    else:
        user, kind, scopes = world.users[principal], ApiTokenKind.PERSONAL, []
    _, key = services.api_token_create(
        actor=None, user=user, name="Fuzz", kind=kind, days=1, scopes=scopes
    )
    return key


def authorization(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def call_and_validate(case, principal, key) -> None:
    try:
        case.call_and_validate(headers=authorization(key))
    except Exception as failure:  # schemathesis' report, with whose token
        failure.add_note(f"Token of: {principal}")
        raise


@pytest.mark.parametrize("principal", PRINCIPALS, ids=str)
def test_the_schema_fuzzed_is_the_one_the_api_serves_to_every_role(client, tokens, principal):
    response = client.get(
        "/api/v1/schema/", {"format": "json"}, HTTP_AUTHORIZATION=f"Bearer {tokens[principal]}"
    )
    if principal == INTEGRATION:  # the schema is no operation of an integration scope
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert response.json() == OPENAPI


@fuzzing.parametrize()
def test_every_role_gets_no_server_error_from_generated_requests(case, tokens):
    """Each generated request is sent with the token of every principal in turn."""
    for principal, key in tokens.items():
        call_and_validate(case, principal, key)


@pytest.mark.parametrize("principal", THOROUGH, ids=str)
@coverage.parametrize()
def test_the_schemas_boundaries_give_no_server_error(case, principal, tokens):
    call_and_validate(case, principal, tokens[principal])
