"""Bad input is refused whole, with a clear French message: never a stack trace, never
lost data.

For every URL that takes a POST or a PATCH, pages and API, a user of a role that may use it
posts first values the URL accepts, then hostile but realistic ones (tests/bad_input_values.py):
empty fields, 10,000 characters, impossible dates, -1 and 1e309, unknown choices, absent or
someone else's ids, a NUL byte, and for the API a body that is not the JSON expected. Each
answer must be one a person can act on:

- a page: the form again (200) with French messages beside the fields, or a redirect (302)
  with a French message; an id that is absent or someone else's may answer the French 404;
- the API: 400 (415 for a body that is not JSON) with French messages in `detail` and
  `errors`, or 404 for an id out of reach;
- never a 500, and nothing written when the input is refused (every table compared before
  and after, apart from the audit journal and sessions, which a read writes to).

An accepted answer must not have stored what PostgreSQL would refuse (a NUL byte, a text
longer than its column), and a value no field may accept (an impossible date, an unknown
choice, an absent id) must not be accepted. URLs, roles and objects come from the URL ×
role matrix (tests/test_url_matrix.py); what it cannot tell is in tests/bad_input_rules.py.
Every request runs in a savepoint rolled back afterwards, so each starts from the same state.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
import traceback
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.db import connection, models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from polesocial.users.enums import Role
from tests import bad_input_values as values
from tests.bad_input_rules import RULES, Rule
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.organisations.test_api import saved_etag
from tests.test_url_matrix import MATRIX, kwargs_for
from tests.url_rows import ANON

WRITE_METHODS = ("post", "put", "patch")
# A read writes to these (journal, sessions, the second factor's throttling): not data.
NOT_DATA = {
    "sessions.session",
    "users.usersession",
    "privacy.auditentry",
    "privacy.auditchainhead",
    "privacy.auditcheckpoint",
    "otp_totp.totpdevice",
}


# --- Which URLs take input -------------------------------------------------------------


def _callbacks(resolver=None, namespace: str = "") -> dict:
    resolver = resolver or get_resolver()
    found = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            found |= _callbacks(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            found[f"{namespace}{pattern.name}"] = pattern.callback
    return found


def _allowed_methods(view) -> list[str] | None:
    """The methods of a require_http_methods / require_POST decorator, if any."""
    while view is not None:
        for cell in view.__closure__ or ():
            contents = cell.cell_contents
            if (
                isinstance(contents, list)
                and contents
                and all(isinstance(m, str) and m.isupper() for m in contents)
            ):
                return [m.lower() for m in contents]
        view = getattr(view, "__wrapped__", None)
    return None


def write_method(callback) -> str | None:
    """The method a URL takes input by (post or patch), None for a read-only URL."""
    if hasattr(callback, "actions"):  # a DRF viewset
        return next((m for m in WRITE_METHODS if m in callback.actions), None)
    if hasattr(callback, "view_class"):
        view_class = callback.view_class
        return next((m for m in WRITE_METHODS if hasattr(view_class, m)), None)
    allowed = _allowed_methods(callback)
    if allowed is not None:
        return next((m for m in WRITE_METHODS if m in allowed), None)
    source = inspect.getsource(inspect.unwrap(callback))
    return "post" if re.search(r"request\.(POST|FILES|method)", source) else None


CALLBACKS = _callbacks()
WRITE_URLS = sorted(name for name in MATRIX if write_method(CALLBACKS[name]))


def test_the_crawl_finds_the_forms_and_the_api():
    """A guard on the detection above: it must see form pages, one-click actions and API."""
    for name in ("organisations:employer_create", "casework:case_close", "api:case-list"):
        assert name in WRITE_URLS
    assert "organisations:employer_list" not in WRITE_URLS
    assert set(RULES) <= set(WRITE_URLS), "rules for URLs that take no input"


# --- The target: URL, user, fields, valid values ----------------------------------------


class Target:
    def __init__(self, name: str, client):
        self.name = name
        self.client = client
        self.rule: Rule = RULES.get(name, Rule())
        matrix_method, builder, expected = MATRIX[name]
        self.role = self.rule.role or _default_role(name, matrix_method, expected)
        self.method = write_method(CALLBACKS[name])
        self.api = name.startswith("api:")
        self.user = None
        if self.role != ANON:
            self.user = UserFactory(role=self.role)
            sign_in(client, self.user)
        build = self.rule.builder or (lambda user: kwargs_for(builder, user))
        # Keys starting with "_" carry objects from the builder to `setup` and `base`.
        self.kwargs = build(self.user)
        if self.rule.setup:
            self.rule.setup(client, self.user, self.kwargs)
        url_kwargs = {k: v for k, v in self.kwargs.items() if not k.startswith("_")}
        self.url = reverse(name, kwargs=url_kwargs)
        self.given = self.rule.base(self.user, self.kwargs) if self.rule.base else {}
        self.fields: list[values.Field] = []
        self.fields = self._api_fields() if self.api else self._page_fields()
        self.fields += self._raw_fields()
        made_up = {f.name: f.valid for f in self.fields if f.valid is not None}
        self.base = made_up | self.given
        self.more = self.rule.more(self.user) if self.rule.more else []
        self.before: dict | None = None  # the tables before any request (judge)

    def __str__(self):
        return f"{self.method.upper()} {self.url} ({self.name}) as {self.role}"

    def _raw_fields(self) -> list[values.Field]:
        foreign = self.rule.foreign(self.user) if self.rule.foreign else {}
        known = {f.name: f for f in self.fields}
        items = []
        for where, declared in ((False, self.rule.fields), (True, self.rule.query)):
            for name, kind in declared.items():
                if name in known:  # a form field whose real kind the form cannot tell
                    known[name].kind = kind
                else:
                    item = values.Field(name, kind, self.given.get(name), query=where)
                    item.lenient = where  # a page's own link sets it; a bad one is defaulted
                    items.append(item)
        for item in self.fields + items:
            item.foreign = foreign.get(item.name, item.foreign)
        return items

    def _page_fields(self) -> list[values.Field]:
        """The fields of the forms the view builds from the posted data (a probe)."""
        probe = {"_probe": "1", **self.given}
        with rolled_back(self.client), spy_forms() as built:
            send(self, probe)
            bound = [f for f in built if isinstance(f, forms.BaseForm) and _posted(f)]
            fields: dict[str, values.Field] = {}
            for form in bound:
                for item in values.form_fields(form):
                    fields.setdefault(item.name, item)
        return list(fields.values())

    def _api_fields(self) -> list[values.Field]:
        """The serializer's fields; valid values for the required ones only (an optional one
        may exclude another: a referral names its employer by id or by SIRET)."""
        body = _request_schema(self.url, self.method)
        required = set(body.get("required", []))
        items = []
        for name, prop in body.get("properties", {}).items():
            if prop.get("readOnly"):
                continue
            kind = values.schema_kind(name, prop)
            valid = _schema_valid(kind, prop) if name in required else None
            items.append(values.Field(name, kind, valid))
        return items


def _default_role(name: str, matrix_method: str, expected: dict):
    # An API collection's row is a read: its readers are not its writers.
    assert matrix_method.lower() == write_method(CALLBACKS[name]) or not name.startswith("api:"), (
        f"{name}: the matrix row is a read; say who writes in tests/bad_input_rules.py"
    )
    if expected[ANON] == 200:
        return ANON
    role = next((r for r in Role if expected[r] in (200, 302, 400)), None)
    assert role is not None, f"{name}: no role may use it; add a rule in bad_input_rules.py"
    return role


def _posted(form) -> bool:
    return form.is_bound and "_probe" in form.data


@contextmanager
def spy_forms():
    """Every form and formset built while the block runs."""
    built = []
    original_form, original_formset = forms.BaseForm.__init__, forms.BaseFormSet.__init__

    def form_init(self, *args, **kwargs):
        original_form(self, *args, **kwargs)
        built.append(self)

    def formset_init(self, *args, **kwargs):
        original_formset(self, *args, **kwargs)
        built.append(self)

    with (
        mock.patch.object(forms.BaseForm, "__init__", form_init),
        mock.patch.object(forms.BaseFormSet, "__init__", formset_init),
    ):
        yield built


@contextmanager
def rolled_back(client):
    """Run the block in a savepoint and roll it back, whatever happens, with the client's
    cookies: a sign-in or a sign-out changes the session key to one rolled back."""
    savepoint = transaction.savepoint()
    cookies = copy.deepcopy(client.cookies)
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        client.cookies = cookies


_SCHEMA = {}


def _request_schema(url: str, method: str) -> dict:
    if not _SCHEMA:
        from drf_spectacular.generators import SchemaGenerator

        _SCHEMA.update(SchemaGenerator().get_schema(request=None, public=True))
    for path, operations in _SCHEMA["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", path), url) and method in operations:
            content = operations[method].get("requestBody", {}).get("content", {})
            return _resolve(content.get("application/json", {}).get("schema", {}))
    raise AssertionError(f"{method} {url} is not in the OpenAPI schema")


def _resolve(schema: dict) -> dict:
    if "$ref" in schema:
        return _SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _schema_valid(kind: str, prop: dict):
    """A value an API field accepts on its own; None when it cannot be made up (ids)."""
    if kind == values.CHOICE:
        choices = prop.get("enum") or _resolve(prop["allOf"][0]).get("enum", [])
        return next((c for c in choices if c), None)
    if kind == values.MULTICHOICE:
        items = _resolve(prop["items"])
        return [items["enum"][0]] if items.get("enum") else None
    made_up = {
        values.DATE: "2026-03-02",
        values.NUMBER: "1" if prop.get("format") == "decimal" else max(prop.get("minimum", 1), 1),
        values.BOOL: False,
        values.TEXT: "Texte de test"[: prop.get("maxLength", 100)],
        values.EMAIL: "agent@example.fr",
    }
    return made_up.get(kind)


# --- Sending ------------------------------------------------------------------------------


class Raw(str):
    """A JSON literal sent as is: a number Python's json would not write (1e309)."""


