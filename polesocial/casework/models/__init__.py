"""Case work: employees, referrals, consent, cases and what a case holds."""

from polesocial.casework.models.cases import (
    METADATA_FIELDS,
    Case,
    CaseClosure,
    CaseDocument,
    CaseDomain,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
)
from polesocial.casework.models.employees import Employee, match_key
from polesocial.casework.models.mobility import Handoff, MobilityFollowUp
from polesocial.casework.models.referrals import (
    QUEUE_FIELDS,
    RECEIPT_FIELDS,
    Consent,
    FirstAssessment,
    Referral,
)
from polesocial.casework.models.requests import (
    ErasureDecision,
    ErasureRequest,
    SubjectAccessRequest,
    SubjectRequestStatus,
)
from polesocial.casework.models.self_referral import SelfReferralAttempt

__all__ = [
    "METADATA_FIELDS",
    "QUEUE_FIELDS",
    "RECEIPT_FIELDS",
    "Case",
    "CaseClosure",
    "CaseDocument",
    "CaseDomain",
    "Consent",
    "Employee",
    "ErasureDecision",
    "ErasureRequest",
    "FirstAssessment",
    "Handoff",
    "Interview",
    "MobilityFollowUp",
    "Orientation",
    "PlanAction",
    "PlanObjective",
    "Referral",
    "SubjectAccessRequest",
    "SubjectRequestStatus",
    "SelfReferralAttempt",
    "match_key",
]
