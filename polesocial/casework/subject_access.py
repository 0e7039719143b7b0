"""Subject access (GDPR art. 15): everything held on one employee, as JSON.

`EXPORTED_MODELS` names, for every model that refers to an employee (directly or through a
case or a referral), the path from its rows to him: tests/casework/test_subject_export.py
enumerates the foreign keys and fails when a new table is missing here. Staff appear by
their role only, never by name (CJEU C-579/21: names after a balancing decision of the
DPO); the accesses to the employee's files come from the journal with their date, purpose
(the action) and the role of who accessed. Blind indexes and storage names are technical
and left out. The export itself is journaled (`AuditAction.SUBJECT_EXPORT`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from polesocial.casework.models import Employee
from polesocial.privacy.audit import audit_log, subject_key
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role

FORMAT = "polesocial.subject_export.v1"
# In a request's prepared export only: who accessed, by id, until the DPO's balancing decision.
ACTOR_KEY = "_auteur"

# Model → lookup from its rows to the employee, in the order the export presents them.
EXPORTED_MODELS: dict[str, str] = {
    "casework.Employee": "pk",
    "casework.Referral": "employee",
    "casework.FirstAssessment": "referral__employee",
    "casework.Consent": "employee",
    "casework.Case": "employee",
    "casework.CaseDomain": "case__employee",
    "casework.Interview": "case__employee",
    "casework.PlanObjective": "case__employee",
    "casework.PlanAction": "objective__case__employee",
    "casework.Orientation": "case__employee",
    "casework.CaseDocument": "case__employee",
    "casework.CaseClosure": "case__employee",
    "casework.SubjectAccessRequest": "employee",
    "casework.ErasureRequest": "employee",
    "casework.Handoff": "case__employee",
    "casework.MobilityFollowUp": "handoff__case__employee",
    "appointments.Appointment": "employee",
    "aid.AidRequest": "case__employee",
    "aid.AidDecision": "request__case__employee",
    "aid.AidPayment": "request__case__employee",
    "aid.LoanInstalment": "request__case__employee",
}
# Technical columns that say nothing about the person: keyed indexes, file names on disk.
# The export prepared for a request is not exported again inside the next one.
TECHNICAL_FIELDS = frozenset(
    {"match_key", "name_words", "storage_name", "export_data", "redactions"}
)


def subject_export(*, actor, employee: Employee, with_actors: bool = False) -> dict:
    """Everything held on `employee`, grouped by table, and the accesses to it (journaled).

    `with_actors` keeps, in each access, the id of who accessed (`ACTOR_KEY`): a request's
    prepared export needs it to show staff names if the DPO decides so, and removes it
    otherwise before release (casework.services.data_requests.released_export).
    """
    sections = [_section(label, employee) for label in EXPORTED_MODELS]
    ids = {s["table"]: set(s["identifiants"]) for s in sections}
    export = {
        "format": FORMAT,
        "préparé le": timezone.localtime().isoformat(timespec="seconds"),
        "agent": employee.pk,
        "données": sections,
        "accès": list(_accesses(ids, with_actors=with_actors)),
    }
    audit_log(
        actor=actor,
        action=AuditAction.SUBJECT_EXPORT,
        target=employee,
        detail={"rows": {s["table"]: len(s["lignes"]) for s in sections}},
    )
    return export


def subject_search(*, actor, employee: Employee | None) -> dict | None:
    """The DPO's inventory of what is held on `employee` (found by full identity): counts
    per table, the cases with their worker in charge (who reviews the content before
    release), the number of recorded accesses; never content. The search is journaled,
    found or not (the journal holds the id, never the identity typed)."""
    if employee is None:
        audit_log(actor=actor, action=AuditAction.SUBJECT_SEARCH, detail={"found": False})
        return None
    audit_log(actor=actor, action=AuditAction.SUBJECT_SEARCH, target=employee,
              detail={"found": True})  # fmt: skip
    ids = {label: set(_rows(label, employee).values_list("pk", flat=True)) for label in
           EXPORTED_MODELS}  # fmt: skip
    cases = apps.get_model("casework.Case").objects.filter(employee=employee)
    return {
        "employee": employee.pk,
        "anonymised_on": employee.anonymised_on,
        "tables": [
            (str(apps.get_model(label)._meta.verbose_name_plural).capitalize(), len(pks))
            for label, pks in ids.items()
        ],
        "cases": cases.select_related("worker__user").order_by("opened_on", "pk"),
        "accesses": sum(1 for _ in _accesses(ids)),
    }


def _rows(label: str, employee: Employee) -> models.QuerySet:
    model = apps.get_model(label)
    return model._default_manager.filter(**{EXPORTED_MODELS[label]: employee.pk}).order_by("pk")


def _section(label: str, employee: Employee) -> dict:
    model = apps.get_model(label)
    rows = _rows(label, employee)
    return {
        "table": label,
        "titre": str(model._meta.verbose_name_plural).capitalize(),
        "identifiants": list(rows.values_list("pk", flat=True)),
        "lignes": [_row(obj) for obj in rows],
    }


def _row(obj: models.Model) -> dict:
    row = {}
    for f in obj._meta.concrete_fields:
        if f.name in TECHNICAL_FIELDS or f.primary_key:
            continue
        row[str(f.verbose_name)] = _value(obj, f)
    return row


def _value(obj: models.Model, f: models.Field):
    if f.is_relation:
        related = getattr(obj, f.name)
        return None if related is None else _related(related)
    if f.choices:
        return getattr(obj, f"get_{f.name}_display")()
    value = f.value_from_object(obj)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):  # amounts of aid, to the cent
        return str(value)
    return value


def _related(related: models.Model) -> str:
    """Staff by their role only; any other related row by its own label."""
    user = related if related._meta.label == settings.AUTH_USER_MODEL else None
    user = user or getattr(related, "user", None)
    if user is not None and hasattr(user, "role"):
        return Role(user.role).label if user.role in Role.values else str(user.role)
    return str(related)


def _accesses(ids: dict[str, set], *, with_actors: bool = False) -> Iterator[dict]:
    """Journal entries about these rows (ids by table): date, action, role; never who by
    name. The subject-access searches and exports themselves are left out."""
    case_keys = {subject_key(apps.get_model("casework.Case")(pk=pk)) for pk in ids["casework.Case"]}
    about = Q(object_type__in=list(ids)) | Q(subject__in=case_keys)
    own = [AuditAction.SUBJECT_SEARCH, AuditAction.SUBJECT_EXPORT]
    entries = AuditEntry.objects.filter(about).exclude(action__in=own).order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        if entry.subject in case_keys or set(entry.object_ids) & ids.get(entry.object_type, set()):
            yield {
                "date": entry.created_at.isoformat(),
                "action": entry.action_label,
                "rôle": Role(entry.actor_role).label
                if entry.actor_role in Role.values
                else "système",
                "remplacement": entry.replacement,
                **({ACTOR_KEY: entry.actor_id} if with_actors else {}),
            }
