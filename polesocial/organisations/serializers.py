"""What the organisations API shows and accepts.

Serializers only check the shape and the rules a form would check; every write goes
through `organisations.services` (see `organisations.api`). Input serializers that name
an employer or a worker take its id: the view resolves it through `visible_by`, so an
object out of the caller's scope answers 404, like an absent one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from polesocial.api.serializers import ID_MAX, YEAR_MAX, YEAR_MIN
from polesocial.organisations import rules
from polesocial.organisations.enums import ConventionStatus, EmployerKind
from polesocial.organisations.models import (
    Convention,
    ConventionAmendment,
    Employer,
    FteShare,
    Headcount,
    Team,
)
from polesocial.organisations.validators import normalise_siret, validate_siret
from polesocial.users.models import User

# The first year a headcount may be given for (as in the CSV import).
FIRST_YEAR = 1990
# PositiveIntegerField's ceiling on every database we run on.
MAX_COUNT = 2_147_483_647
HEADCOUNT_PARTS = (
    ("titulaire", "stagiaire", "contractuel"),
    ("category_a", "category_b", "category_c"),
)
HEADCOUNT_FIGURES = ("total", *HEADCOUNT_PARTS[0], *HEADCOUNT_PARTS[1])


class SiretField(serializers.CharField):
    """A SIRET as typed (spaces allowed), stored and checked without its spaces."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "14 chiffres ; les espaces sont ignorés.")
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        return normalise_siret(super().to_internal_value(data))


# --- Employers ---------------------------------------------------------------------------


# A named component: api.ApiToken has a `kind` too, and drf-spectacular cannot name two
# `kind` enums by itself (it warns, and the schema check fails on warnings).
@extend_schema_field(
    {
        "type": "string",
        "enum": EmployerKind.values,
        "description": "\n".join(f"* `{k.value}` - {k.label}" for k in EmployerKind),
    },
    component_name="EmployerKindEnum",
)
class EmployerKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(EmployerKind.choices, **kwargs)


class EmployerSerializer(serializers.ModelSerializer):
    kind = EmployerKindField(label="nature")
    siret = SiretField(
        label="SIRET",
        validators=[
            validate_siret,
            UniqueValidator(Employer.objects.all(), message="Un employeur porte déjà ce SIRET."),
        ],
    )

    class Meta:
        model = Employer
        # Not `accounts`: who is linked to an employer is managed on the screens.
        fields = [
            "id",
            "name",
            "kind",
            "siret",
            "team",
            "street",
            "postcode",
            "city",
            "hr_contact_name",
            "hr_contact_email",
            "hr_contact_phone",
        ]
        read_only_fields = ["id"]


class EmployerFilterSerializer(serializers.Serializer):
    kind = EmployerKindField(required=False, help_text="Nature.")
    team = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Équipe (id)."
    )


# --- Headcounts --------------------------------------------------------------------------


def _current_year() -> int:
    return timezone.localdate().year


def _check_year(year: int, first: int = FIRST_YEAR) -> int:
    last = _current_year() + 1
    if not first <= year <= last:
        raise serializers.ValidationError(f"L'année doit être comprise entre {first} et {last}.")
    return year


class HeadcountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Headcount
        fields = ["id", "employer", "year", *HEADCOUNT_FIGURES]
        read_only_fields = fields


def _count(label: str, required: bool = False) -> serializers.IntegerField:
    if required:
        return serializers.IntegerField(label=label, min_value=0, max_value=MAX_COUNT)
    return serializers.IntegerField(
        label=label, min_value=0, max_value=MAX_COUNT, required=False, allow_null=True
    )


class HeadcountInputSerializer(serializers.Serializer):
    """A year's headcount of one employer, in full: absent parts are recorded as unknown."""

    siret = SiretField(required=False, label="SIRET de l'employeur")
    employer = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        label="employeur",
        help_text="Id de l'employeur.",
    )
    year = serializers.IntegerField(label="année")
    total = _count("effectif total", required=True)
    titulaire = _count("titulaires")
    stagiaire = _count("stagiaires")
    contractuel = _count("contractuels")
    category_a = _count("catégorie A")
    category_b = _count("catégorie B")
    category_c = _count("catégorie C")

    def validate_year(self, year: int) -> int:
        return _check_year(year)

    def validate(self, data: dict) -> dict:
        if ("siret" in data) == ("employer" in data):
            raise serializers.ValidationError(
                "Indiquez l'employeur par son SIRET ou par son id (l'un des deux)."
            )
        total = data["total"]
        for group, label in (
            (HEADCOUNT_PARTS[0], "par statut"),
            (HEADCOUNT_PARTS[1], "par catégorie"),
        ):
            mismatch = rules.breakdown_mismatch(total, [data.get(name) for name in group])
            if mismatch:
                raise serializers.ValidationError(f"La répartition {label} {mismatch}.")
        return data


class HeadcountFilterSerializer(serializers.Serializer):
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Employeur (id)."
    )
    year = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, help_text="Année."
    )


# --- Conventions -------------------------------------------------------------------------


