"""The casework code lists as choice fields, each named in the schema."""

from __future__ import annotations

from django.db import models
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
