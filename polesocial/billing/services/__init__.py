"""Every write of billing, one module per topic: time entries, invoice runs, issue and
payment of invoices, FTE plans. Each write runs in a transaction, is checked, and is
written to the journal.

The public names are re-exported here, so callers write `services.invoice_issue(...)`.
A test that replaces a name (`RUN_BATCH`, `draft_lines`) replaces it in its module.
"""

from polesocial.billing.services.fte_plans import (
    PlanRow,
    fte_plan_validate,
    plan_rows,
    plans_by_worker,
)
from polesocial.billing.services.invoices import (
    NOTHING_TO_ISSUE,
    credited,
    invoice_cancel,
    invoice_issue,
    invoice_issue_all,
    invoice_number,
    invoice_set_paid,
)
from polesocial.billing.services.lines import DraftLine
from polesocial.billing.services.runs import (
    check_quarter_ended,
    convention_for,
    draft_lines,
    employers_with_ended_convention,
    invoice_run,
    invoice_run_final,
    invoice_run_in_batches,
    invoice_run_request,
)
from polesocial.billing.services.time_entries import (
    MAX_MINUTES_A_DAY,
    Row,
    time_entry_add,
    time_entry_delete,
    time_record_body_meeting,
    time_record_collective_action,
    time_record_interview,
    time_sync,
)

__all__ = [
    "MAX_MINUTES_A_DAY",
    "NOTHING_TO_ISSUE",
    "DraftLine",
    "PlanRow",
    "Row",
    "check_quarter_ended",
    "convention_for",
    "credited",
    "draft_lines",
    "employers_with_ended_convention",
    "fte_plan_validate",
    "invoice_cancel",
    "invoice_issue",
    "invoice_issue_all",
    "invoice_number",
    "invoice_run",
    "invoice_run_final",
    "invoice_run_in_batches",
    "invoice_run_request",
    "invoice_set_paid",
    "plan_rows",
    "plans_by_worker",
    "time_entry_add",
    "time_entry_delete",
    "time_record_body_meeting",
    "time_record_collective_action",
    "time_record_interview",
    "time_sync",
]
