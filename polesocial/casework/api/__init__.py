"""The casework API: referrals, employees, cases and what a case holds.

Who may do what. `privacy.features` decides whether a role may use an endpoint at all
(403, whatever the object: the answer tells nothing), then every row comes from
`visible_by(user)` (out of scope: 404 like absent, and lists hold only visible rows):

- `referrals/` POST is open to `referral_send` (HR contacts, physicians, social workers,
  counsellors), for an employer the sender sees (`Employer.objects.visible_by`: an HR
  contact or a physician his own employers only; another is 404), and to integration
  tokens granted `referrals.create` (an HR system), which act with their owner's rights
  and reach nothing else. Whoever sends gets a receipt, never more: number, date and
  "received" (no id to probe, no status beyond "received"). `referrals/sent/` lists the
  sender's own receipts (`receipts_visible_by`), in the same three fields.
- `referrals/` GET, `referrals/{id}/`, `assess/` and `consent/` need `casework` (social
  workers): the referrals assigned to her, or to the colleague she replaces today.
- `employees/`, `cases/`, `interviews/`, `plan-objectives/`, `plan-actions/`,
  `orientations/` need `casework` for every method: the worker in charge and her active
  replacement see the rows (scope table), every other worker an empty list or 404. Other
  roles get 403 on the whole endpoint, as on the screens (the counsellor reads caseloads
  as metadata on her own screens; HR contacts, physicians and the rest see nothing).

Every read of nominative data writes one journal entry per request (a list: the ids
shown; a detail: the object), with the case as subject where there is one and
`replacement=True` when the reader holds a row as replacement (worked out by the journal:
`casework.permissions.reads_as_replacement`). Receipts are not journaled:
they hold no identity, only what the sender himself sent. Writes go through
`casework.services`, which journal them; a service ValidationError answers a French 400.

What a case holds is listed one case at a time (`?case=` is required), so that every read
lands in that case's history tab.

Silent matching. The first assessment confirms the employee's identity and the service
links it, silently, to a record that may already exist. The answer is the referral as the
worker reads it, never the employee record (whose other fields might come from a
colleague), and the employee appears only as an opaque reference
(`serializers.employee_reference`), never as its database id (an old id would tell the
worker the person was known). Every identity field that a case snapshots is required, so
that the same request is accepted or refused alike whether the person was known or not.

Modules: `base` (the viewset every endpoint inherits, the schema's error answers),
`referrals`, `employees`, `cases`, `records` (interviews, plan, orientations). The viewsets
are re-exported here for `api.urls`.
"""

from polesocial.casework.api.cases import CaseViewSet
from polesocial.casework.api.employees import EmployeeViewSet
from polesocial.casework.api.mobility import HandoffViewSet
from polesocial.casework.api.records import (
    InterviewViewSet,
    OrientationViewSet,
    PlanActionViewSet,
    PlanObjectiveViewSet,
)
from polesocial.casework.api.referrals import ReferralViewSet

__all__ = [
    "CaseViewSet",
    "EmployeeViewSet",
    "HandoffViewSet",
    "InterviewViewSet",
    "OrientationViewSet",
    "PlanActionViewSet",
    "PlanObjectiveViewSet",
    "ReferralViewSet",
]
