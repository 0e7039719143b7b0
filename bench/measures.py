"""The measures, each timed against its floor (see bench/README.md for what they mean)."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.timing import Timing, compare, french_number
from polesocial.notifications.models import Notification
from polesocial.privacy import crypto
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from tests.conftest import sign_in


@dataclass(frozen=True)
class Plan:
    """How much to create and how many times to repeat: full run or `--small` smoke run."""

    employers_first: int = 200
    employers: int = 2000
    journal_entries: int = 20_000
    appends: int = 50
    verify_repeat: int = 5
    round_trips: int = 300
    page_fetches: int = 4
    repeat: int = 9
    invoice_repeat: int = 3  # one re-run takes seconds at 200 employers, a minute at 2,000
    report_builds: int = 3

    @classmethod
    def small(cls) -> Plan:
        return cls(
            employers_first=10,
            employers=30,
            journal_entries=300,
            appends=10,
            verify_repeat=2,
            round_trips=20,
            page_fetches=2,
            repeat=3,
            invoice_repeat=2,
            report_builds=1,
        )


@dataclass
class Row:
    """One line of the table: a measure, its floor and the ratio of their times."""

    key: str
    label: str
    value: float
    unit: str
    floor: float
    floor_unit: str
    floor_label: str
    ratio: float
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


def _rate_row(key, label, unit, floor_unit, floor_label, timing: Timing, per_op=1, **details):
    """A row in operations per second (`per_op` items handled by one timed operation)."""
    return Row(
        key=key,
        label=label,
        value=per_op / timing.measure,
        unit=unit,
        floor=per_op / timing.floor,
        floor_unit=floor_unit,
        floor_label=floor_label,
        ratio=timing.ratio,
        details={**details, **_samples(timing)},
    )


def duration_row(key, label, unit, floor_unit, floor_label, timing: Timing, per=1, **details):
    """A row in milliseconds per operation, or per item when one operation handles `per`."""
    return Row(
        key=key,
        label=label,
        value=timing.measure * 1000 / per,
        unit=unit,
        floor=timing.floor * 1000 / per,
        floor_unit=floor_unit,
        floor_label=floor_label,
        ratio=timing.ratio,
        details={**details, **_samples(timing)},
    )


def _samples(timing: Timing) -> dict:
    return {
        "seconds_per_op": timing.measure,
        "floor_seconds_per_op": timing.floor,
        "samples": list(timing.measure_samples),
        "floor_samples": list(timing.floor_samples),
    }


# 1. Audit journal append --------------------------------------------------------------


def audit_append(organisation, plan: Plan) -> Row:
    """One `audit_log` per transaction, against one plain INSERT per transaction."""
    actor, target = organisation.system_user, organisation.featured
    counter = itertools.count()

    def append():
        audit_log(
            actor=actor,
            action=AuditAction.EMPLOYER_UPDATE,
            target=target,
            detail={"n": next(counter)},
        )

    def insert():
        with transaction.atomic():
            Notification.objects.create(
                recipient=actor,
                title="Lecture de la fiche employeur",
                url=f"/employeurs/{target.pk}/",
                body=f"Entrée {next(counter)}",
            )

    timing = compare(append, insert, number=plan.appends, repeat=plan.repeat)
    return _rate_row(
        "audit_append",
        "Ajout au journal d'audit (audit_log, 1 transaction)",
        "ajouts/s",
        "INSERT/s",
        "INSERT d'une notification, 1 transaction",
        timing,
        appends_per_repetition=plan.appends,
    )


# 2. Journal verification --------------------------------------------------------------


def verify_journal(plan: Plan) -> Row:
    """`manage.py verify_audit` over the whole journal, against reading the same rows."""
    entries = AuditEntry.objects.count()

    def verify():
        out, err = StringIO(), StringIO()
        call_command("verify_audit", stdout=out, stderr=err)
        if "intègre" not in out.getvalue():
            raise RuntimeError(f"verify_audit n'a pas conclu : {out.getvalue()!r}")

    # Every column of the journal, as the verification loads them (schema changes follow).
    columns = [f.attname for f in AuditEntry._meta.concrete_fields]

    def read():
        rows = AuditEntry.objects.order_by("sequence").values_list(*columns)
        for _ in rows.iterator(chunk_size=2000):
            pass

    timing = compare(verify, read, number=1, repeat=plan.verify_repeat)
    return _rate_row(
        "audit_verify",
        f"Vérification du journal (verify_audit, {french_number(entries)} entrées)",
        "entrées/s",
        "lignes/s",
        "lecture des mêmes lignes par values_list()",
        timing,
        per_op=entries,
        entries=entries,
    )


# 3. Field encryption ------------------------------------------------------------------

NOTE_BYTES = 2048
SENTENCE = (
    "Entretien avec l'agent : difficultés de logement, demande d'aide financière "
    "exceptionnelle, orientation vers le médecin de prévention. "
)


def note_of_2_kb() -> str:
    """French text of exactly NOTE_BYTES bytes in UTF-8 (accents included)."""
    raw = (SENTENCE * (NOTE_BYTES // len(SENTENCE) + 1)).encode()[:NOTE_BYTES]
    text = raw.decode("utf-8", errors="ignore")
    return text + "." * (NOTE_BYTES - len(text.encode()))


def encryption_round_trip(plan: Plan) -> Row:
    """crypto.encrypt then crypto.decrypt of a 2 KB note, against its SHA-256."""
    note = note_of_2_kb()
    if crypto.decrypt(crypto.encrypt(note)) != note:
        raise RuntimeError("L'aller-retour de chiffrement ne rend pas le texte d'origine.")

    def round_trip():
        crypto.decrypt(crypto.encrypt(note))

    def digest():
        hashlib.sha256(note.encode("utf-8")).hexdigest()

    timing = compare(round_trip, digest, number=plan.round_trips, repeat=plan.repeat)
    return _rate_row(
        "crypto_round_trip",
        "Chiffrement + déchiffrement d'une note de 2 Ko",
        "allers-retours/s",
        "SHA-256/s",
        "SHA-256 du même texte",
        timing,
        note_bytes=NOTE_BYTES,
    )


# 4. Pages -----------------------------------------------------------------------------


def signed_in_client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def page_urls(organisation) -> dict[str, tuple[str, str]]:
    """key -> (French label, URL) of the pages measured (the floor comes first)."""
    detail = reverse("organisations:employer_detail", args=[organisation.featured.pk])
    employers = reverse("organisations:employer_list")
    return {
        "health": ("Point de santé /sante/", reverse("core:health")),
        "employer_list": ("Liste des employeurs (25 par page)", employers),
        "employer_list_filtered": (
            "Liste des employeurs filtrée (convention en vigueur)",
            f"{employers}?statut=active",
        ),
        "employer_detail": ("Fiche d'un employeur", detail),
    }


def _fetch(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} a répondu {response.status_code} au lieu de 200.")
    return response


def pages(organisation, client: Client, plan: Plan) -> list[Row]:
    """Each page through the signed-in client, against /sante/ through the same client."""
    urls = page_urls(organisation)
    health = urls.pop("health")[1]
    rows = []
    for key, (label, url) in urls.items():
        timing = compare(
            lambda url=url: _fetch(client, url),
            lambda: _fetch(client, health),
            number=plan.page_fetches,
            repeat=plan.repeat,
            warmup=2,
        )
        rows.append(
            duration_row(
                key,
                f"{label} — {french_number(len(organisation.employers))} employeurs",
                "ms/page",
                "ms",
                "GET /sante/, même client connecté",
                timing,
                url=url,
                employers=len(organisation.employers),
            )
        )
    return rows


# SQL queries per page -----------------------------------------------------------------

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_LISTS = re.compile(r"\(\s*\?(?:\s*,\s*\?)*\s*\)")
_ROWS = re.compile(r"\(…\)(?:\s*,\s*\(…\))+")  # a multi-row VALUES list
_TRANSACTION = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.IGNORECASE)
REPEATED = 2  # the same query shape this many times in one page: a duplicate, or an N+1


def query_shape(sql: str) -> str:
    """The SQL with its literal values blanked, so that one query per row looks alike."""
    return _ROWS.sub("(…), …", _LISTS.sub("(…)", _LITERALS.sub("?", sql)))


def count_queries(organisation, client: Client) -> dict[str, dict]:
    """key -> {count, repeated: [{count, sql}]} for one fetch of each page."""
    counts = {}
    for key, (_label, url) in page_urls(organisation).items():
        _fetch(client, url)  # warm: the first fetch may fill caches
        with CaptureQueriesContext(connection) as captured:
            response = _fetch(client, url)
        if key == "employer_list":
            expected = f"Employeurs ({len(organisation.employers)})"
            if expected not in response.content.decode():
                raise RuntimeError(f"La liste ne montre pas « {expected} ».")
        shapes = Counter(
            query_shape(q["sql"]) for q in captured if not _TRANSACTION.match(q["sql"])
        )
        counts[key] = {
            "url": url,
            "count": len(captured),
            "repeated": [
                {"count": n, "sql": shape} for shape, n in shapes.most_common() if n >= REPEATED
            ],
            "queries": [q["sql"] for q in captured],
        }
    return counts
