"""The billing API: invoices (read) and time entries (a worker's own; she may add one).

Invoices are read by the billing officer (all) and HR contacts (their employers' issued
invoices: drafts are 404). Time entries are read by the worker (her own) and the counsellor
(her teams'), and added by the worker. Rows come from `visible_by` (privacy.scopes).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from polesocial.api.base import ReadWriteViewSet
from polesocial.api.serializers import ERRORS, INVALID, NOT_FOUND
from polesocial.billing import services
from polesocial.billing.models import Invoice, InvoiceLine, TimeEntry
from polesocial.billing.serializers import (
    InvoiceRunAnswerSerializer,
    InvoiceRunSerializer,
    InvoiceSerializer,
    TimeEntrySerializer,
)
from polesocial.organisations.models import Employer, SocialWorker
from polesocial.privacy.access import visible_or_404


@extend_schema_view(
    list=extend_schema(
        summary="Factures",
        description="Toutes pour la facturation ; les factures émises de son employeur pour "
        "un·e correspondant·e RH. Les lignes donnent des heures par nature de travail.",
        responses={200: InvoiceSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une facture", responses={200: InvoiceSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = Invoice.objects.none()
    serializer_class = InvoiceSerializer
    read_features = ("invoices_read",)
    write_features = ("billing",)

    @extend_schema(
        summary="Préparer les brouillons d'un trimestre",
        description="Confiée à la file de tâches. Un trimestre qui n'est pas terminé est "
        "refusé, comme à l'écran et par la commande invoice_run.",
        request=InvoiceRunSerializer,
        responses={202: InvoiceRunAnswerSerializer, **INVALID, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def run(self, request):
        serializer = InvoiceRunSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.invoice_run_request(
            actor=request.user,
            year=serializer.validated_data["year"],
            quarter=serializer.validated_data["quarter"],
        )
        return Response({"id": run.pk, "status": run.status}, status=status.HTTP_202_ACCEPTED)

    def related(self, queryset):
        return queryset.select_related("employer", "cancels").prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position"))
        )


@extend_schema_view(
    list=extend_schema(
        summary="Temps",
        description="Les saisies de temps : les siennes pour une ASS, celles de ses équipes "
        "pour le·la conseiller·ère. Aucune ne nomme un agent ni un dossier.",
        responses={200: TimeEntrySerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une saisie de temps",
        responses={200: TimeEntrySerializer, **ERRORS, **NOT_FOUND},
    ),
)
class TimeEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = TimeEntry.objects.none()
    serializer_class = TimeEntrySerializer
    read_features = ("my_time", "fte_plan_review")
    write_features = ("my_time",)

    def related(self, queryset):
        return queryset.with_locked()

    @extend_schema(
        summary="Saisir du temps",
        description="Temps saisi à la main (négatif pour corriger un temps facturé).",
        request=TimeEntrySerializer,
        responses={201: TimeEntrySerializer, **INVALID, **ERRORS},
    )
    def create(self, request):
        serializer = TimeEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        worker = get_object_or_404(SocialWorker, user=request.user)
        employer = data.get("employer")
        if employer is not None:
            employer = visible_or_404(Employer, request.user, pk=employer.pk)
        entry = services.time_entry_add(
            actor=request.user, worker=worker, employer=employer, day=data["date"],
            minutes=data["minutes"], kind=data["kind"],
        )  # fmt: skip
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
