"""Cases: the worker's own and her replaced colleague's; open, update, close, reopen."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from polesocial.casework import rules
from polesocial.casework.api.base import (
    ERRORS,
    INVALID,
    NOT_FOUND,
    WRITE_ERRORS,
    CaseworkViewSet,
)
from polesocial.casework.models import Case, Consent, Employee, Referral
from polesocial.casework.serializers import (
    CaseCloseSerializer,
    CaseFilterSerializer,
    CaseOpenSerializer,
    CaseReopenSerializer,
    CaseSerializer,
    CaseSummarySerializer,
    CaseUpdateSerializer,
    employee_pk,
)
from polesocial.casework.services import cases
from polesocial.privacy.enums import AuditAction

CASE = {200: CaseSerializer, **WRITE_ERRORS}


@extend_schema_view(
    list=extend_schema(
        summary="Mes dossiers",
        description="Les dossiers dont l'ASS a la charge, et ceux de la collègue qu'elle "
        "remplace pendant le remplacement (`replacement_until`).",
        parameters=[CaseFilterSerializer],
        responses={200: CaseSummarySerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Un dossier", responses={200: CaseSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class CaseViewSet(CaseworkViewSet):
    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    audit_actions = (AuditAction.CASE_LIST, AuditAction.CASE_READ)
    shows_replacement = True
    filter_serializer_class = CaseFilterSerializer

    def get_serializer_class(self):
        return CaseSummarySerializer if self.action == "list" else CaseSerializer

    def related(self, queryset):
        related = queryset.select_related("employee__employer", "worker__user", "consent")
        return related.prefetch_related("domains", "closures")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.params()
        if "status" in params:
            queryset = queryset.filter(status=params["status"])
        if "employee" in params:
            employees = Employee.objects.visible_by(self.request.user)
            queryset = queryset.filter(employee=employee_pk(employees, params["employee"]))
        return queryset

    def case_of(self, row):
        return row

    def _fresh(self, case: Case) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(
        summary="Ouvrir un dossier",
        description=(
            "Avec l'adhésion active de l'agent (son id) : sans elle, 400 et la raison. Le "
            "dossier revient à l'ASS de la saisine, ou à soi."
        ),
        request=CaseOpenSerializer,
        responses={201: CaseSerializer, **INVALID, **ERRORS},
    )
    def create(self, request):
        serializer = CaseOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consent = Consent.objects.visible_by(request.user).filter(pk=data["consent"])
        consent = consent.select_related("employee", "referral__assigned_to").first()
        if consent is None:  # absent or out of scope: no consent, the same 400
            rules.check_consent(None)
        worker = self._worker_of_referral(consent.referral)
        case = cases.case_open(
            actor=request.user,
            employee=consent.employee,
            consent=consent,
            domains=data["domains"],
            opened_on=data.get("opened_on") or timezone.localdate(),
            assessment=data["assessment"],
            referral=consent.referral,
            worker=worker,
        )
        response = self._fresh(case)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _worker_of_referral(self, referral: Referral | None):
        """The referral's worker when the caller handles that referral (or replaces her);
        otherwise None: the case goes to the caller (the service's default)."""
        if referral is None:
            return None
        if not Referral.objects.visible_by(self.request.user).filter(pk=referral.pk).exists():
            return None
        return referral.assigned_to

    @extend_schema(
        summary="Modifier les domaines ou le diagnostic",
        request=CaseUpdateSerializer,
        responses=CASE,
    )
    def partial_update(self, request, pk=None):
        case = self.get_object()
        serializer = CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cases.case_update(
            actor=request.user,
            case=case,
            domains=data.get("domains", case.domain_codes),
            assessment=data.get("assessment", case.assessment),
        )
        return self._fresh(case)

    @extend_schema(
        summary="Clore un dossier",
        description="Possible même après retrait de l'adhésion ; jamais avant l'ouverture.",
        request=CaseCloseSerializer,
        responses=CASE,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        serializer = CaseCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cases.case_close(
            actor=request.user,
            case=case,
            **serializer.validated_data,
        )
        return self._fresh(case)

    @extend_schema(
        summary="Rouvrir un dossier",
        description="Un dossier clos, avec une adhésion toujours active.",
        request=CaseReopenSerializer,
        responses=CASE,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case = self.get_object()
        serializer = CaseReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reopened_on = serializer.validated_data.get("reopened_on") or timezone.localdate()
        cases.case_reopen(
            actor=request.user,
            case=case,
            reopened_on=reopened_on,
        )
        return self._fresh(case)