class Body:
    """A request body sent as is, with its content type (malformed JSON, plain text)."""

    def __init__(self, content: str, content_type: str):
        self.content, self.content_type = content, content_type


NUMERIC = re.compile(r"-?\d+(\.\d+)?(e\d+)?")


def to_json(value) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_json(v) for v in value) + "]"
    return json.dumps(value)


def _api_value(kind: str, value):
    """Numbers and ids as JSON numbers, as a client would send them."""
    if isinstance(value, list):
        return [_api_value(kind, v) for v in value]
    numeric = kind in (values.NUMBER, values.ID, values.MULTIID)
    if numeric and isinstance(value, str) and NUMERIC.fullmatch(value):
        return Raw(value)
    return value


def _materialise(data: dict) -> dict:
    return {k: v.make() if isinstance(v, values.Upload) else v for k, v in data.items()}


def send(target: Target, data):
    client = target.client
    client.cookies.pop("messages", None)  # a message left by the previous request
    query = {}
    if isinstance(data, dict):
        data = dict(data)
        query = {name: data.pop(name) for name in target.rule.query if name in data}
    url = target.url + (f"?{urlencode(query, doseq=True)}" if query else "")
    # A change in place names the version it changes (api.base: 428 without).
    extra = {"HTTP_IF_MATCH": saved_etag(target.url)} if target.method in ("put", "patch") else {}
    if isinstance(data, Body):
        return client.generic(target.method.upper(), url, data.content, data.content_type, **extra)
    if target.api:
        kinds = {f.name: f.kind for f in target.fields}
        body = {k: _api_value(kinds.get(k, ""), v) for k, v in data.items()}
        return client.generic(
            target.method.upper(), url, to_json(body), "application/json", **extra
        )
    return client.post(url, _materialise(data))


