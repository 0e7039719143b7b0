"""The shapes the invoice run works with: a time entry as it reads it, a line of a draft
as it prices it. Their own module, so that the run (`runs.py`) and the mobility adviser's
lines (`mobility.py`), which builds on `DraftLine`, both import them without importing
each other's module back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class UnbilledEntry(NamedTuple):
    """A time entry as the run reads it (`unbilled_by_employer`): the fields that price
    it, as a plain row. A run reads thousands of entries per batch; building a model
    instance for each cost more than the query (issue 20). A `TimeEntry` has the same
    attributes and is accepted wherever these rows are."""

    pk: int
    employer_id: int
    worker_id: int
    date: dt.date
    minutes: int
    kind: str


@dataclass
class DraftLine:
    kind: str
    time_kind: str
    label: str
    minutes: int
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    entries: Sequence[UnbilledEntry]
