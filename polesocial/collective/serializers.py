"""What the collective-work API shows and accepts.

Serializers check the shape and the simple rules (a negative duration, an unknown code);
the rest (dates, attendance against headcounts, addressees, the name check) is the
services', whose French messages come back as 400s by field. Input that names an
employer, a partner or an addressee takes its id; the view resolves it through
`visible_by` (an employer out of scope is 404, like an absent one).
"""

from __future__ import annotations

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from polesocial.api.serializers import ID_MAX, YEAR_MAX
from polesocial.collective import rules
from polesocial.collective.enums import ActionKind, ActionTheme, Body, RiskKind, Satisfaction
from polesocial.collective.models import ActionEmployer, Alert, BodyMeeting, CollectiveAction

MAX_COUNT = 2_147_483_647


def _enum(enum: type[models.TextChoices], component: str, blank: bool = False) -> type:
    """A choice field with its own named enum in the schema: two fields named `kind`
    (a token's, an action's) would otherwise collide, and the schema check fails on it."""
    values = [*enum.values, *([""] if blank else [])]
    description = "\n".join(f"* `{choice.value}` - {choice.label}" for choice in enum)

    @extend_schema_field(
        {"type": "string", "enum": values, "description": description}, component_name=component
    )
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            kwargs.setdefault("allow_blank", blank)
            super().__init__(enum.choices, **kwargs)

    EnumField.__name__ = component
    return EnumField


ActionKindField = _enum(ActionKind, "CollectiveActionKindEnum")
ActionThemeField = _enum(ActionTheme, "CollectiveActionThemeEnum")
SatisfactionField = _enum(Satisfaction, "CollectiveActionSatisfactionEnum", blank=True)
BodyField = _enum(Body, "BodyMeetingBodyEnum")
RiskField = _enum(RiskKind, "AlertRiskEnum")


def _count(label: str, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        label=label,
        max_value=MAX_COUNT,
        validators=[rules.validate_count],
        required=False,
        allow_null=True,
        **kwargs,
    )


def _minutes(label: str, validator, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        label=label, max_value=MAX_COUNT, validators=[validator], **kwargs
    )


NAMES_CONFIRMED_HELP = (
    "Le texte contient le prénom et le nom d'un agent connu de l'employeur : la requête est "
    "refusée (400, sans dire lequel) tant que ce champ ne confirme pas qu'il ne désigne "
    "personne."
)


def _names_confirmed() -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False, default=False, write_only=True, help_text=NAMES_CONFIRMED_HELP
    )


# --- Collective actions --------------------------------------------------------------------


class ActionEmployerSerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name", read_only=True)

    class Meta:
        model = ActionEmployer
        fields = ["employer", "employer_name", "attendance"]
        read_only_fields = fields


class CollectiveActionSerializer(serializers.ModelSerializer):
    """An action; for an employer contact, only his employer's attendance (`employers`),
    and no total when other employers took part (`shared`): theirs is not his to read."""

    kind = ActionKindField(label="nature", read_only=True)
    theme = ActionThemeField(label="thème", read_only=True)
    satisfaction = SatisfactionField(label="satisfaction", read_only=True)
    employers = ActionEmployerSerializer(source="shown_shares", many=True, read_only=True)
    shared = serializers.BooleanField(
        source="hides_totals",
        read_only=True,
        help_text="D'autres employeurs, non montrés, ont participé (correspondant·e RH).",
    )
    worker_name = serializers.CharField(source="worker.user.full_name", read_only=True)

    class Meta:
        model = CollectiveAction
        fields = [
            "id",
            "title",
            "kind",
            "theme",
            "starts_on",
            "ends_on",
            "duration_minutes",
            "preparation_minutes",
            "attendance",
            "attendance_category_a",
            "attendance_category_b",
            "attendance_category_c",
            "employers",
            "shared",
            "partners",
            "satisfaction",
            "evaluation",
            "worker_name",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.hides_totals:
            for name in ("attendance", *(f"attendance_category_{c}" for c in "abc")):
                data[name] = None
        return data


class ShareInputSerializer(serializers.Serializer):
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id de l'employeur."
    )
    attendance = _count("participants de cet employeur")