def api_bodies(target: Target) -> list[tuple[str, object, bool]]:
    """(label, body, must be refused): bodies that are not the JSON object expected."""
    has_fields = bool(target.fields)
    flat = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in target.base.items()}
    form = Body(urlencode(flat, doseq=True), "application/x-www-form-urlencoded")
    bodies = [
        ("JSON mal formé", Body('{"', "application/json"), has_fields),
        ("JSON qui n'est pas un objet", Body('["a"]', "application/json"), has_fields),
        ("texte brut au lieu de JSON", Body("bonjour", "text/plain"), has_fields),
        ("formulaire au lieu de JSON", form, False),
    ]
    if has_fields:
        wrong = {f.name: {"a": [1]} for f in target.fields if not f.query}
        nulls = {f.name: None for f in target.fields if not f.query}
        bodies.append(("types JSON faux", target.base | wrong, True))
        bodies.append(("null partout", target.base | nulls, False))
    return bodies


# --- What an answer says ------------------------------------------------------------------


def snapshot(ignored: set[str]) -> dict:
    """Every row of every table that holds data, by model and primary key, as stored (raw
    SQL: no decryption, and what PostgreSQL would be given)."""
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label_lower in ignored or not model._meta.managed:
                continue
            columns = [f.column for f in model._meta.concrete_fields]
            key = columns.index(model._meta.pk.column)
            names = ", ".join(quote(c) for c in columns)
            # Names from the models, no input: nothing to inject.
            cursor.execute(f"SELECT {names} FROM {quote(model._meta.db_table)}")  # noqa: S608
            state[model] = {row[key]: row for row in cursor.fetchall()}
    return state


