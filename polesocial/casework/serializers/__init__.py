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

Modules: `fields` (the code lists as choice fields named in the schema), `employees`
(references, and the employee as the reader recorded them), `referrals` (senders' input and
receipts, assessment, consent), `cases`, `records` (interviews, plan, orientations). What
`casework.api` and the tests use is re-exported here.
"""

from polesocial.casework.serializers.cases import (
    CaseCloseSerializer,
    CaseFilterSerializer,
    CaseOpenSerializer,
    CaseReopenSerializer,
    CaseSerializer,
    CaseSummarySerializer,
    CaseUpdateSerializer,
)
from polesocial.casework.serializers.employees import (
    EmployeeFilterSerializer,
    EmployeeSerializer,
    employee_pk,
    employee_reference,
    persons_recorded_by,
)
from polesocial.casework.serializers.records import (
    CaseRecordFilterSerializer,
    InterviewCreateSerializer,
    InterviewSerializer,
    OrientationCreateSerializer,
    OrientationResultSerializer,
    OrientationSerializer,
    PlanActionCreateSerializer,
    PlanActionFilterSerializer,
    PlanActionSerializer,
    PlanItemStatusSerializer,
    PlanObjectiveCreateSerializer,
    PlanObjectiveSerializer,
)
from polesocial.casework.serializers.referrals import (
    AssessmentInputSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    ReferralCreateSerializer,
    ReferralReceiptSerializer,
    ReferralSerializer,
)

__all__ = [
    "AssessmentInputSerializer",
    "CaseCloseSerializer",
    "CaseFilterSerializer",
    "CaseOpenSerializer",
    "CaseRecordFilterSerializer",
    "CaseReopenSerializer",
    "CaseSerializer",
    "CaseSummarySerializer",
    "CaseUpdateSerializer",
    "ConsentInputSerializer",
    "ConsentSerializer",
    "EmployeeFilterSerializer",
    "EmployeeSerializer",
    "InterviewCreateSerializer",
    "InterviewSerializer",
    "OrientationCreateSerializer",
    "OrientationResultSerializer",
    "OrientationSerializer",
    "PlanActionCreateSerializer",
    "PlanActionFilterSerializer",
    "PlanActionSerializer",
    "PlanItemStatusSerializer",
    "PlanObjectiveCreateSerializer",
    "PlanObjectiveSerializer",
    "ReferralCreateSerializer",
    "ReferralReceiptSerializer",
    "ReferralSerializer",
    "employee_pk",
    "employee_reference",
    "persons_recorded_by",
]
