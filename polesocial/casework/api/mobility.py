"""`handoffs/`: the mobility hand-offs, read only.

The mobility adviser (feature `mobility`) lists the hand-offs made to him with the
employee's consent for that scope, each with the shared part of the case only (identity,
employment situation, the note, his follow-up); the worker in charge (`casework`) lists
those of her cases. `?case=` narrows to one case. Writes happen on the screens.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from polesocial.api.serializers import ERRORS, ID_MAX, INVALID
from polesocial.casework.api.base import CASEWORK, CaseworkViewSet
from polesocial.casework.enums import HandoffKind, MobilityFollowUpKind
from polesocial.casework.models import Handoff
from polesocial.privacy.enums import AuditAction


class HandoffFilterSerializer(serializers.Serializer):
    case = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Dossier (id) : facultatif."
    )


class FollowUpSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MobilityFollowUpKind.choices, label="nature")
    occurred_on = serializers.DateField(label="date")
    minutes = serializers.IntegerField(label="durée (minutes)")
    note = serializers.CharField(label="compte rendu")


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
    features = (CASEWORK, "mobility")
    filter_serializer_class = HandoffFilterSerializer
    audit_actions = (AuditAction.HANDOFF_LIST, AuditAction.HANDOFF_READ)
    http_method_names = ["get", "head", "options"]

    def related(self, queryset):
        return queryset.select_related(
            "case__employee__employer", "case__snapshot_employer", "created_by", "adviser"
        ).prefetch_related("follow_ups")

    def filter_queryset(self, queryset):
        case = self.params().get("case")
        return queryset.filter(case_id=case) if case else queryset