def changed_rows(before: dict, after: dict) -> list[tuple]:
    changes = []
    for model, rows in after.items():
        old = before.get(model, {})
        changes += [(model, pk, row) for pk, row in rows.items() if old.get(pk) != row]
        changes += [(model, pk, None) for pk in old.keys() - rows.keys()]
    return changes


def unstorable(changes: list[tuple]) -> list[str]:
    """What PostgreSQL would refuse (SQLite stores it): a NUL byte, a text too long."""
    found = []
    for model, pk, row in changes:
        if row is None:
            continue
        for model_field, value in zip(model._meta.concrete_fields, row, strict=True):
            if not isinstance(value, str):
                continue
            where = f"{model._meta.label}.{model_field.name} (pk {pk})"
            if "\x00" in value:
                found.append(f"a NUL byte stored in {where}")
            limit = getattr(model_field, "max_length", None)
            if isinstance(model_field, models.CharField) and limit and len(value) > limit:
                found.append(f"{len(value)} characters stored in {where}, column of {limit}")
    return found


def _form_errors(built: list) -> list[str]:
    errors = []
    for item in built:
        if isinstance(item, forms.BaseFormSet):
            if item.is_bound and item._non_form_errors is not None:
                errors += list(item.non_form_errors())
        elif isinstance(item, forms.formsets.ManagementForm):
            continue  # its errors are the formset's
        elif item.is_bound and item._errors is not None:
            errors += [e for field_errors in item.errors.values() for e in field_errors]
    return errors


def _heading(html: str) -> list[str]:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    return [re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()] if match else []


def page_verdict(response, built: list, report=None) -> values.Verdict:
    status = response.status_code
    flashed = [str(m) for m in get_messages(response.wsgi_request) if m.level >= ERROR]
    if status == 302:
        return values.Verdict(accepted=not flashed, messages=flashed)
    html = response.content.decode()
    if status == 404:
        return values.Verdict(accepted=False, messages=_heading(html))
    if status != 200:
        return values.Verdict(accepted=False, problems=[f"answered {status}"])
    shown = _form_errors(built) + flashed + (report(response) if report else [])
    verdict = values.Verdict(accepted=not shown, messages=shown)
    hidden = sorted({m for m in shown if escape(m) not in html})
    if hidden:
        verdict.problems.append(f"messages not shown on the page: {hidden}")
    return verdict


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [str(data)]


def api_verdict(response) -> values.Verdict:
    status = response.status_code
    if 200 <= status < 300:
        return values.Verdict(accepted=True)
    if status not in (400, 404, 413, 415):
        return values.Verdict(accepted=False, problems=[f"answered {status}"])
    try:
        body = response.json()
    except ValueError:
        return values.Verdict(accepted=False, problems=[f"{status} without a JSON body"])
    verdict = values.Verdict(accepted=False, messages=_strings(body))
    if not isinstance(body, dict) or not body.get("detail"):
        verdict.problems.append(f"{status} without a detail: {body}")
    return verdict


# --- One request, judged --------------------------------------------------------------------


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}…({len(text)} characters)"


