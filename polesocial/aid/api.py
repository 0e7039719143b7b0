"""The material-aid API: the catalogue, the budgets and the committee's sessions.

Same rules as the screens (privacy.features, then `visible_by`): the catalogue for its
readers (an HR contact: his employer's part), budgets for billing and the counsellor,
sessions with their pseudonymised agenda for the counsellor and the members convened to
them (after their undertaking). Requests themselves stay on the case page.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from polesocial.aid.budget import figures_of
from polesocial.aid.models import AidBudget, AidScheme, CommitteeSession
from polesocial.aid.serializers import (
    AidBudgetSerializer,
    AidSchemeSerializer,
    CommitteeSessionSerializer,
    SessionSummarySerializer,
)
from polesocial.api.base import ReadWriteViewSet
from polesocial.api.serializers import ERRORS, NOT_FOUND
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction


def documented(many: str, one: str, serializer, list_serializer=None):
    """The OpenAPI summaries and answers of a read-only viewset."""
    return extend_schema_view(
        list=extend_schema(
            summary=many, responses={200: (list_serializer or serializer)(many=True), **ERRORS}
        ),
        retrieve=extend_schema(summary=one, responses={200: serializer, **ERRORS, **NOT_FOUND}),
    )


@documented("Catalogue de l'action sociale", "Un dispositif d'aide", AidSchemeSerializer)
class AidSchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = AidScheme.objects.none()
    serializer_class = AidSchemeSerializer
    read_features = ("aid_catalogue",)


@documented("Budgets d'aides", "Un budget d'aides", AidBudgetSerializer)
class AidBudgetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = AidBudget.objects.none()
    serializer_class = AidBudgetSerializer
    read_features = ("aid_budgets",)

    def get_serializer_context(self):
        # Every budget's figures in two queries, whatever the number of budgets listed.
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return context | {"figures": figures_of(self.get_queryset())}


@documented(
    "Séances de commission d'aides",
    "Une séance et son ordre du jour anonyme",
    CommitteeSessionSerializer,
    list_serializer=SessionSummarySerializer,
)
class CommitteeSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = CommitteeSession.objects.none()
    serializer_class = CommitteeSessionSerializer
    read_features = ("aid_sessions",)

    def related(self, queryset):
        return queryset.select_related("committee")

    def get_serializer_class(self):
        # The list gives the sessions only; each agenda is read (and journaled) one by one.
        return SessionSummarySerializer if self.action == "list" else CommitteeSessionSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_log(actor=request.user, action=AuditAction.AID_AGENDA_READ,
                  target=self.get_object(),
                  detail={"files": [f["number"] for f in response.data["agenda"]]})  # fmt: skip
        return response
