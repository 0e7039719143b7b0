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


def nothing(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset.none()


def by_team(path: str) -> Rule:
    """Rows attached (through `path`) to the team of the signed-in social worker."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return (
            queryset.filter(**{path: user.social_worker.team_id})
            if _is_worker(user)
            else (queryset.none())
        )

    return rule


def by_own_employers(path: str) -> Rule:
    """Rows of the employers the account is linked to (HR contacts, physicians)."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return queryset.filter(**{f"{path}__in": user.employers.all()})

    return rule


def by_worker(path: str) -> Rule:
    """Rows about the signed-in social worker herself."""

    def rule(queryset: models.QuerySet, user) -> models.QuerySet:
        return queryset.filter(**{f"{path}__user": user})

    return rule


def _is_worker(user) -> bool:
    return hasattr(user, "social_worker")


ALL_ROLES = tuple(Role)

SCOPES: dict[str, dict[Role, Rule]] = {
    # Staff accounts: the admin manages all of them; everyone else sees their own.
    "users.User": {role: (everything if role == Role.ADMIN else self_only) for role in Role},
    # The audit journal is read by the DPO only (the case history tab, from case work,
    # adds a rule for the worker in charge).
    "privacy.AuditEntry": {Role.DPO: everything},
    # The organisation register is not case data: the operator's staff read all of it,
    # a social worker her team's employers, HR contacts and physicians their employer.
    "organisations.Employer": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SECRETARY: everything,
        Role.SOCIAL_WORKER: by_team("team"),
        Role.EMPLOYER_CONTACT: by_own_employers("pk"),
        Role.PHYSICIAN: by_own_employers("pk"),
    },
    "organisations.Convention": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SOCIAL_WORKER: by_team("employer__team"),
        Role.EMPLOYER_CONTACT: by_own_employers("employer"),
    },
    "organisations.Headcount": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SOCIAL_WORKER: by_team("employer__team"),
        Role.EMPLOYER_CONTACT: by_own_employers("employer"),
    },
    "organisations.SocialWorker": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SECRETARY: everything,
        Role.SOCIAL_WORKER: by_team("team"),
    },
    "organisations.FteShare": {
        Role.COUNSELLOR: everything,
        Role.BILLING: everything,
        Role.SOCIAL_WORKER: by_worker("worker"),
    },
    "organisations.Replacement": {
        Role.COUNSELLOR: everything,
        Role.SOCIAL_WORKER: lambda qs, user: (
            by_worker("absent")(qs, user) | by_worker("replacing")(qs, user)
        ),
    },
}


def scope_for(model: type[models.Model], role: str) -> Rule | None:
    return SCOPES.get(model._meta.label, {}).get(Role(role) if role in Role.values else None)
