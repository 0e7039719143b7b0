"""The viewset every casework endpoint inherits, and what the endpoints share.

Rows come from `visible_by(user)`, the role's features are checked per action
(`api.permissions.ActionFeaturePermission`: 404 on a URL naming one object), and every
read writes one journal entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from django.utils import timezone
from rest_framework.response import Response

from polesocial.api.base import DEFAULT_PERMISSIONS, ApiViewSet
from polesocial.api.permissions import ActionFeaturePermission, IntegrationActionPermission
from polesocial.api.serializers import ERRORS, INVALID, NOT_FOUND
from polesocial.casework.models import Case
from polesocial.organisations.models import Replacement
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

CASEWORK = "casework"
REFERRAL_SEND = "referral_send"

# The error answers the schema declares for a write.
WRITE_ERRORS = {**INVALID, **ERRORS, **NOT_FOUND}


def replaced_until(user) -> dict[int, dt.date]:
    """{absent worker id: last day} of the replacements `user` holds today."""
    rows = Replacement.objects.active_on(timezone.localdate()).filter(replacing__user=user)
    until: dict[int, dt.date] = {}
    for absent, ends_on in rows.values_list("absent_id", "ends_on"):
        until[absent] = max(ends_on, until.get(absent, ends_on))
    return until


class CaseworkViewSet(ApiViewSet):
    """Rows from `visible_by`, features per action, one journal entry per read."""

    permission_classes = [
        *DEFAULT_PERMISSIONS,
        # Before the role's features: an integration token hears that the token is the
        # reason, whatever its owner's role.
        IntegrationActionPermission,
        ActionFeaturePermission,
    ]
    lookup_value_converter = "int"
    features: ClassVar[tuple[str, ...]] = (CASEWORK,)
    action_features: ClassVar[dict[str, tuple[str, ...]]] = {}
    # The journal's actions for a list and for one row.
    audit_actions: ClassVar[tuple[AuditAction, AuditAction]]
    # The serializer shows the end of a replacement (the screens' banner).
    shows_replacement: ClassVar[bool] = False

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.shows_replacement and not getattr(self, "swagger_fake_view", False):
            context["replaced_until"] = replaced_until(self.request.user)
        return context

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.audit(page, many=True)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        row = self.get_object()
        self.audit([row], many=False)
        return Response(self.get_serializer(row).data)

    # --- The journal -----------------------------------------------------------------

    def case_of(self, row) -> Case:
        """The case a row belongs to (its journal subject and its worker in charge)."""
        return row.case

    def subject_of(self, row):
        return self.case_of(row)

    def audit(self, rows: Sequence, *, many: bool) -> None:
        """One entry per request: a list names every row shown, a detail its one row."""
        subjects = {self.subject_of(row) for row in rows}
        list_action, read_action = self.audit_actions
        audit_log(
            actor=self.request.user,
            action=list_action if many else read_action,
            targets=rows if many else None,
            target=None if many else rows[0],
            subject=subjects.pop() if len(subjects) == 1 else None,
        )


def case_for_write(user, pk: int) -> Case:
    """A case `user` may write on (interviews, plan, orientations); otherwise 404."""
    return visible_or_404(Case, user, related=("worker", "employee"), pk=pk)
