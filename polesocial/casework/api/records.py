"""What a case holds: interviews, plan objectives and actions, orientations.

Listed one case at a time (`?case=` is required), so that every read lands in that case's
history tab; written on a case the caller may see (otherwise 404).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from polesocial.casework.api.base import (
    ERRORS,
    INVALID,
    NOT_FOUND,
    WRITE_ERRORS,
    CaseworkViewSet,
    case_for_write,
    visible_or_404,
)
from polesocial.casework.models import Interview, Orientation, PlanAction, PlanObjective
from polesocial.casework.serializers import (
    CaseRecordFilterSerializer,
    InterviewCreateSerializer,
    InterviewSerializer,
    OrientationCreateSerializer,
    OrientationResultSerializer,
    OrientationSerializer,
    PlanActionCreateSerializer,
    PlanActionFilterSerializer,
    PlanActionSerializer,
    PlanItemStatusSerializer,
    PlanObjectiveCreateSerializer,
    PlanObjectiveSerializer,
)
from polesocial.casework.services import records
from polesocial.organisations.models import Employer
from polesocial.privacy.enums import AuditAction


class CaseRecordViewSet(CaseworkViewSet):
    """Interviews, plan items and orientations: listed one case at a time."""

    filter_serializer_class = CaseRecordFilterSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return queryset.filter(case_id=self.params()["case"])


def _record_views(name: str, plural: str, serializer):
    return extend_schema_view(
        list=extend_schema(
            summary=plural,
            description="Ceux d'un dossier (`case`, obligatoire) dont on a la charge.",
            parameters=[CaseRecordFilterSerializer],
            responses={200: serializer(many=True), **INVALID, **ERRORS},
        ),
        retrieve=extend_schema(summary=name, responses={200: serializer, **ERRORS, **NOT_FOUND}),
    )


@_record_views("Un entretien", "Entretiens", InterviewSerializer)
class InterviewViewSet(CaseRecordViewSet):
    queryset = Interview.objects.none()
    serializer_class = InterviewSerializer
    audit_actions = (AuditAction.INTERVIEW_LIST, AuditAction.INTERVIEW_READ)

    def related(self, queryset):
        return queryset.select_related("case__worker", "author")

    @extend_schema(
        summary="Enregistrer un entretien",
        description=(
            "Jamais dans le futur, 8 heures au plus, et avec l'adhésion active de l'agent : "
            "sinon 400 et la raison. La note personnelle n'est lisible que par son auteur·e."
        ),
        request=InterviewCreateSerializer,
        responses={201: InterviewSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = InterviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = case_for_write(request.user, data.pop("case"))
        if "employer" in data:
            data["employer"] = visible_or_404(Employer, request.user, pk=data["employer"])
        interview = records.interview_record(actor=request.user, case=case, **data)
        body = self.get_serializer(self.get_queryset().get(pk=interview.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


@_record_views("Un objectif du plan", "Objectifs du plan", PlanObjectiveSerializer)
class PlanObjectiveViewSet(CaseRecordViewSet):
    queryset = PlanObjective.objects.none()
    serializer_class = PlanObjectiveSerializer
    audit_actions = (AuditAction.PLAN_OBJECTIVE_LIST, AuditAction.PLAN_OBJECTIVE_READ)

    def related(self, queryset):
        return queryset.select_related("case__worker")

    @extend_schema(
        summary="Ajouter un objectif au plan",
        request=PlanObjectiveCreateSerializer,
        responses={201: PlanObjectiveSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = PlanObjectiveCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_for_write(request.user, serializer.validated_data["case"])
        objective = records.objective_add(
            actor=request.user,
            case=case,
            title=serializer.validated_data["title"],
        )
        return Response(self.get_serializer(objective).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Changer l'état d'un objectif",
        request=PlanItemStatusSerializer,
        responses={200: PlanObjectiveSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        return _set_status(self, request)


@extend_schema_view(
    list=extend_schema(
        summary="Actions du plan",
        description="Celles d'un dossier (`case`, obligatoire), d'un objectif au besoin.",
        parameters=[PlanActionFilterSerializer],
        responses={200: PlanActionSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une action du plan",
        responses={200: PlanActionSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class PlanActionViewSet(CaseRecordViewSet):
    queryset = PlanAction.objects.none()
    serializer_class = PlanActionSerializer
    audit_actions = (AuditAction.PLAN_ACTION_LIST, AuditAction.PLAN_ACTION_READ)
    filter_serializer_class = PlanActionFilterSerializer

    def related(self, queryset):
        return queryset.select_related("objective__case__worker")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.params()
        queryset = queryset.filter(objective__case_id=params["case"])
        if "objective" in params:
            queryset = queryset.filter(objective_id=params["objective"])
        return queryset

    def case_of(self, row):
        return row.objective.case

    @extend_schema(
        summary="Ajouter une action à un objectif",
        request=PlanActionCreateSerializer,
        responses={201: PlanActionSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = PlanActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        objective = visible_or_404(
            PlanObjective, request.user, related=("case__worker",), pk=data.pop("objective")
        )
        plan_action = records.action_add(
            actor=request.user,
            objective=objective,
            **data,
        )
        return Response(self.get_serializer(plan_action).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Changer l'état d'une action",
        request=PlanItemStatusSerializer,
        responses={200: PlanActionSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        return _set_status(self, request)


def _set_status(view: CaseRecordViewSet, request) -> Response:
    item = view.get_object()
    serializer = PlanItemStatusSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    records.plan_item_set_status(
        actor=request.user,
        item=item,
        status=serializer.validated_data["status"],
    )
    return Response(view.get_serializer(item).data)


@_record_views("Une orientation", "Orientations", OrientationSerializer)
class OrientationViewSet(CaseRecordViewSet):
    queryset = Orientation.objects.none()
    serializer_class = OrientationSerializer
    audit_actions = (AuditAction.ORIENTATION_LIST, AuditAction.ORIENTATION_READ)

    def related(self, queryset):
        return queryset.select_related("case__worker", "partner")

    @extend_schema(
        summary="Orienter vers un partenaire",
        request=OrientationCreateSerializer,
        responses={201: OrientationSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = OrientationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = case_for_write(request.user, data.pop("case"))
        orientation = records.orientation_record(actor=request.user, case=case, **data)
        return Response(self.get_serializer(orientation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Noter le résultat d'une orientation",
        request=OrientationResultSerializer,
        responses={200: OrientationSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        orientation = self.get_object()
        serializer = OrientationResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        records.orientation_set_result(
            actor=request.user,
            orientation=orientation,
            result=serializer.validated_data["result"],
        )
        return Response(self.get_serializer(orientation).data)
