"""Cases: a summary for lists, the whole case, and what opens, updates, closes, reopens one."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from polesocial.api.serializers import ID_MAX
from polesocial.casework.models import Case
from polesocial.casework.serializers.employees import EmployeeReferenceField
from polesocial.casework.serializers.fields import (
    CaseStatusField,
    CategoryField,
    ClosureReasonField,
    DomainField,
    EmploymentStatusField,
    FamilySituationField,
    SexField,
)


class CaseSummarySerializer(serializers.ModelSerializer):
    employee = EmployeeReferenceField(source="employee_id")
    # The employee as the worker in charge recorded them (casework.person).
    employee_name = serializers.CharField(source="person", read_only=True)
    worker_name = serializers.CharField(source="worker.user.full_name", read_only=True)
    status = CaseStatusField(label="état")
    domains = serializers.ListField(child=DomainField(), source="domain_codes", read_only=True)
    replacement_until = serializers.SerializerMethodField(
        help_text="Accès en remplacement : dernier jour du remplacement ; null sinon."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "employee",
            "employee_name",
            "worker",
            "worker_name",
            "status",
            "opened_on",
            "closed_on",
            "domains",
            "replacement_until",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_replacement_until(self, case: Case) -> dt.date | None:
        return self.context.get("replaced_until", {}).get(case.worker_id)


class ClosureSerializer(serializers.Serializer):
    closed_on = serializers.DateField(read_only=True)
    reason = ClosureReasonField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    reopened_on = serializers.DateField(read_only=True, allow_null=True)


class CaseSerializer(CaseSummarySerializer):
    snapshot_status = EmploymentStatusField(read_only=True)
    snapshot_category = CategoryField(read_only=True)
    snapshot_sex = SexField(read_only=True)
    snapshot_family_situation = FamilySituationField(read_only=True)
    consent_active = serializers.SerializerMethodField(
        help_text="L'adhésion est active : entretiens et plan peuvent être enregistrés."
    )
    closures = ClosureSerializer(many=True, read_only=True)

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "referral",
            "consent",
            "consent_active",
            "assessment",
            "snapshot_employer",
            "snapshot_status",
            "snapshot_category",
            "snapshot_birth_year",
            "snapshot_sex",
            "snapshot_family_situation",
            "closures",
        ]
        read_only_fields = fields

    def get_consent_active(self, case: Case) -> bool:
        return case.consent.is_active


class CaseFilterSerializer(serializers.Serializer):
    status = CaseStatusField(required=False, help_text="État.")
    employee = serializers.CharField(
        required=False, max_length=64, help_text="Référence de l'agent."
    )


class CaseOpenSerializer(serializers.Serializer):
    consent = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        label="adhésion",
        help_text="Id de l'adhésion active de l'agent (POST /referrals/{id}/consent/).",
    )
    domains = serializers.ListField(child=DomainField(), label="domaines")
    opened_on = serializers.DateField(
        required=False, label="ouvert le", help_text="Par défaut : aujourd'hui."
    )
    assessment = serializers.CharField(
        required=False, allow_blank=True, default="", label="diagnostic"
    )


class CaseUpdateSerializer(serializers.Serializer):
    domains = serializers.ListField(child=DomainField(), label="domaines", required=False)
    assessment = serializers.CharField(required=False, allow_blank=True, label="diagnostic")


class CaseCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(label="date de clôture")
    reason = ClosureReasonField(label="motif")
    outcome = serializers.CharField(required=False, allow_blank=True, default="", label="bilan")


class CaseReopenSerializer(serializers.Serializer):
    reopened_on = serializers.DateField(
        required=False, label="rouvert le", help_text="Par défaut : aujourd'hui."
    )
