"""The organisations API: access by role, writes through the services, the OpenAPI contract.

Every request goes through `api`, which checks the response body against the schema that
drf-spectacular generates for that path, method and status (undeclared keys fail).
"""

import datetime as dt
import json
import re

import jsonschema
import pytest
from django.urls import resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from polesocial.api.enums import ApiTokenKind
from polesocial.api.services import api_token_create
from polesocial.organisations.models import Convention, Employer, FteShare, Headcount
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.api.conftest import bearer
from tests.conftest import sign_in
from tests.factories import (
    ConventionFactory,
    EmployerFactory,
    OperatorFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
    siret_with_key,
)

pytestmark = pytest.mark.django_db
R = Role
READERS = {R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY, R.BILLING}
MANAGERS = {R.COUNSELLOR, R.BILLING}
# Formats checked too: the schema's oneOf for an optional e-mail relies on them.
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
HEADCOUNT_FORBIDDEN = "Ce jeton d'intégration n'ouvre pas ce point d'accès."


# --- The schema, and a client that checks every response against it ---------------------


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable` as a type, and no undeclared keys in objects."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


class SchemaClient:
    def __init__(self, client, openapi):
        self.client, self.openapi = client, openapi
        self.components = _json_schema(openapi["components"]["schemas"])

    def get(self, url, params=None, **extra):
        return self._check("get", url, self.client.get(url, params or {}, **extra))

    def post(self, url, data=None, **extra):
        body = json.dumps(data or {})
        response = self.client.post(url, body, content_type="application/json", **extra)
        return self._check("post", url, response)

    def patch(self, url, data, **extra):
        """PATCH with `If-Match` naming the record's version as saved (tests of the
        precondition itself pass their own `HTTP_IF_MATCH`)."""
        extra.setdefault("HTTP_IF_MATCH", saved_etag(url))
        body = json.dumps(data)
        response = self.client.patch(url, body, content_type="application/json", **extra)
        return self._check("patch", url, response)

    def _check(self, method, url, response):
        operation = self._operation(method, url)
        declared = operation["responses"]
        assert str(response.status_code) in declared, f"{method} {url}: {response.status_code}"
        content = declared[str(response.status_code)].get("content")
        if content is not None:
            schema = _json_schema(content["application/json"]["schema"])
            document = {**schema, "components": {"schemas": self.components}}
            jsonschema.validate(response.json(), document, format_checker=FORMATS)
        return response

    def _operation(self, method, url):
        for template, item in self.openapi["paths"].items():
            if re.fullmatch(re.sub(r"\{\w+\}", r"[^/]+", template), url):
                return item[method]
        raise AssertionError(f"{url} is not in the schema")


def saved_etag(url):
    """The ETag of the record `url` names, read from the database: no read journaled, and
    a caller who may not read it still hears 403 or 404 (`"0"` for no such record)."""
    match = resolve(url)
    model = match.func.cls.queryset.model
    version = model._base_manager.filter(pk=match.kwargs["pk"]).values_list("version", flat=True)
    return f'"{version.first() or 0}"'


@pytest.fixture
def api(client, openapi):
    return SchemaClient(client, openapi)


def sign_in_as(api, role, **fields):
    user = UserFactory(role=role, **fields)
    sign_in(api.client, user)
    return user


def url(name, pk=None):
    return reverse(f"api:{name}", kwargs={"pk": pk} if pk is not None else None)


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- Two employers of two teams; the person is linked to the first -----------------------


@pytest.fixture
def world():
    mine, other = EmployerFactory(), EmployerFactory()
    return {
        "mine": mine,
        "other": other,
        "mine_convention": ConventionFactory(employer=mine),
        "other_convention": ConventionFactory(employer=other),
    }


def person(api, role, world):
    """A user of `role` attached to the first employer as that role can be."""
    user = sign_in_as(api, role)
    if role == R.SOCIAL_WORKER:
        SocialWorkerFactory(user=user, team=world["mine"].team)
    if role in (R.EMPLOYER_CONTACT, R.PHYSICIAN):
        world["mine"].accounts.add(user)
    return user


# Per role: what GET /employers/ answers and which of (mine, other) it lists.
EMPLOYER_LIST = {
    R.COUNSELLOR: (200, {"mine", "other"}),
    R.SECRETARY: (200, {"mine", "other"}),
    R.BILLING: (200, {"mine", "other"}),
    R.SOCIAL_WORKER: (200, {"mine"}),
    R.EMPLOYER_CONTACT: (200, {"mine"}),
}
# Physicians are linked to their employer in the scope table, but no feature opens the
# register to them (as on the screens).
FORBIDDEN = (403, set())


@pytest.mark.parametrize("role", list(Role))
def test_employer_list_by_role(api, world, role):
    person(api, role, world)
    expected_status, expected = EMPLOYER_LIST.get(role, FORBIDDEN)
    response = api.get(url("employer-list"))
    assert response.status_code == expected_status
    if expected_status == 200:
        assert ids(response) == {world[name].pk for name in expected}


@pytest.mark.parametrize("role", list(Role))
def test_employer_detail_by_role(api, world, role):
    person(api, role, world)
    expected_status, expected = EMPLOYER_LIST.get(role, FORBIDDEN)
    for name in ("mine", "other"):
        response = api.get(url("employer-detail", world[name].pk))
        if expected_status == 403:
            assert response.status_code == 403
        else:
            assert response.status_code == (200 if name in expected else 404), name


def employer_body(**overrides):
    body = {
        "name": "Commune de Sainte-Odile",
        "kind": "commune",
        "siret": siret_with_key("2180000000123"),
        "postcode": "18000",
        "city": "Sainte-Odile",
    }
    return {**body, **overrides}


@pytest.mark.parametrize("role", list(Role))
def test_employer_create_by_role(api, role):
    OperatorFactory()
    user = sign_in_as(api, role)
    response = api.post(url("employer-list"), employer_body())
    if role in MANAGERS:
        assert response.status_code == 201
        employer = Employer.objects.get(pk=response.json()["id"])
        assert employer.name == "Commune de Sainte-Odile"
        assert AuditEntry.objects.filter(actor=user, action="employer.create").count() == 1
    else:
        assert response.status_code == 403
        assert not Employer.objects.exists()


CONVENTION_LIST = {
    R.COUNSELLOR: (200, {"mine_convention", "other_convention"}),
    R.BILLING: (200, {"mine_convention", "other_convention"}),
    R.SOCIAL_WORKER: (200, {"mine_convention"}),
    R.EMPLOYER_CONTACT: (200, {"mine_convention"}),
    # The secretariat reads the register but no convention (scope table).
    R.SECRETARY: (200, set()),
}


@pytest.mark.parametrize("role", list(Role))
def test_convention_list_and_detail_by_role(api, world, role):
    person(api, role, world)
    expected_status, expected = CONVENTION_LIST.get(role, FORBIDDEN)
    response = api.get(url("convention-list"))
    assert response.status_code == expected_status
    if expected_status == 200:
        assert ids(response) == {world[name].pk for name in expected}
    for name in ("mine_convention", "other_convention"):
        response = api.get(url("convention-detail", world[name].pk))
        if expected_status == 403:
            assert response.status_code == 403
        else:
            assert response.status_code == (200 if name in expected else 404), name


def convention_body(employer, **overrides):
    body = {
        "employer": employer.pk,
        "reference": "CONV-2026-01",
        "billing_mode": "hourly",
        "hourly_rate": "62.50",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    return {**body, **overrides}


@pytest.mark.parametrize("role", list(Role))
def test_convention_create_by_role(api, world, role):
    person(api, role, world)
    before = Convention.objects.count()
    response = api.post(url("convention-list"), convention_body(world["mine"]))
    if role in MANAGERS:
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "draft"
        assert body["hourly_rate"] == "62.50"
        assert body["employer"] == world["mine"].pk
    else:
        assert response.status_code == 403
        assert Convention.objects.count() == before


# --- An employer contact, a social worker ------------------------------------------------


def test_an_employer_contact_reads_his_employer_and_its_conventions_nothing_else(api, world):
    person(api, R.EMPLOYER_CONTACT, world)
    mine = world["mine"]
    assert api.get(url("employer-detail", mine.pk)).json()["siret"] == mine.siret
    assert ids(api.get(url("convention-list"))) == {world["mine_convention"].pk}
    assert api.get(url("headcount-list")).status_code == 200
    assert api.get(url("team-list")).status_code == 403
    assert api.get(url("fte-share-list")).status_code == 403
    assert api.patch(url("employer-detail", mine.pk), {"city": "Ailleurs"}).status_code == 403
    sign = api.post(
        url("convention-sign", world["mine_convention"].pk), {"signed_on": "2026-01-02"}
    )
    assert sign.status_code == 403


def test_a_social_worker_sees_only_her_teams_employers_even_filtering_by_team(api, world):
    person(api, R.SOCIAL_WORKER, world)
    other_team = world["other"].team
    assert ids(api.get(url("employer-list"), {"team": other_team.pk})) == set()
    assert ids(api.get(url("employer-list"))) == {world["mine"].pk}
    assert api.get(url("convention-detail", world["other_convention"].pk)).status_code == 404


# --- Filters --------------------------------------------------------------------------------


def test_list_filters(api):
    sign_in_as(api, R.COUNSELLOR)
    team = TeamFactory()
    commune = EmployerFactory(team=team)
    epci = EmployerFactory(kind="epci")
    Headcount.objects.create(employer=commune, year=2025, total=10)
    h2026 = Headcount.objects.create(employer=commune, year=2026, total=12)
    Headcount.objects.create(employer=epci, year=2026, total=40)
    draft = ConventionFactory(employer=commune)
    ConventionFactory(employer=epci, active=True)
    assert ids(api.get(url("employer-list"), {"kind": "epci"})) == {epci.pk}
    assert ids(api.get(url("employer-list"), {"team": team.pk})) == {commune.pk}
    params = {"employer": commune.pk, "year": 2026}
    assert ids(api.get(url("headcount-list"), params)) == {h2026.pk}
    params = {"status": "draft", "employer": commune.pk}
    assert ids(api.get(url("convention-list"), params)) == {draft.pk}


def test_an_unknown_filter_value_is_a_french_400(api):
    sign_in_as(api, R.COUNSELLOR)
    response = api.get(url("employer-list"), {"kind": "planet"})
    assert response.status_code == 400
    assert response.json()["detail"] == "«\xa0planet\xa0» n'est pas un choix valide."
    assert api.get(url("headcount-list"), {"year": "soon"}).status_code == 400


# --- Employers and conventions: writes through the services ------------------------------


def test_a_bad_siret_is_a_french_400_and_nothing_saved(api):
    OperatorFactory()
    sign_in_as(api, R.BILLING)
    response = api.post(url("employer-list"), employer_body(siret="21800000001230"))
    assert response.status_code == 400
    assert "clé de contrôle" in response.json()["errors"]["siret"][0]
    duplicate = EmployerFactory()
    response = api.post(url("employer-list"), employer_body(siret=duplicate.siret))
    assert response.json()["errors"] == {"siret": ["Un employeur porte déjà ce SIRET."]}
    assert Employer.objects.count() == 1


def test_a_manager_updates_an_employer(api):
    employer = EmployerFactory()
    user = sign_in_as(api, R.COUNSELLOR)
    response = api.patch(url("employer-detail", employer.pk), {"city": "Troyes"})
    assert response.status_code == 200
    assert response.json()["city"] == "Troyes"
    employer.refresh_from_db()
    assert employer.city == "Troyes"
    assert AuditEntry.objects.filter(actor=user, action="employer.update").exists()


def test_a_convention_goes_through_its_lifecycle(api):
    convention = ConventionFactory()
    sign_in_as(api, R.BILLING)
    response = api.post(url("convention-sign", convention.pk), {"signed_on": "2025-12-15"})
    assert response.status_code == 200
    assert response.json()["status"] == "signed"
    assert response.json()["signed_on"] == "2025-12-15"
    assert api.post(url("convention-activate", convention.pk)).json()["status"] == "active"
    response = api.post(url("convention-terminate", convention.pk), {"terminated_on": "2026-06-30"})
    assert response.json()["status"] == "terminated"
    assert response.json()["term_end"] == "2026-06-30"
    convention.refresh_from_db()
    assert (convention.status, convention.terminated_on) == ("terminated", dt.date(2026, 6, 30))
    actions = AuditEntry.objects.filter(action__startswith="convention.").values_list("action")
    assert [a for (a,) in actions] == [
        "convention.sign",
        "convention.activate",
        "convention.terminate",
    ]


@pytest.mark.parametrize(
    ("status", "action", "body", "message"),
    [
        (
            "draft",
            "convention-activate",
            {},
            "Cette convention est « Brouillon » : elle ne peut pas passer à « En vigueur ».",
        ),
        (
            "terminated",
            "convention-sign",
            {"signed_on": "2026-01-01"},
            "Cette convention est « Résiliée » : elle ne peut pas passer à « Signée ».",
        ),
        (
            "active",
            "convention-terminate",
            {"terminated_on": "2025-06-30"},
            "La date de résiliation précède le début de la convention.",
        ),
        ("draft", "convention-sign", {}, "Ce champ est obligatoire."),
    ],
)
def test_an_invalid_transition_is_a_french_400(api, status, action, body, message):
    convention = ConventionFactory(status=status)
    sign_in_as(api, R.COUNSELLOR)
    response = api.post(url(action, convention.pk), body)
    assert response.status_code == 400
    assert response.json()["detail"] == message
    convention.refresh_from_db()
    assert convention.status == status


def test_a_convention_update_is_checked_like_the_form_and_the_service(api):
    convention = ConventionFactory()
    sign_in_as(api, R.COUNSELLOR)
    detail = url("convention-detail", convention.pk)
    response = api.patch(detail, {"billing_mode": "sessions"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "session_rate": ["Ce montant est obligatoire pour ce mode de facturation."]
    }
    response = api.patch(detail, {"billing_mode": "sessions", "session_rate": "180.00"})
    assert response.json()["billing_mode"] == "sessions"
    assert api.patch(detail, {"status": "active"}).json()["status"] == "draft"  # read-only
    Convention.objects.filter(pk=convention.pk).update(status="terminated")
    response = api.patch(detail, {"reference": "X"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Une convention résiliée ne se modifie plus."


def test_a_convention_update_cannot_end_before_its_start(api):
    convention = ConventionFactory(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    sign_in_as(api, R.COUNSELLOR)
    response = api.patch(url("convention-detail", convention.pk), {"ends_on": "2025-06-30"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"ends_on": ["La fin ne peut pas précéder le début."]}
    convention.refresh_from_db()
    assert convention.ends_on == dt.date(2026, 12, 31)


def test_a_convention_for_an_unknown_employer_is_absent(api):
    sign_in_as(api, R.COUNSELLOR)
    response = api.post(url("convention-list"), convention_body(EmployerFactory.build(pk=999)))
    assert response.status_code == 404


# --- Headcounts and integration tokens ---------------------------------------------------


def headcount_body(of, **overrides):
    return {"siret": of.siret, "year": 2025, "total": 120, **overrides}


def integration_token(user, scopes=("headcounts.create",)):
    _, key = api_token_create(
        actor=None, user=user, name="SIRH", kind=ApiTokenKind.INTEGRATION, days=30, scopes=scopes
    )
    return bearer(key)


def test_an_integration_token_posts_a_headcount_and_reaches_nothing_else(api):
    employer = EmployerFactory()
    owner = UserFactory(role=R.BILLING)
    token = integration_token(owner)
    response = api.post(url("headcount-list"), headcount_body(employer), **token)
    assert response.status_code == 201
    headcount = Headcount.objects.get()
    assert (headcount.employer, headcount.year, headcount.total) == (employer, 2025, 120)
    assert AuditEntry.objects.filter(actor=owner, action="headcount.set").count() == 1
    for other in (
        api.get(url("headcount-list"), **token),
        api.get(url("headcount-detail", headcount.pk), **token),
        api.get(url("employer-list"), **token),
        api.post(url("convention-list"), convention_body(employer), **token),
    ):
        assert other.status_code == 403
        assert other.json()["detail"] == HEADCOUNT_FORBIDDEN


def test_an_integration_token_without_the_scope_cannot_post_a_headcount(api):
    employer = EmployerFactory()
    token = integration_token(UserFactory(role=R.BILLING), scopes=["referrals.create"])
    response = api.post(url("headcount-list"), headcount_body(employer), **token)
    assert response.status_code == 403
    assert not Headcount.objects.exists()


def test_an_hr_contacts_token_posts_only_his_employers_headcount(api):
    mine, other = EmployerFactory(), EmployerFactory()
    contact = UserFactory(role=R.EMPLOYER_CONTACT)
    mine.accounts.add(contact)
    token = integration_token(contact)
    assert api.post(url("headcount-list"), headcount_body(mine), **token).status_code == 201
    response = api.post(url("headcount-list"), headcount_body(other), **token)
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}
    by_id = {"employer": other.pk, "year": 2025, "total": 3}
    assert api.post(url("headcount-list"), by_id, **token).status_code == 404
    assert list(Headcount.objects.values_list("employer", flat=True)) == [mine.pk]


@pytest.mark.parametrize("role", list(Role))
def test_headcount_create_by_role(api, world, role):
    person(api, role, world)
    response = api.post(url("headcount-list"), headcount_body(world["mine"]))
    allowed = MANAGERS | {R.EMPLOYER_CONTACT}
    assert response.status_code == (201 if role in allowed else 403)
    assert Headcount.objects.exists() == (role in allowed)


def test_posting_a_year_again_replaces_it_in_full(api):
    employer = EmployerFactory()
    sign_in_as(api, R.COUNSELLOR)
    parts = {"titulaire": 100, "stagiaire": 5, "contractuel": 15}
    first = api.post(url("headcount-list"), headcount_body(employer, **parts))
    assert first.status_code == 201
    again = api.post(url("headcount-list"), {"employer": employer.pk, "year": 2025, "total": 130})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["total"] == 130
    assert again.json()["titulaire"] is None
    assert Headcount.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"total": -1}, "total", "Assurez-vous que cette valeur est supérieure ou égale à\xa00."),
        (
            {"titulaire": 100, "stagiaire": 5, "contractuel": 1},
            "non_field_errors",
            "La répartition par statut (106) ne correspond pas à l'effectif total (120).",
        ),
        (
            {"category_a": 200},
            "non_field_errors",
            "La répartition par catégorie (200) dépasse l'effectif total (120).",
        ),
        ({"year": 1789}, "year", "L'année doit être comprise entre 1990 et "),
        ({"siret": None}, "siret", "Ce champ ne peut être nul."),
    ],
)
def test_a_bad_headcount_is_a_french_400_and_nothing_is_written(api, overrides, field, message):
    employer = EmployerFactory()
    sign_in_as(api, R.BILLING)
    response = api.post(url("headcount-list"), headcount_body(employer, **overrides))
    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)
    assert not Headcount.objects.exists()
    assert not AuditEntry.objects.filter(action="headcount.set").exists()


def test_a_headcount_names_its_employer_once(api):
    employer = EmployerFactory()
    sign_in_as(api, R.BILLING)
    both = headcount_body(employer, employer=employer.pk)
    for body in (both, {"year": 2025, "total": 3}):
        response = api.post(url("headcount-list"), body)
        assert response.status_code == 400
        assert response.json()["detail"] == (
            "Indiquez l'employeur par son SIRET ou par son id (l'un des deux)."
        )


# --- Teams and FTE shares ----------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_teams_are_read_by_the_register_roles(api, role):
    team = TeamFactory()
    sign_in_as(api, role)
    response = api.get(url("team-list"))
    assert response.status_code == (200 if role in READERS else 403)
    if role in READERS:
        assert response.json()["results"][0]["counsellor"]["id"] == team.counsellor_id
        assert api.get(url("team-detail", team.pk)).json()["name"] == team.name


def test_a_counsellor_sets_fte_shares_and_hears_about_the_ceiling(api):
    counsellor = sign_in_as(api, R.COUNSELLOR)
    worker = SocialWorkerFactory(fte="0.80", team=TeamFactory(counsellor=counsellor))
    first, second = EmployerFactory(team=worker.team), EmployerFactory(team=worker.team)
    body = {"worker": worker.pk, "employer": first.pk, "year": 2026, "share": "0.500"}
    response = api.post(url("fte-share-list"), body)
    assert response.status_code == 201
    assert response.json()["employer_fte"] == "0.40000"
    assert response.json()["warning"] is None
    body = {**body, "employer": second.pk, "share": "0.400"}
    response = api.post(url("fte-share-list"), body)
    assert response.json()["warning"].startswith("Les quotes-parts de cette ASS totalisent 0,900")
    response = api.post(url("fte-share-list"), {**body, "share": "0.300"})
    assert (response.status_code, response.json()["warning"]) == (200, None)
    assert ids(api.get(url("fte-share-list"), {"year": 2026, "worker": worker.pk})) == set(
        FteShare.objects.values_list("pk", flat=True)
    )
    assert ids(api.get(url("fte-share-list"), {"year": 2025})) == set()


@pytest.mark.parametrize("role", list(Role))
def test_fte_share_create_by_role(api, role):
    user = sign_in_as(api, role)
    worker = SocialWorkerFactory(
        team=TeamFactory(counsellor=user) if role == R.COUNSELLOR else TeamFactory()
    )
    employer = EmployerFactory(team=worker.team)
    body = {"worker": worker.pk, "employer": employer.pk, "year": 2026, "share": "0.5"}
    response = api.post(url("fte-share-list"), body)
    assert response.status_code == (201 if role == R.COUNSELLOR else 403)


def test_a_social_worker_reads_only_her_own_fte_shares(api):
    mine = SocialWorkerFactory()
    colleague = SocialWorkerFactory(team=mine.team)
    employer = EmployerFactory(team=mine.team)
    own = FteShare.objects.create(worker=mine, employer=employer, year=2026, share="0.5")
    theirs = FteShare.objects.create(worker=colleague, employer=employer, year=2026, share="0.5")
    sign_in(api.client, mine.user)
    assert ids(api.get(url("fte-share-list"))) == {own.pk}
    assert api.get(url("fte-share-detail", theirs.pk)).status_code == 404
    assert api.get(url("fte-share-detail", own.pk)).json()["worker_name"] == mine.user.full_name


def test_the_schema_describes_the_organisation_endpoints(openapi):
    paths = set(openapi["paths"])
    assert {
        "/api/v1/employers/",
        "/api/v1/employers/{id}/",
        "/api/v1/headcounts/",
        "/api/v1/conventions/{id}/sign/",
        "/api/v1/conventions/{id}/activate/",
        "/api/v1/conventions/{id}/terminate/",
        "/api/v1/teams/",
        "/api/v1/fte-shares/",
    } <= paths
    assert openapi["paths"]["/api/v1/headcounts/"]["post"]["security"] == [
        {"jeton": []},
        {"session": []},
    ]


def test_a_method_a_view_does_not_route_is_405_not_403(api):
    team = TeamFactory()
    sign_in_as(api, R.SECRETARY)
    assert api.client.post(url("team-list")).status_code == 405
    assert api.client.delete(url("employer-detail", EmployerFactory().pk)).status_code == 405
    assert api.client.patch(url("team-detail", team.pk)).status_code == 405


def test_amendments_are_recorded_and_read_through_the_conventions_api(api):
    convention = ConventionFactory(active=True)
    sign_in_as(api, R.BILLING)
    body = {
        "signed_on": "2026-06-15",
        "effective_from": "2026-07-01",
        "hourly_rate": "61.37",
        "reason": "Revalorisation du taux horaire",
    }

    created = api.post(url("convention-amend", convention.pk), body)
    outside = api.post(
        url("convention-amend", convention.pk), body | {"effective_from": "2025-01-01"}
    )
    listed = api.get(url("convention-amendments", convention.pk))

    assert created.status_code == 201
    assert created.json()["number"] == 1 and created.json()["hourly_rate"] == "61.37"
    assert outside.status_code == 400
    assert "en dehors de la convention" in json.dumps(outside.json(), ensure_ascii=False)
    assert [row["effective_from"] for row in listed.json()["results"]] == ["2026-07-01"]
    assert AuditEntry.objects.filter(action="convention.amend").count() == 1
