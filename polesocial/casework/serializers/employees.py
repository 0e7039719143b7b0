"""Employees: named by an opaque reference, shown as the reader recorded them.

Never the database id (see `employee_reference`): silent matching links a newly assessed
person to an existing record, and an old, low id would tell the worker that someone knew
the person before.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Collection

from django.utils.crypto import salted_hmac
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from polesocial.casework.models import Case, Employee, FirstAssessment
from polesocial.casework.serializers.fields import (
    CategoryField,
    EmploymentStatusField,
    FamilySituationField,
    SexField,
    WorkingTimeField,
)

# --- Employee references ------------------------------------------------------------------

REFERENCE_SALT = "polesocial.casework.api.employee-reference"
REFERENCE = re.compile(r"[0-9a-f]{24}")


def employee_reference(pk: int) -> str:
    """The API's name for an employee: stable, but telling nothing of when it was created."""
    return salted_hmac(REFERENCE_SALT, str(pk), algorithm="sha256").hexdigest()[:24]


def employee_pk(queryset, reference: str) -> int | None:
    """The id of the employee of `queryset` (already `visible_by`) named by `reference`.

    A worker sees the employees of her own (and replaced) cases and referrals only, so
    this walks a few hundred ids at most. Anything but 24 hexadecimal digits names no one
    (and compare_digest refuses to compare non-ASCII text: a server error).
    """
    if not REFERENCE.fullmatch(reference):
        return None
    for pk in queryset.values_list("pk", flat=True).iterator():
        if hmac.compare_digest(employee_reference(pk), reference):
            return pk
    return None


@extend_schema_field(
    {
        "type": "string",
        "description": "Référence opaque de l'agent (voir GET /employees/{id}/).",
    }
)
class EmployeeReferenceField(serializers.Field):
    """An employee id shown as its reference (read only)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return employee_reference(value)


# --- Employees ----------------------------------------------------------------------------


class EmployeeSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField(help_text="Référence opaque de l'agent.")
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    # Text: an address left blank is "", which the `email` format would refuse.
    email = serializers.CharField(read_only=True, label="courriel")
    # A date, though stored encrypted as text.
    birth_date = serializers.DateField(read_only=True, label="date de naissance")
    sex = SexField(label="sexe")
    status = EmploymentStatusField(label="statut")
    category = CategoryField(label="catégorie")
    working_time = WorkingTimeField(label="temps de travail")
    family_situation = FamilySituationField(label="situation familiale")

    class Meta:
        model = Employee
        fields = [
            "id",
            "last_name",
            "first_name",
            "birth_date",
            "sex",
            "phone",
            "email",
            "address",
            "employer",
            "employer_name",
            "status",
            "category",
            "job",
            "working_time",
            "family_situation",
            "children_count",
        ]
        read_only_fields = fields

    def get_id(self, employee: Employee) -> str:
        return employee_reference(employee.pk)

    def to_representation(self, employee: Employee) -> dict:
        """The employee as the reader recorded them (casework.person), never the shared row:
        silent matching must not show her what a colleague typed."""
        data = super().to_representation(employee)
        person = self.context.get("persons", {}).get(employee.pk)
        if person is None:
            return data
        for name in self.Meta.fields:
            if name not in ("id", "employer") and hasattr(person, name):
                value = getattr(person, name)
                data[name] = value.isoformat() if name == "birth_date" else value
        data["employer"] = person.employer_id
        return data


def persons_recorded_by(user, *, employee_ids: Collection[int]) -> dict:
    """employee id -> the latest PersonRecord in the cases and assessments `user` sees.

    Only for `employee_ids` (the rows being shown): every row read here is decrypted, and
    a worker's whole caseload on each page of `employees/` would cost in proportion to it.
    """
    persons = {}
    assessments = (
        FirstAssessment.objects.visible_by(user)
        .filter(referral__employee__in=employee_ids)
        .select_related("referral")
    )
    for assessment in assessments.order_by("assessed_on", "pk"):
        if assessment.person is not None:
            persons[assessment.referral.employee_id] = assessment.person
    for case in (
        Case.objects.visible_by(user)
        .filter(employee__in=employee_ids)
        .select_related("employee__employer")
        .order_by("opened_on", "pk")
    ):
        persons[case.employee_id] = case.person
    return persons


class EmployeeFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Recherche de mots entiers du nom et du prénom (accents et casse ignorés) : "
        "« dupont » trouve « Dupont-Lefèvre », « dup » ne le trouve pas.",
    )
