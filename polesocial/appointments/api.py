"""The appointments API: the agenda's appointments, booking, cancelling, marking missed/done.

The same feature (`agenda`: social workers and secretaries), the same rows (`visible_by`:
her own agenda for a worker, the workers of her teams for a secretary; out of scope: 404)
and the same services as the screens, so every refusal is the same French message (400).
Names are read: lists and reads are journaled.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from polesocial.api.base import ReadWriteViewSet
from polesocial.api.serializers import ERRORS, INVALID, NOT_FOUND
from polesocial.appointments import rules, services
from polesocial.appointments.models import Appointment, DropInOccurrence
from polesocial.appointments.permissions import bookable_workers
from polesocial.appointments.serializers import AppointmentInputSerializer, AppointmentSerializer
from polesocial.organisations.models import Employer
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

FEATURE = "agenda"
WRITTEN = {**INVALID, **ERRORS, **NOT_FOUND}


@extend_schema_view(
    list=extend_schema(
        summary="Rendez-vous",
        description="Ceux de son agenda pour une ASS, des ASS de ses équipes pour le "
        "secrétariat : qui, quand, où — jamais le motif.",
        responses={200: AppointmentSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Un rendez-vous", responses={200: AppointmentSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = Appointment.objects.none()
    serializer_class = AppointmentSerializer
    read_features = (FEATURE,)
    write_features = (FEATURE,)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data.get("results", response.data)]
        if ids:
            shown = list(Appointment.objects.filter(pk__in=ids))
            audit_log(actor=request.user, action=AuditAction.APPOINTMENT_READ, targets=shown)
        return response

    def retrieve(self, request, *args, **kwargs):
        appointment = self.get_object()
        audit_log(actor=request.user, action=AuditAction.APPOINTMENT_READ, target=appointment)
        return Response(self.get_serializer(appointment).data)

    def _resolve(self, data: dict) -> dict:
        user = self.request.user
        worker = bookable_workers(user).filter(pk=data.pop("worker")).first()
        if worker is None:
            raise ValidationError({"worker": rules.NOT_YOURS})
        employer = Employer.objects.visible_by(user).filter(pk=data["employer"]).first()
        if employer is None:
            raise ValidationError({"employer": "Employeur inconnu."})
        occurrence = None
        if (pk := data.pop("drop_in_date")) is not None:
            occurrence = DropInOccurrence.objects.visible_by(user).filter(pk=pk).first()
            if occurrence is None:
                raise ValidationError({"drop_in_date": "Date de permanence inconnue."})
        return {**data, "worker": worker, "employer": employer, "occurrence": occurrence}

    @extend_schema(
        summary="Prendre un rendez-vous",
        description="Pour soi (ASS) ou pour une ASS de ses équipes (secrétariat). Refusé, avec "
        "le même message qu'à l'écran : dans le passé, un jour férié, pendant une absence de "
        "l'ASS, hors des horaires de la permanence, en chevauchement.",
        request=AppointmentInputSerializer,
        responses={201: AppointmentSerializer, **WRITTEN},
    )
    def create(self, request):
        serializer = AppointmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = self._resolve(dict(serializer.validated_data))
        appointment = services.appointment_book(actor=request.user, **data)
        return Response(self.get_serializer(appointment).data, status=status.HTTP_201_CREATED)

    def _transition(self, service) -> Response:
        appointment = service(actor=self.request.user, appointment=self.get_object())
        return Response(self.get_serializer(appointment).data)

    @extend_schema(
        summary="Annuler un rendez-vous",
        request=None,
        responses={200: AppointmentSerializer, **WRITTEN},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(services.appointment_cancel)

    @extend_schema(
        summary="Marquer un rendez-vous non honoré",
        request=None,
        responses={200: AppointmentSerializer, **WRITTEN},
    )
    @action(detail=True, methods=["post"])
    def missed(self, request, pk=None):
        return self._transition(services.appointment_mark_missed)

    @extend_schema(
        summary="Marquer un rendez-vous honoré (l'ASS du rendez-vous seulement)",
        request=None,
        responses={200: AppointmentSerializer, **WRITTEN},
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return self._transition(services.appointment_mark_done)