class ConventionSerializer(serializers.ModelSerializer):
    """A convention; its status changes only through the sign, activate, terminate actions."""

    has_signed_document = serializers.SerializerMethodField(
        help_text="La convention signée a été déposée (téléchargeable sur l'interface)."
    )
    term_end = serializers.SerializerMethodField(
        help_text="Dernier jour de la période en cours (reconduction tacite comprise)."
    )
    notice_deadline = serializers.SerializerMethodField(
        help_text="Dernier jour pour donner préavis avant la fin de la période en cours."
    )

    class Meta:
        model = Convention
        fields = [
            "id",
            "employer",
            "reference",
            "status",
            "billing_mode",
            "hourly_rate",
            "session_rate",
            "fte_yearly_amount",
            "mobility_hourly_rate",
            "membership_contribution",
            "starts_on",
            "ends_on",
            "tacit_renewal",
            "notice_months",
            "billing_period",
            "premises_provided",
            "internal_committee_created",
            "signed_on",
            "terminated_on",
            "has_signed_document",
            "term_end",
            "notice_deadline",
        ]
        read_only_fields = ["id", "employer", "status", "signed_on", "terminated_on"]

    def get_has_signed_document(self, convention: Convention) -> bool:
        return bool(convention.signed_document)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_term_end(self, convention: Convention) -> dt.date:
        return rules.current_term_end(convention, timezone.localdate())

    @extend_schema_field(OpenApiTypes.DATE)
    def get_notice_deadline(self, convention: Convention) -> dt.date:
        return rules.notice_deadline(convention, timezone.localdate())


class ConventionCreateSerializer(ConventionSerializer):
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, label="employeur", help_text="Id de l'employeur."
    )

    class Meta(ConventionSerializer.Meta):
        read_only_fields = ["id", "status", "signed_on", "terminated_on"]


class ConventionSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(label="date de signature")


class ConventionAmendmentSerializer(serializers.ModelSerializer):
    """An amendment (avenant): new prices from `effective_from`, numbered in turn."""

    has_signed_document = serializers.SerializerMethodField(
        help_text="L'avenant signé a été déposé (téléchargeable sur l'interface)."
    )

    class Meta:
        model = ConventionAmendment
        fields = [
            "id",
            "convention",
            "number",
            "signed_on",
            "effective_from",
            "hourly_rate",
            "session_rate",
            "fte_yearly_amount",
            "mobility_hourly_rate",
            "reason",
            "has_signed_document",
        ]
        read_only_fields = fields

    def get_has_signed_document(self, amendment: ConventionAmendment) -> bool:
        return bool(amendment.signed_document)


def _price(label: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text="Absent ou null : inchangé.",
    )


class ConventionAmendInputSerializer(serializers.Serializer):
    signed_on = serializers.DateField(label="date de signature de l'avenant")
    effective_from = serializers.DateField(label="date d'effet")
    hourly_rate = _price("nouveau taux horaire")
    session_rate = _price("nouveau prix d'une vacation")
    fte_yearly_amount = _price("nouveau montant annuel de la quote-part d'ETP")
    mobility_hourly_rate = _price("nouveau taux horaire de l'accompagnement mobilité")
    reason = serializers.CharField(label="motif", max_length=2000)


class ConventionTerminateSerializer(serializers.Serializer):
    terminated_on = serializers.DateField(label="date de résiliation")


class ConventionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(ConventionStatus.choices, required=False, help_text="Statut.")
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Employeur (id)."
    )


# --- Teams and FTE shares ----------------------------------------------------------------


class StaffSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    counsellor = StaffSerializer(read_only=True)
    deputy = StaffSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["id", "name", "counsellor", "deputy"]
        read_only_fields = fields


class FteShareSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.user.full_name", read_only=True)
    employer_fte = serializers.DecimalField(
        max_digits=7,
        decimal_places=5,
        read_only=True,
        help_text="ETP de l'employeur : quotité de l'ASS × part de l'activité.",
    )

    class Meta:
        model = FteShare
        fields = ["id", "worker", "worker_name", "employer", "year", "share", "employer_fte"]
        read_only_fields = fields


class FteShareWrittenSerializer(FteShareSerializer):
    warning = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Alerte lorsque les quotes-parts de l'ASS dépassent 0,8 sur l'année.",
    )

    class Meta(FteShareSerializer.Meta):
        fields = [*FteShareSerializer.Meta.fields, "warning"]
        read_only_fields = fields


class FteShareInputSerializer(serializers.Serializer):
    worker = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, label="ASS", help_text="Id de l'ASS."
    )
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, label="employeur", help_text="Id de l'employeur."
    )
    year = serializers.IntegerField(label="année")
    share = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal("1"),
        label="part de l'activité",
        help_text="Fraction de l'activité de l'ASS, par exemple 0.5.",
    )

    def validate_year(self, year: int) -> int:
        return _check_year(year, first=2000)


class FteShareFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, help_text="Année."
    )
    worker = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="ASS (id)."
    )
    employer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Employeur (id)."
    )
