"""Hostile but realistic input for tests/test_bad_input.py: the values, and how they are
combined into a bounded number of payloads per URL.

A field is described by its *kind* (text, date, number, choice, id…), read from the form
classes a view builds or from the API's OpenAPI schema. Each payload starts from values the
URL accepts and puts one kind of bad value into every field it fits, so that one request
tries, say, an impossible date in every date field at once: a dozen requests per URL
instead of fields × values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

LONG = "x" * 10_000
NUL = "a\x00b"
HUGE = "99999999999999999999"
ABSENT_ID = "999999999"

TEXT, EMAIL, DATE, NUMBER, CHOICE, MULTICHOICE = (
    "text",
    "email",
    "date",
    "number",
    "choice",
    "multichoice",
)
ID, MULTIID, BOOL, FILE, OBJECT, LIST = "id", "multiid", "bool", "file", "object", "list"
ALL = "all"


@dataclass(frozen=True)
class Upload:
    """A file to post; a fresh uploaded file is made for every request."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"

    def make(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content, self.content_type)


PDF = Upload("attestation.pdf", b"%PDF-1.4\n% attestation\n%%EOF\n", "application/pdf")
EMPTY_FILE = Upload("vide.pdf", b"", "application/pdf")
DISGUISED_FILE = Upload("facture.pdf", b"MZ\x90\x00\x03\x00 pas un PDF", "application/pdf")
OTHER_JSON = Upload("donnees.json", b'{"annee": 2025, "agents": [1, 2]}', "application/json")


@dataclass
class Field:
    """One input of a form or a serializer: what it is, and a value it accepts."""

    name: str
    kind: str
    valid: object = None
    # An existing object of the right type that the user may not use (None: none exists).
    foreign: object = None
    # Where the view reads it: the body, or the query string (billing's ?annee=).
    query: bool = False
    # A value it may ignore or default (a formset's hidden counts, a year in the query
    # string): accepting a bad one is no failure, crashing or writing on refusal is.
    lenient: bool = False


@dataclass(frozen=True)
class Bad:
    """One payload: `value` put in every field whose kind is in `kinds`.

    `refused`: a value no field of these kinds may accept (an impossible date, an absent
    id…); an accepted one is a bug. The others (empty, 10,000 characters, -1) may be fine
    for some fields, and then only have to be handled without a crash or a partial write.
    """

    label: str
    kinds: frozenset
    value: object
    refused: bool = False
    # One payload per field rather than one for all: a bad id in the first field checked
    # would hide what the view does with the others (an id out of range crashes SQLite).
    split: bool = False


def bad(label, kinds, value, *, refused=False, split=False) -> Bad:
    return Bad(label, frozenset(kinds), value, refused=refused, split=split)


FOREIGN = object()  # stands for "the field's foreign id"

BAD_VALUES: list[Bad] = [
    bad("vide", {ALL}, ""),
    bad("10 000 caractères dans le texte", {TEXT, EMAIL}, LONG),
    bad("10 000 caractères partout", {ALL}, LONG),
    bad("date impossible 2026-02-30", {DATE}, "2026-02-30", refused=True),
    bad("date 31/12/2026", {DATE}, "31/12/2026"),
    bad("date « demain »", {DATE}, "demain", refused=True),
    bad("nombre -1", {NUMBER}, "-1"),
    bad("nombre 1e309", {NUMBER}, "1e309", refused=True),
    bad(f"nombre {HUGE}", {NUMBER}, HUGE, refused=True, split=True),
    bad("nombre en lettres", {NUMBER}, "douze", refused=True),
    # A digit for str.isdigit() that int() refuses; more digits than int() reads.
    bad("nombre « ² »", {NUMBER, ID}, "²", refused=True),
    bad("nombre de 5 000 chiffres", {NUMBER, ID}, "9" * 5000, refused=True),
    bad("choix inconnu", {CHOICE, MULTICHOICE}, "inconnu", refused=True),
    bad("id absent", {ID, MULTIID}, ABSENT_ID, refused=True, split=True),
    bad("id d'un objet d'autrui", {ID, MULTIID}, FOREIGN, refused=True, split=True),
    bad("id en lettres", {ID, MULTIID}, "abc", refused=True, split=True),
    bad(f"id {HUGE}", {ID, MULTIID}, HUGE, refused=True, split=True),
    bad("octet NUL", {ALL}, NUL, refused=True),
    bad("fichier vide", {FILE}, EMPTY_FILE),
    bad("fichier déguisé en PDF", {FILE}, DISGUISED_FILE),
    bad("fichier JSON d'un autre format", {FILE}, OTHER_JSON),
]


def _fits(bad_value: Bad, item: Field) -> bool:
    if item.kind in (OBJECT, LIST):  # nested API bodies: only the JSON type payloads
        return False
    if item.kind == FILE:
        return FILE in bad_value.kinds or (ALL in bad_value.kinds and bad_value.value == "")
    return ALL in bad_value.kinds or item.kind in bad_value.kinds


def _value_for(bad_value: Bad, item: Field):
    value = bad_value.value
    if value is FOREIGN:
        value = item.foreign
    if item.kind in (MULTICHOICE, MULTIID) and not isinstance(value, list):
        return [] if value == "" else [value]
    return value


def payloads(fields: list[Field], base: dict) -> list[tuple[Bad, dict, list[str]]]:
    """(bad value, payload, names of the fields it changed), for every bad value that fits
    at least one field; the other fields keep their valid value."""
    result = []
    for bad_value in BAD_VALUES:
        targets = [f for f in fields if _fits(bad_value, f)]
        if bad_value.value is FOREIGN:
            targets = [f for f in targets if f.foreign is not None]
        for group in [[t] for t in targets] if bad_value.split else [targets] if targets else []:
            data = dict(base)
            for item in group:
                data[item.name] = _value_for(bad_value, item)
            result.append((bad_value, data, [f.name for f in group]))
    return result


