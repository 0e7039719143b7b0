"""The access mechanism: every read of nominative data goes through `visible_by(user)`.

A model that holds nominative data uses a `ScopedQuerySet`; its `visible_by(user)` looks
up the rule for (model, role) in `privacy.scopes.SCOPES`. A role with no rule sees
nothing, so a new model or role is closed until someone writes its rule there.
Feature-level decisions (may this role use this screen at all?) live in
`privacy.features`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from polesocial.users.models import User


class ScopedQuerySet(models.QuerySet):
    def visible_by(self, user: User | None):
        """The rows of this model that `user` may read, by the scope table of privacy."""
        from polesocial.privacy.scopes import scope_for

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        rule = scope_for(self.model, user.role)
        if rule is None:
            return self.none()
        return rule(self, user)


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
