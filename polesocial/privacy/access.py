"""The access mechanism: every read of nominative data goes through `visible_by(user)`.

A model that holds nominative data uses a `ScopedQuerySet`; its `visible_by(user)` looks
up the rule for (model, role) in `privacy.scopes.SCOPES`. A role with no rule sees
nothing, so a new model or role is closed until someone writes its rule there.
Feature-level decisions (may this role use this screen at all?) live in
`privacy.features`.

The tables' rules read the business apps' models, which import this module: the tables
are handed to it by `PrivacyConfig.ready()` (`register_scopes`), so that it never imports
them. Before that, nobody sees anything.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from polesocial.users.enums import Role

Rule = Callable[[models.QuerySet, "object"], models.QuerySet]

# privacy.scopes.SCOPES and VIEW_SCOPES, once registered.
_tables: dict[str, dict] = {"scopes": {}, "view_scopes": {}}


def register_scopes(scopes: dict, view_scopes: dict) -> None:
    """Hand the scope tables to the mechanism (PrivacyConfig.ready)."""
    _tables["scopes"], _tables["view_scopes"] = scopes, view_scopes


def scope_for_view(label: str, view: str, user) -> Rule | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return _tables["view_scopes"].get((label, view), {}).get(user.role)


def scope_for(model: type[models.Model], role: str) -> Rule | None:
    if role not in Role.values:
        return None
    return _tables["scopes"].get(model._meta.label, {}).get(Role(role))


class ScopedQuerySet(models.QuerySet):
    def visible_by(self, user):  # a users.User, or None (users.models imports this module)
        """The rows of this model that `user` may read, by the scope table of privacy."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        rule = scope_for(self.model, user.role)
        if rule is None:
            return self.none()
        return rule(self, user)


def rows_for(purpose: str, rows, user) -> models.QuerySet:
    """The rows of `rows` (a model, or a queryset of one) that `user` may act on for
    `purpose`, by the rule of `VIEW_SCOPES[(model, purpose)]` for her role; none without
    one, as `visible_by`. For the questions a screen and its service both ask (the teams a
    counsellor manages, the workers a secretary books for), answered once in the table."""
    queryset = rows if isinstance(rows, models.QuerySet) else rows.objects.all()
    rule = scope_for_view(queryset.model._meta.label, purpose, user)
    return rule(queryset, user) if rule else queryset.none()


def may_act_on(purpose: str, model, pk: int | None, user) -> bool:
    """Whether `user` may act on the row `pk` of `model` for `purpose` (rows_for): the
    question a service asks before it writes, whoever called it (screen, API, command)."""
    return pk is not None and rows_for(purpose, model, user).filter(pk=pk).exists()


def visible_or_404(rows, user, *, related: tuple[str, ...] = (), **lookup):
    """The object if `user` may read it; 404 otherwise, exactly as for an absent one.

    `rows` is a model, or a queryset of one already narrowed or joined
    (`Orientation.objects.filter(case=case)`): what `user` may read is taken from it.
    """
    from django.shortcuts import get_object_or_404

    queryset = rows if isinstance(rows, ScopedQuerySet) else rows.objects.all()
    queryset = queryset.visible_by(user)
    if related:
        queryset = queryset.select_related(*related)
    return get_object_or_404(queryset, **lookup)
