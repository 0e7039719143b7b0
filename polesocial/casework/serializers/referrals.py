"""Referrals: what a sender gives and the receipt he gets; what the worker reads.

The worker reads the referral with its first assessment and consents, and records them
through `AssessmentInputSerializer` and `ConsentInputSerializer`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from polesocial.api.serializers import ID_MAX
from polesocial.casework.models import Consent, FirstAssessment, Referral
from polesocial.casework.serializers.employees import EmployeeReferenceField
from polesocial.casework.serializers.fields import (
    CategoryField,
    ConsentFormField,
    ConsentScopeField,
    EmploymentStatusField,
    FamilySituationField,
    OutcomeField,
    ReferralStatusField,
    SexField,
    SourceField,
    UrgencyField,
    WorkingTimeField,
)
from polesocial.organisations.serializers import SiretField


class ReferralCreateSerializer(serializers.Serializer):
    """A referral as a sender gives it; the employer by SIRET (an HR system) or by id."""

    employer = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        label="employeur",
        help_text="Id de l'employeur.",
    )
    siret = SiretField(required=False, label="SIRET de l'employeur")
    source = SourceField(
        required=False,
        label="origine",
        help_text="Par défaut : le service RH pour un·e correspondant·e RH, le médecin de "
        "prévention pour un·e médecin ; obligatoire pour les autres rôles.",
    )
    urgency = UrgencyField(required=False, label="urgence")
    reason = serializers.CharField(label="motif de la demande", max_length=5000)
    person_last_name = serializers.CharField(label="nom de l'agent", max_length=150)
    person_first_name = serializers.CharField(label="prénom de l'agent", max_length=150)
    person_contact = serializers.CharField(
        label="coordonnées de l'agent", max_length=200, required=False, allow_blank=True
    )
    referrer_name = serializers.CharField(
        label="demandeur",
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Par défaut : le nom du compte qui envoie.",
    )
    referrer_contact = serializers.CharField(
        label="coordonnées du demandeur",
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Par défaut : le courriel du compte qui envoie.",
    )

    def validate(self, data: dict) -> dict:
        if ("siret" in data) == ("employer" in data):
            raise serializers.ValidationError(
                "Indiquez l'employeur par son SIRET ou par son id (l'un des deux)."
            )
        return data


@extend_schema_field(
    {
        "type": "string",
        "enum": ["received"],
        "description": "Toujours `received` (reçue) : jamais ce qu'il est advenu de la saisine.",
    },
    component_name="ReceiptStatusEnum",
)
class ReceiptStatusField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return "received"


class ReferralReceiptSerializer(serializers.Serializer):
    """All a sender ever learns of a referral: that it was received, when, under which number.

    No id (nothing to probe), no status beyond "received", never whether a case exists.
    Serialises a Referral or a row of `Referral.objects.receipts_visible_by`.
    """

    number = serializers.CharField(read_only=True, help_text="Numéro de la saisine.")
    received_at = serializers.DateTimeField(read_only=True)
    status = ReceiptStatusField()


class FirstAssessmentSerializer(serializers.ModelSerializer):
    outcome = OutcomeField(label="suite donnée")

    class Meta:
        model = FirstAssessment
        fields = ["assessed_on", "outcome", "notes"]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer):
    form = ConsentFormField(label="forme")
    scope = serializers.ListField(child=ConsentScopeField(), label="échanges autorisés")
    is_active = serializers.BooleanField(read_only=True, label="active")

    class Meta:
        model = Consent
        fields = ["id", "given_on", "form", "scope", "withdrawn_on", "is_active"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    """A referral as the worker it is assigned to (or her replacement) reads it."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    source = SourceField(label="origine")
    urgency = UrgencyField(label="urgence")
    status = ReferralStatusField(label="état")
    employee = EmployeeReferenceField(
        source="employee_id",
        allow_null=True,
        help_text="L'agent, une fois l'identité confirmée (évaluation) ; null avant.",
    )
    first_assessment = serializers.SerializerMethodField()
    consents = ConsentSerializer(many=True, read_only=True)
    replacement_until = serializers.SerializerMethodField(
        help_text="Accès en remplacement : dernier jour du remplacement ; null sinon."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "employer",
            "employer_name",
            "source",
            "received_at",
            "urgency",
            "reason",
            "referrer_name",
            "referrer_contact",
            "person_last_name",
            "person_first_name",
            "person_contact",
            "status",
            "assigned_at",
            "employee",
            "first_assessment",
            "consents",
            "replacement_until",
        ]
        read_only_fields = fields

    @extend_schema_field(FirstAssessmentSerializer(allow_null=True))
    def get_first_assessment(self, referral: Referral) -> dict | None:
        try:
            assessment = referral.first_assessment
        except FirstAssessment.DoesNotExist:
            return None
        return FirstAssessmentSerializer(assessment).data

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_replacement_until(self, referral: Referral) -> dt.date | None:
        return self.context.get("replaced_until", {}).get(referral.assigned_to_id)


class EmployeeIdentitySerializer(serializers.Serializer):
    """The employee as the worker confirms them at the first assessment.

    Everything that a case snapshots for statistics is required, so that the request is
    checked the same way whether the person was already known or not.
    """

    last_name = serializers.CharField(label="nom", max_length=150)
    first_name = serializers.CharField(label="prénom", max_length=150)
    birth_date = serializers.DateField(label="date de naissance")
    sex = SexField(label="sexe", help_text="`X` si non précisé.")
    status = EmploymentStatusField(label="statut")
    category = CategoryField(label="catégorie")
    family_situation = FamilySituationField(label="situation familiale")
    children_count = serializers.IntegerField(
        label="enfants à charge", min_value=0, max_value=30, default=0
    )
    employer = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        label="employeur",
        help_text="Id de l'employeur ; par défaut celui de la saisine.",
    )
    phone = serializers.CharField(
        label="téléphone", max_length=30, required=False, allow_blank=True
    )
    email = serializers.EmailField(label="courriel", required=False, allow_blank=True)
    address = serializers.CharField(
        label="adresse", max_length=255, required=False, allow_blank=True
    )
    job = serializers.CharField(
        label="métier ou poste", max_length=150, required=False, allow_blank=True
    )
    working_time = WorkingTimeField(label="temps de travail", required=False)

    def validate_birth_date(self, birth_date: dt.date) -> dt.date:
        if birth_date >= timezone.localdate():
            raise serializers.ValidationError("La date de naissance doit être passée.")
        return birth_date


class AssessmentInputSerializer(serializers.Serializer):
    assessed_on = serializers.DateField(label="date")
    outcome = OutcomeField(label="suite donnée")
    notes = serializers.CharField(label="notes", required=False, allow_blank=True, default="")
    employee = EmployeeIdentitySerializer(label="agent")


class ConsentInputSerializer(serializers.Serializer):
    given_on = serializers.DateField(label="date de l'adhésion")
    form = ConsentFormField(label="forme")
    scope = serializers.ListField(
        child=ConsentScopeField(), label="échanges autorisés", required=False, default=list
    )