def judge(target: Target, label: str, data, *, must_refuse=False, must_accept=False, ids=False):
    """The problems of one request: a crash, a refusal without a French message, a write on
    refusal, an accepted value no field may accept, what PostgreSQL would refuse."""
    ignored = NOT_DATA | set(target.rule.writes_on_refusal)
    # Every request is rolled back: the state before each one is the same.
    target.before = before = target.before or snapshot(ignored)
    with rolled_back(target.client):
        with spy_forms() as built:
            try:
                response = send(target, data)
            except Exception as error:  # the test client re-raises the view's exception
                where = traceback.extract_tb(error.__traceback__)[-1]
                return [f"500 {type(error).__name__}: {error} (at {where.filename}:{where.lineno})"]
        after = snapshot(ignored)
        if target.api:
            verdict = api_verdict(response)
        else:
            verdict = page_verdict(response, built, target.rule.report)
        changes = changed_rows(before, after)
    if verdict.problems and not (verdict.accepted or verdict.messages):
        return verdict.problems  # an answer of the wrong kind: nothing more to judge
    problems = list(verdict.problems)
    if values.TRACEBACK.search(response.content.decode(errors="replace")):
        problems.append("a stack trace in the answer")
    if verdict.accepted:
        if must_refuse:
            problems.append(f"accepted ({response.status_code}) a value it should refuse")
        problems += unstorable(changes)
    else:
        if must_accept:
            problems.append(f"valid values refused ({response.status_code}): {verdict.messages}")
        if not verdict.messages:
            problems.append(f"refused ({response.status_code}) without a message")
        english = [m for m in verdict.messages if values.not_french(m)]
        if english:
            problems.append(f"messages not in French: {[_short(m) for m in english]}")
        if response.status_code == 404 and not ids and not must_accept:
            problems.append("404 for a value that names no object")
        if changes:
            written = sorted({f"{model._meta.label} pk {pk}" for model, pk, _ in changes})
            problems.append(f"written on refusal: {written}")
    return problems


def _payload_text(data, changed: list[str]) -> str:
    if isinstance(data, Body):
        return f"{data.content_type} body {_short(data.content)}"
    return ", ".join(f"{name}={_short(data.get(name))}" for name in changed) or "no field"


@pytest.mark.django_db
@pytest.mark.parametrize("name", WRITE_URLS)
def test_bad_input_is_refused_whole(client, name):
    target = Target(name, client)
    problems = judge(target, "valeurs valides", target.base, must_accept=True)
    # Refusals of bad values mean nothing if valid ones are refused too.
    assert not problems, f"{target}: valid values {target.base}: {problems}"
    failures = []
    fields = {f.name: f for f in target.fields}
    kinds = {name: f.kind for name, f in fields.items()}
    for bad_value, data, changed in values.payloads(target.fields, target.base):
        ids = any(kinds[name] in (values.ID, values.MULTIID) for name in changed)
        strict = bad_value.refused and not all(fields[name].lenient for name in changed)
        problems = judge(target, bad_value.label, data, must_refuse=strict, ids=ids)
        text = _payload_text(data, changed)
        failures += [f"{bad_value.label} [{text}]: {problem}" for problem in problems]
    for label, body, refused in api_bodies(target) if target.api else []:
        problems = judge(target, label, body, must_refuse=refused)
        text = _payload_text(body, list(kinds))
        failures += [f"{label} [{text}]: {problem}" for problem in problems]
    for label, data, refused in target.more:
        problems = judge(target, label, target.base | data, must_refuse=refused)
        failures += [f"{label}: {problem}" for problem in problems]
    assert not failures, f"{target}:\n" + "\n".join(failures)


# Filters read from the query string of list pages: a bad number is ignored, never a 500.
LIST_FILTERS = [
    ("organisations:employer_list", "equipe", Role.COUNSELLOR),
    ("organisations:fte_plan", "annee", Role.COUNSELLOR),
    ("casework:caseloads", "ass", Role.COUNSELLOR),
    ("billing:invoice_list", "annee", Role.BILLING),
    ("billing:fte_dashboard", "annee", Role.COUNSELLOR),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "param", "role"), LIST_FILTERS)
def test_a_bad_number_in_a_list_filter_is_ignored(client_as, name, param, role):
    client = client_as(role)
    for value in ("²", "9" * 5000, values.HUGE, "douze", values.NUL):
        response = client.get(reverse(name), {param: value})
        assert response.status_code == 200, f"{name}?{param}={value[:20]!r}"