class CollectiveActionInputSerializer(serializers.Serializer):
    """A new action, or (PATCH) the changes; `employers` and `partners` replace the lists."""

    title = serializers.CharField(label="intitulé", max_length=200)
    kind = ActionKindField(label="nature")
    theme = ActionThemeField(label="thème")
    starts_on = serializers.DateField(label="date")
    ends_on = serializers.DateField(label="dernier jour", required=False, allow_null=True)
    duration_minutes = _minutes("durée (minutes)", rules.validate_duration)
    preparation_minutes = _minutes(
        "temps de préparation (minutes)", rules.validate_preparation, required=False, default=0
    )
    attendance = _count("participants (total)")
    attendance_category_a = _count("dont catégorie A")
    attendance_category_b = _count("dont catégorie B")
    attendance_category_c = _count("dont catégorie C")
    satisfaction = SatisfactionField(label="satisfaction", required=False, default="")
    evaluation = serializers.CharField(
        label="bilan et suites", required=False, allow_blank=True, default=""
    )
    employers = ShareInputSerializer(many=True, allow_empty=False)
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        default=list,
        help_text="Ids des partenaires.",
    )
    names_confirmed = _names_confirmed()


class CollectiveActionFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=YEAR_MAX, required=False)
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Employeur (id)."
    )
    kind = ActionKindField(required=False, help_text="Nature.")
    theme = ActionThemeField(required=False, help_text="Thème.")


# --- Body meetings -------------------------------------------------------------------------


class BodyMeetingSerializer(serializers.ModelSerializer):
    body = BodyField(label="instance", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    worker_name = serializers.CharField(source="worker.user.full_name", read_only=True)

    class Meta:
        model = BodyMeeting
        fields = [
            "id",
            "employer",
            "employer_name",
            "body",
            "held_on",
            "duration_minutes",
            "preparation_minutes",
            "topics",
            "follow_ups",
            "worker_name",
        ]
        read_only_fields = fields


class BodyMeetingInputSerializer(serializers.Serializer):
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id de l'employeur."
    )
    body = BodyField(label="instance")
    held_on = serializers.DateField(label="date")
    duration_minutes = _minutes("durée (minutes)", rules.validate_duration)
    preparation_minutes = _minutes(
        "temps de préparation (minutes)", rules.validate_preparation, required=False, default=0
    )
    topics = serializers.CharField(label="sujets abordés")
    follow_ups = serializers.CharField(
        label="suites à donner", required=False, allow_blank=True, default=""
    )
    names_confirmed = _names_confirmed()


class BodyMeetingFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=YEAR_MAX, required=False)
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Employeur (id)."
    )
    body = BodyField(required=False, help_text="Instance.")


# --- Alerts --------------------------------------------------------------------------------


class AddresseeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class AlertSerializer(serializers.ModelSerializer):
    risk = RiskField(label="nature du risque", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    addressees = AddresseeSerializer(many=True, read_only=True)
    worker_name = serializers.CharField(source="worker.user.full_name", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "employer",
            "employer_name",
            "raised_on",
            "risk",
            "description",
            "addressees",
            "follow_up",
            "worker_name",
        ]
        read_only_fields = fields


class AlertInputSerializer(serializers.Serializer):
    """A new alert, or (PATCH) the changes (the employer of an alert never changes)."""

    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id de l'employeur."
    )
    raised_on = serializers.DateField(label="date")
    risk = RiskField(label="nature du risque")
    description = serializers.CharField(label="description")
    addressees = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        allow_empty=False,
        help_text="Ids des comptes de correspondant·e·s RH de cet employeur ; chacun·e est "
        "notifié·e.",
    )
    follow_up = serializers.CharField(
        label="suites données", required=False, allow_blank=True, default=""
    )
    names_confirmed = _names_confirmed()


class AlertFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=YEAR_MAX, required=False)
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Employeur (id)."
    )
    risk = RiskField(required=False, help_text="Nature du risque.")
