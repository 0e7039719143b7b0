"""`handoffs/`: the mobility hand-offs.

The mobility adviser (feature `mobility`) lists the hand-offs made to him with the
employee's consent for that scope, each with the shared part of the case only (identity,
employment situation, the note, his follow-up); the worker in charge (`casework`) lists
those of her cases. `?case=` narrows to one case.

Writes go through the services the screens call (`casework.services.mobility`), so they
refuse alike, in the same French: the worker hands a case over (`POST handoffs/`) or ends a
hand-off (`POST handoffs/{id}/end/`); the adviser records his follow-up and its time
(`POST handoffs/{id}/follow-ups/`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from polesocial.api.serializers import ERRORS, ID_MAX, INVALID
from polesocial.casework.api.base import CASEWORK, WRITE_ERRORS, CaseworkViewSet, case_for_write
from polesocial.casework.enums import HandoffKind, MobilityFollowUpKind
from polesocial.casework.models import Handoff
from polesocial.casework.services import mobility as services
from polesocial.privacy.enums import AuditAction

MOBILITY = "mobility"


class HandoffFilterSerializer(serializers.Serializer):
    case = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Dossier (id) : facultatif."
    )


class FollowUpSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MobilityFollowUpKind.choices, label="nature")
    occurred_on = serializers.DateField(label="date")
    minutes = serializers.IntegerField(label="durée (minutes)")
    note = serializers.CharField(label="compte rendu")


class HandoffCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="dossier (id)")
    adviser = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, label="conseillère ou conseiller mobilité (id)"
    )
    kind = serializers.ChoiceField(choices=HandoffKind.choices, label="nature")
    note = serializers.CharField(
        max_length=4000, label="note de relais", help_text="Ce que lira la conseillère mobilité."
    )


class FollowUpCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MobilityFollowUpKind.choices, label="nature")
    occurred_on = serializers.DateField(label="date")
    minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, label="durée (minutes)")
    note = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, label="compte rendu"
    )


class SharedPartSerializer(serializers.Serializer):
    number = serializers.CharField(label="numéro du dossier")
    last_name = serializers.CharField(label="nom")
    first_name = serializers.CharField(label="prénom")
    birth_date = serializers.DateField(label="date de naissance")
    phone = serializers.CharField(label="téléphone")
    email = serializers.CharField(label="courriel")
    employer = serializers.CharField(label="employeur")
    status = serializers.CharField(label="statut")
    category = serializers.CharField(label="catégorie")
    job = serializers.CharField(label="métier ou poste")
    working_time = serializers.CharField(label="temps de travail")


class HandoffSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=HandoffKind.choices, label="nature")
    case = serializers.SerializerMethodField(label="ce qui est partagé du dossier")
    follow_ups = serializers.SerializerMethodField(label="suivi de la conseillère mobilité")
    worker = serializers.CharField(source="created_by.full_name", label="transmis par")
    adviser_name = serializers.CharField(source="adviser.full_name", label="transmis à")

    class Meta:
        model = Handoff
        fields = ["id", "kind", "note", "created_at", "ended_at", "worker", "adviser_name",
                  "case", "follow_ups"]  # fmt: skip

    @extend_schema(responses=SharedPartSerializer)
    def get_case(self, obj) -> dict:
        from polesocial.casework.views.mobility import shared_part

        return SharedPartSerializer(shared_part(obj.case)).data

    @extend_schema(responses=FollowUpSerializer(many=True))
    def get_follow_ups(self, obj) -> list:
        return FollowUpSerializer(obj.follow_ups.all(), many=True).data


@extend_schema(
    summary="Relais mobilité",
    description="Ceux adressés à la conseillère mobilité connectée (avec l'accord de l'agent), "
    "ou ceux des dossiers dont l'ASS a la charge : identité, situation d'emploi, note de "
    "relais et suivi. Jamais les entretiens, la note personnelle ni les aides.",
    parameters=[HandoffFilterSerializer],
    responses={200: HandoffSerializer(many=True), **INVALID, **ERRORS},
)
class HandoffViewSet(CaseworkViewSet):
    queryset = Handoff.objects.none()
    serializer_class = HandoffSerializer
    features = (CASEWORK, MOBILITY)
    # The worker in charge hands over and ends; the adviser records his follow-up.
    action_features = {"create": (CASEWORK,), "end": (CASEWORK,), "follow_up": (MOBILITY,)}
    filter_serializer_class = HandoffFilterSerializer
    audit_actions = (AuditAction.HANDOFF_LIST, AuditAction.HANDOFF_READ)

    def related(self, queryset):
        return queryset.select_related(
            "case__employee__employer", "case__snapshot_employer", "created_by", "adviser"
        ).prefetch_related("follow_ups")

    def filter_queryset(self, queryset):
        case = self.params().get("case")
        return queryset.filter(case_id=case) if case else queryset

    @extend_schema(
        summary="Passer le relais à la conseillère mobilité",
        description="Par l'ASS en charge du dossier, avec l'adhésion active de l'agent qui "
        "prévoit les échanges avec la conseillère mobilité : sinon 400 et la raison, comme à "
        "l'écran. Un dossier hors de portée : 404.",
        request=HandoffCreateSerializer,
        responses={201: HandoffSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = HandoffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = case_for_write(request.user, data.pop("case"))
        adviser = services.advisers().filter(pk=data.pop("adviser")).first()
        if adviser is None:
            raise ValidationError({"adviser": services.ADVISER_REQUIRED})
        handoff = services.handoff_create(actor=request.user, case=case, adviser=adviser, **data)
        body = self.get_serializer(self.related(self.get_queryset()).get(pk=handoff.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Terminer un relais mobilité",
        description="Par l'ASS en charge : la conseillère mobilité n'a plus accès au dossier.",
        request=None,
        responses={200: HandoffSerializer, **WRITE_ERRORS},
    )
    def end(self, request, pk=None):
        handoff = services.handoff_end(actor=request.user, handoff=self.get_object())
        return Response(self.get_serializer(self.related(Handoff.objects).get(pk=handoff.pk)).data)

    @extend_schema(
        summary="Enregistrer un suivi de la conseillère mobilité",
        description="Par la conseillère mobilité, sur un relais qui lui est adressé : jamais "
        "dans le futur ni avant le relais (400 et la raison, comme à l'écran). Son temps est "
        "facturé seulement si la convention de l'employeur couvre l'accompagnement mobilité.",
        request=FollowUpCreateSerializer,
        responses={201: FollowUpSerializer, **WRITE_ERRORS},
    )
    def follow_up(self, request, pk=None):
        handoff = self.get_object()
        serializer = FollowUpCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.mobility_follow_up_record(
            actor=request.user, handoff=handoff, **serializer.validated_data
        )
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)
