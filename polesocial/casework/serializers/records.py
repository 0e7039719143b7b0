"""What a case holds: interviews, support plan (objectives, actions), orientations."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from polesocial.api.serializers import ID_MAX
from polesocial.casework.models import Interview, Orientation, PlanAction, PlanObjective
from polesocial.casework.serializers.fields import (
    OrientationResultField,
    PlaceField,
    PlanItemStatusField,
)
from polesocial.directory.models import Partner


class CaseRecordFilterSerializer(serializers.Serializer):
    """What a case holds is listed one case at a time, so each read lands in its history."""

    case = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Dossier (id) : obligatoire."
    )


# --- Interviews ---------------------------------------------------------------------------


class InterviewSerializer(serializers.ModelSerializer):
    place = PlaceField(label="lieu")
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    private_note = serializers.SerializerMethodField(
        help_text="La note personnelle : pour son auteur·e seulement (null pour les autres)."
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "case",
            "occurred_on",
            "place",
            "duration_minutes",
            "employer",
            "notes",
            "private_note",
            "author",
            "author_name",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_private_note(self, interview: Interview) -> str | None:
        request = self.context.get("request")
        if request is None or interview.author_id != request.user.pk:
            return None
        return interview.private_note


class InterviewCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="dossier")
    occurred_on = serializers.DateField(label="date")
    place = PlaceField(label="lieu")
    # No bound here: the service refuses more than 8 hours and says why.
    duration_minutes = serializers.IntegerField(label="durée (minutes)")
    employer = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        label="employeur imputé",
        help_text="Id de l'employeur ; par défaut celui de l'agent.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", label="notes")
    private_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        label="note personnelle",
        help_text="Lisible par vous seul·e.",
    )


# --- Support plan -------------------------------------------------------------------------


class PlanObjectiveSerializer(serializers.ModelSerializer):
    status = PlanItemStatusField(label="état")

    class Meta:
        model = PlanObjective
        fields = ["id", "case", "title", "status", "created_at"]
        read_only_fields = fields


class PlanObjectiveCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="dossier")
    title = serializers.CharField(label="objectif", max_length=2000)


class PlanActionSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="objective.case_id", read_only=True)
    status = PlanItemStatusField(label="état")

    class Meta:
        model = PlanAction
        fields = ["id", "objective", "case", "description", "due_on", "status"]
        read_only_fields = fields


class PlanActionCreateSerializer(serializers.Serializer):
    objective = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="objectif")
    description = serializers.CharField(label="action", max_length=2000)
    due_on = serializers.DateField(required=False, allow_null=True, label="échéance")


class PlanActionFilterSerializer(CaseRecordFilterSerializer):
    objective = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Objectif (id)."
    )


class PlanItemStatusSerializer(serializers.Serializer):
    status = PlanItemStatusField(label="état")


# --- Orientations -------------------------------------------------------------------------


class OrientationSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    result = OrientationResultField(label="résultat")

    class Meta:
        model = Orientation
        fields = ["id", "case", "partner", "partner_name", "oriented_on", "purpose", "result"]
        read_only_fields = fields


class OrientationCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="dossier")
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.active(), label="partenaire", help_text="Id du partenaire."
    )
    oriented_on = serializers.DateField(label="date")
    purpose = serializers.CharField(label="objet", max_length=2000)


class OrientationResultSerializer(serializers.Serializer):
    result = OrientationResultField(label="résultat")
