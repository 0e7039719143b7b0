"""Who sees which rows: the role -> scope table, in one place for review by the DPO.

Each entry maps a model label to {role: rule}; a rule takes (queryset, user) and returns
the rows that user may read. A role absent from a model's entry sees no row of it
(`visible_by` returns an empty queryset, and views answer 404).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from polesocial.users.enums import Role

Rule = Callable[[models.QuerySet, "object"], models.QuerySet]


def everything(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset


def self_only(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset.filter(pk=user.pk)


ALL_ROLES = tuple(Role)

SCOPES: dict[str, dict[Role, Rule]] = {
    # Staff accounts: the admin manages all of them; everyone else sees their own.
    "users.User": {role: (everything if role == Role.ADMIN else self_only) for role in Role},
    # The audit journal is read by the DPO only (the case history tab, from case work,
    # adds a rule for the worker in charge).
    "privacy.AuditEntry": {Role.DPO: everything},
}


def scope_for(model: type[models.Model], role: str) -> Rule | None:
    return SCOPES.get(model._meta.label, {}).get(Role(role) if role in Role.values else None)
