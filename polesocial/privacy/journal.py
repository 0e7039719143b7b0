"""The DPO's journal: which entries concern a file or an employee, the files' numbers, and
the flags for unusual patterns of access.

The DPO reads an inventory of accesses, never case content: each entry shows its action in
words, the staff member, and the number of the file it concerns (a case or a referral
number, pseudonymous). She sees an employee's entries only when she searches for the full
identity named in a request (blind index, journaled like the subject-access search).

`unusual_patterns` looks at the entries of a period for three signals the CNIL's
recommendation on logging names (journalisation, 2021): a replacement who reads many of
the absent colleague's cases, access at night, and bursts of reads. They call for a look,
not a sanction: the screen shows who, when and how many, with a link to those entries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry

# A replacement who reads more distinct cases than this in one day is flagged.
REPLACEMENT_CASES_PER_DAY = 10
# Night, Europe/Paris: from 21:00 to 07:00.
NIGHT_STARTS, NIGHT_ENDS = dt.time(21), dt.time(7)
# More reads than this by one person within BURST_WINDOW is a burst.
BURST_READS = 30
BURST_WINDOW = dt.timedelta(minutes=10)

# The actions that read nominative data (a page, a list, a document, an archived case).
READ_ACTIONS = frozenset(
    action
    for action in AuditAction
    if action.value.endswith(("read", "list")) or action == AuditAction.ARCHIVE_OPEN
)
# The files an entry may concern, by the label the journal stores.
FILE_MODELS = ("casework.Case", "casework.Referral")


def file_key(label: str, pk) -> str:
    """The journal's `subject` for a file (privacy.audit.subject_key, without an instance)."""
    return f"{label}:{pk}"


def entries_about(entries: models.QuerySet, objects: Mapping[str, Iterable]) -> models.QuerySet:
    """The entries that concern one of `objects` ({model label: pks}): as their subject
    (a case's interviews, documents…) or among the ids they list.

    The ids are a JSON list: PostgreSQL answers "contains" with its index-friendly `@>`,
    SQLite with `json_each`; one SQL condition either way, so the page stays paginated.
    """
    table = AuditEntry._meta.db_table
    clauses, params = [], []
    for label, pks in objects.items():
        for pk in pks:
            clauses.append("subject = %s")
            params.append(file_key(label, pk))
            if connection.vendor == "postgresql":
                clauses.append("(object_type = %s AND object_ids @> %s::jsonb)")
                params += [label, json.dumps([pk])]
            else:
                clauses.append(
                    # The table is the model's own name; the values are parameters.
                    f"(object_type = %s AND EXISTS (SELECT 1 FROM json_each({table}.object_ids)"  # noqa: S608
                    " WHERE json_each.value = %s))"
                )
                params += [label, pk]
    if not clauses:
        return entries.none()
    # Fixed SQL text; every value is a parameter.
    return entries.extra(where=["(" + " OR ".join(clauses) + ")"], params=params)  # noqa: S610


def employee_files(employee) -> dict[str, list]:
    """What the journal may name about one employee: his record, cases and referrals."""
    case_model = apps.get_model("casework.Case")
    referral_model = apps.get_model("casework.Referral")
    return {
        "casework.Employee": [employee.pk],
        "casework.Case": list(
            case_model.objects.filter(employee=employee).values_list("pk", flat=True)
        ),
        "casework.Referral": list(
            referral_model.objects.filter(employee=employee).values_list("pk", flat=True)
        ),
    }


def file_numbers(user, entries: Iterable[AuditEntry]) -> dict[tuple[str, object], str]:
    """{(label, pk): number} for the cases and referrals `entries` concern, in one query per
    model, through the journal's scope (privacy.scopes: numbers, never content)."""
    from polesocial.privacy.access import scope_for_view

    wanted: dict[str, set] = defaultdict(set)
    for entry in entries:
        for label, pk in concerned_files(entry):
            wanted[label].add(pk)
    numbers: dict[tuple[str, object], str] = {}
    for label, pks in wanted.items():
        rule = scope_for_view(label, "journal", user)
        if rule is None:
            continue
        model = apps.get_model(label)
        rows = rule(model.objects.all(), user).filter(pk__in=pks).values_list("pk", "number")
        numbers.update({(label, pk): number for pk, number in rows})
    return numbers


def concerned_files(entry: AuditEntry) -> list[tuple[str, object]]:
    """(label, pk) of each case or referral the entry concerns: its subject, its objects."""
    files = []
    if entry.subject:
        label, _, pk = entry.subject.rpartition(":")
        if label in FILE_MODELS:
            files.append((label, int(pk) if pk.isdigit() else pk))
    if entry.object_type in FILE_MODELS:
        files += [(entry.object_type, pk) for pk in entry.object_ids]
    return list(dict.fromkeys(files))


@dataclass
class Flag:
    """One unusual pattern: who (actor id), which day, what and how many."""

    kind: str
    label: str
    actor_id: int
    day: dt.date
    count: int
    actor: object = None  # the account, filled in by the screen

    @property
    def explanation(self) -> str:
        if self.kind == "replacement":
            return f"{self.count} dossiers différents lus en remplacement dans la journée"
        if self.kind == "night":
            return f"{self.count} accès entre 21 h et 7 h"
        return f"{self.count} consultations en moins de {BURST_WINDOW.seconds // 60} minutes"


LABELS = {
    "replacement": "Remplaçant·e lisant de nombreux dossiers",
    "night": "Accès de nuit",
    "burst": "Rafale de consultations",
}


def unusual_patterns(entries: models.QuerySet) -> list[Flag]:
    """The flags raised by `entries` (already narrowed to a period), by day and person.

    Only entries of a person count (the system's own jobs run at night by design). One pass
    over the period's entries, in date order, reading five columns.
    """
    rows = (
        entries.filter(actor__isnull=False)
        .order_by("created_at", "sequence")
        .values_list("actor_id", "created_at", "action", "replacement", "subject")
    )
    replacement_cases: dict[tuple[int, dt.date], set] = defaultdict(set)
    night: Counter = Counter()
    reads: dict[int, deque[dt.datetime]] = defaultdict(deque)
    bursts: dict[tuple[int, dt.date], int] = {}
    for actor_id, created_at, action, replacement, subject in rows.iterator(chunk_size=2000):
        local = timezone.localtime(created_at)
        day = local.date()
        if local.time() >= NIGHT_STARTS or local.time() < NIGHT_ENDS:
            night[(actor_id, day)] += 1
        if action not in READ_ACTIONS:
            continue
        if replacement and subject.startswith("casework.Case:"):
            replacement_cases[(actor_id, day)].add(subject)
        window = reads[actor_id]
        window.append(created_at)
        while created_at - window[0] > BURST_WINDOW:
            window.popleft()
        if len(window) > BURST_READS:
            bursts[(actor_id, day)] = max(bursts.get((actor_id, day), 0), len(window))
    flags = [
        Flag("replacement", LABELS["replacement"], actor, day, len(cases))
        for (actor, day), cases in replacement_cases.items()
        if len(cases) > REPLACEMENT_CASES_PER_DAY
    ]
    flags += [Flag("night", LABELS["night"], a, d, n) for (a, d), n in night.items()]
    flags += [Flag("burst", LABELS["burst"], a, d, n) for (a, d), n in bursts.items()]
    return sorted(flags, key=lambda f: (f.day, f.kind, f.actor_id), reverse=True)