# --- Valid values, from a Django form field ------------------------------------------------


def kind_of(form_field) -> str:
    """The kind of a Django form field (the order matters: subclasses first)."""
    checks = [
        (forms.ModelMultipleChoiceField, MULTIID),
        (forms.ModelChoiceField, ID),
        (forms.MultipleChoiceField, MULTICHOICE),
        (forms.ChoiceField, CHOICE),
        (forms.BooleanField, BOOL),
        (forms.DateField, DATE),
        (forms.DateTimeField, DATE),
        (forms.IntegerField, NUMBER),
        (forms.DecimalField, NUMBER),
        (forms.FloatField, NUMBER),
        (forms.FileField, FILE),
        (forms.EmailField, EMAIL),
    ]
    return next((kind for cls, kind in checks if isinstance(form_field, cls)), TEXT)


def _initial(form, name: str):
    value = form.initial.get(name, form.fields[name].initial)
    return value() if callable(value) else value


def _as_posted(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [_as_posted(v) for v in value]
    return value


def _number(form_field) -> str:
    low, high = getattr(form_field, "min_value", None), getattr(form_field, "max_value", None)
    value = 1 if low is None or low <= 1 else low
    return str(high if high is not None and high < value else value)


def _first_choice(form_field):
    return next((str(value) for value, _label in form_field.choices if value != ""), "")


def _text(form_field) -> str:
    text = "Texte de test"
    max_length = getattr(form_field, "max_length", None)
    return text[:max_length] if max_length else text


def valid_value(form, name: str):
    """A value the field accepts on its own: its initial value, else one made up by kind."""
    form_field = form.fields[name]
    kind = kind_of(form_field)
    initial = _initial(form, name)
    if initial not in (None, "", []) and kind != FILE:
        return _as_posted(initial)
    if kind in (ID, MULTIID):
        first = form_field.queryset.order_by("pk").values_list("pk", flat=True).first()
        if first is None:
            return [] if kind == MULTIID else ""
        return [first] if kind == MULTIID else first
    made_up = {
        MULTICHOICE: lambda: [_first_choice(form_field)],
        CHOICE: lambda: _first_choice(form_field),
        BOOL: lambda: "on",
        DATE: lambda: timezone.localdate().isoformat(),
        NUMBER: lambda: _number(form_field),
        FILE: lambda: PDF,
        EMAIL: lambda: "agent@example.fr",
    }
    return made_up.get(kind, lambda: _text(form_field))()


def foreign_id(form_field):
    """An existing object of the field's model that its queryset does not offer."""
    queryset = form_field.queryset
    others = queryset.model._base_manager.exclude(pk__in=queryset.values("pk"))
    return others.order_by("pk").values_list("pk", flat=True).first()


def form_fields(form) -> list[Field]:
    items = []
    hidden_counts = isinstance(form, forms.formsets.ManagementForm)
    for name, form_field in form.fields.items():
        kind = kind_of(form_field)
        item = Field(form.add_prefix(name), kind, valid_value(form, name), lenient=hidden_counts)
        if kind in (ID, MULTIID):
            item.foreign = foreign_id(form_field)
        items.append(item)
    return items


# --- Valid values, from the OpenAPI schema ---------------------------------------------------


def schema_kind(name: str, prop: dict) -> str:
    """The kind of a serializer field from its OpenAPI property."""
    if "allOf" in prop or "enum" in prop:
        return CHOICE
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items", {})
        if "$ref" in items or "enum" in items:
            return MULTICHOICE
        return MULTIID if items.get("type") == "integer" else LIST
    if kind == "object":
        return OBJECT
    if kind == "boolean":
        return BOOL
    if kind == "integer":
        described = (prop.get("description", "") + prop.get("title", "")).lower()
        is_id = "id " in described or described.startswith("id") or name in ID_NAMES
        return ID if is_id else NUMBER
    if prop.get("format") == "date":
        return DATE
    if prop.get("format") == "decimal":
        return NUMBER
    if "oneOf" in prop:
        return EMAIL
    return TEXT


# Integer fields of the API that name an object (the schema says "Id de…" for most).
ID_NAMES = {"case", "consent", "employer", "objective", "partner", "team", "worker"}


# --- Is an answer French? --------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(the|this|that|is|are|was|not|must|should|field|valid|value|required|expected|"
    r"please|enter|ensure|invalid|characters|string|integer|number|choice|object|got|"
    r"have|has|only|with|than|error|found|allowed|parse)\b",
    re.IGNORECASE,
)
FRENCH = re.compile(
    r"[àâçéèêëîïôûùüœ]|\b(le|la|les|de|des|du|un|une|est|sont|pas|ce|cette|ces|au|aux|en|"
    r"ne|ou|et|non|vous|votre|pour|sur|dans|avec|par|champ|fichier|page|saisissez|"
    r"choisissez|indiquez|introuvable|illisible|inconnue?|invalide|obligatoire)\b|"
    r"\b[dlnjsc]'",
    re.IGNORECASE,
)
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/")


def not_french(message: str) -> bool:
    """True when a message is English, or shows no sign of being French."""
    # Our own values may be echoed back ("inconnu" n'est pas un choix valide): not words.
    words = message.replace(LONG, "").replace(NUL, "")
    return bool(ENGLISH.search(words)) or not FRENCH.search(words)


@dataclass
class Verdict:
    """What one answer says: accepted or refused, the messages shown, what went wrong."""

    accepted: bool
    messages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
