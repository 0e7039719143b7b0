"""What the casework API shows and accepts.

Serializers check the shape only; every write goes through `casework.services` (see
`casework.api`), which applies the rules and answers in French. Ids in a request body
(case, objective, employer) are resolved by the view through `visible_by`: out of scope is
404, like absent. The views only ever serialise rows the caller may read, so encrypted
fields are shown decrypted to the worker in charge and her active replacement alone; the
private note of an interview is shown to its author alone.

Employees are never named by their database id but by an opaque `reference` (see
`employee_reference`), because silent matching links a newly assessed person to an
existing record: an old, low id would tell the worker that someone knew the person before.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Collection

from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from polesocial.casework.enums import (
    AssessmentOutcome,
    CaseStatus,
    ClosureReason,
    ConsentForm,
    ConsentScope,
    Domain,
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    InterviewPlace,
    OrientationResult,
    PlanItemStatus,
    ReferralSource,
    ReferralStatus,
    Sex,
    Urgency,
    WorkingTime,
)
from polesocial.casework.models import (
    Case,
    Consent,
    Employee,
    FirstAssessment,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
    Referral,
)
from polesocial.directory.models import Partner
from polesocial.organisations.serializers import SiretField

# --- Code lists ---------------------------------------------------------------------------


def choice_field(enum: type[models.TextChoices], component: str, *, blank: bool = False):
    """A ChoiceField on `enum`, named `component` in the schema.

    drf-spectacular names enums after the field (`status`), and several code lists share a
    field name here: it would warn, and the schema check fails on warnings.
    """
    values = [*enum.values, *([""] if blank else [])]
    description = "\n".join(f"* `{choice.value}` - {choice.label}" for choice in enum)

    @extend_schema_field(
        {"type": "string", "enum": values, "description": description}, component_name=component
    )
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            kwargs.setdefault("allow_blank", blank)
            super().__init__(enum.choices, **kwargs)

    Field.__name__ = Field.__qualname__ = f"{component}Field"
    return Field


SourceField = choice_field(ReferralSource, "ReferralSourceEnum")
UrgencyField = choice_field(Urgency, "UrgencyEnum")
ReferralStatusField = choice_field(ReferralStatus, "ReferralStatusEnum")
OutcomeField = choice_field(AssessmentOutcome, "AssessmentOutcomeEnum")
ConsentFormField = choice_field(ConsentForm, "ConsentFormEnum")
ConsentScopeField = choice_field(ConsentScope, "ConsentScopeEnum")
EmploymentStatusField = choice_field(EmploymentStatus, "EmploymentStatusEnum")
CategoryField = choice_field(GradeCategory, "GradeCategoryEnum")
FamilySituationField = choice_field(FamilySituation, "FamilySituationEnum")
SexField = choice_field(Sex, "SexEnum")
WorkingTimeField = choice_field(WorkingTime, "WorkingTimeEnum", blank=True)
DomainField = choice_field(Domain, "DomainEnum")
CaseStatusField = choice_field(CaseStatus, "CaseStatusEnum")
PlaceField = choice_field(InterviewPlace, "InterviewPlaceEnum")
ClosureReasonField = choice_field(ClosureReason, "ClosureReasonEnum")
PlanItemStatusField = choice_field(PlanItemStatus, "PlanItemStatusEnum")
OrientationResultField = choice_field(OrientationResult, "OrientationResultEnum")


# --- Employee references ------------------------------------------------------------------

REFERENCE_SALT = "polesocial.casework.api.employee-reference"


def employee_reference(pk: int) -> str:
    """The API's name for an employee: stable, but telling nothing of when it was created."""
    return salted_hmac(REFERENCE_SALT, str(pk), algorithm="sha256").hexdigest()[:24]


def employee_pk(queryset, reference: str) -> int | None:
    """The id of the employee of `queryset` (already `visible_by`) named by `reference`.

    A worker sees the employees of her own (and replaced) cases and referrals only, so
    this walks a few hundred ids at most.
    """
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


# --- Referrals ----------------------------------------------------------------------------


class ReferralCreateSerializer(serializers.Serializer):
    """A referral as a sender gives it; the employer by SIRET (an HR system) or by id."""

    employer = serializers.IntegerField(
        min_value=1, required=False, label="employeur", help_text="Id de l'employeur."
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


# --- Employees ----------------------------------------------------------------------------


class EmployeeSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField(help_text="Référence opaque de l'agent.")
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    # Text: an address left blank is "", which the `email` format would refuse.
    email = serializers.CharField(read_only=True, label="courriel")
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
        help_text="Recherche sur le nom et le prénom (accents et casse ignorés).",
    )


# --- Cases --------------------------------------------------------------------------------


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
            "snapshot_birth_date",
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


class CaseRecordFilterSerializer(serializers.Serializer):
    """What a case holds is listed one case at a time, so each read lands in its history."""

    case = serializers.IntegerField(min_value=1, help_text="Dossier (id) : obligatoire.")


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
    case = serializers.IntegerField(min_value=1, label="dossier")
    occurred_on = serializers.DateField(label="date")
    place = PlaceField(label="lieu")
    # No bound here: the service refuses more than 8 hours and says why.
    duration_minutes = serializers.IntegerField(label="durée (minutes)")
    employer = serializers.IntegerField(
        min_value=1,
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
    case = serializers.IntegerField(min_value=1, label="dossier")
    title = serializers.CharField(label="objectif", max_length=2000)


class PlanActionSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="objective.case_id", read_only=True)
    status = PlanItemStatusField(label="état")

    class Meta:
        model = PlanAction
        fields = ["id", "objective", "case", "description", "due_on", "status"]
        read_only_fields = fields


class PlanActionCreateSerializer(serializers.Serializer):
    objective = serializers.IntegerField(min_value=1, label="objectif")
    description = serializers.CharField(label="action", max_length=2000)
    due_on = serializers.DateField(required=False, allow_null=True, label="échéance")


class PlanActionFilterSerializer(CaseRecordFilterSerializer):
    objective = serializers.IntegerField(min_value=1, required=False, help_text="Objectif (id).")


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
    case = serializers.IntegerField(min_value=1, label="dossier")
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.active(), label="partenaire", help_text="Id du partenaire."
    )
    oriented_on = serializers.DateField(label="date")
    purpose = serializers.CharField(label="objet", max_length=2000)


class OrientationResultSerializer(serializers.Serializer):
    result = OrientationResultField(label="résultat")
