"""The mobility adviser's time on the quarterly invoices (issue 18).

A convention covers social work unless it names the mobility service: on the days its terms
(`Convention.rate_on`, amendments included) carry a mobility hourly rate, the adviser's
follow-ups for that employer are billed at that rate on a line of their own,
« Accompagnement mobilité »; on other days, and under a convention that never names it,
nothing is billed.

Each follow-up is linked to the line that bills it (`InvoiceLine.mobility_follow_ups`), as
time entries are: while a draft, issued or paid invoice holds it, a second run or a later
period's regularisation never bills it again; a credit note that cancels the invoice
releases it. The run (`runs._run`) asks a `MobilityPool` for each period's lines;
`runs._save_drafts` hands `link_follow_ups` the lines it has just written, with their ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from polesocial.billing import rules
from polesocial.billing.enums import LineKind
from polesocial.billing.models import HOLDING, InvoiceLine
from polesocial.billing.services.lines import DraftLine
from polesocial.casework.models import MobilityFollowUp  # against the layers: see below
from polesocial.organisations.models import Convention

# Billing sits below casework; it reads the follow-ups deliberately (their employer, date and
# minutes): the adviser's time stays on his follow-up, a TimeEntry being a social worker's
# (docs/architecture.md §2).

# InvoiceLine.time_kind of these lines (not a TimeKind: no worker records this time).
MOBILITY = "mobility"
LABEL = "Accompagnement mobilité"
LATE_LABEL = f"Régularisation — {LABEL} (temps d'une période déjà facturée)"


@dataclass
class MobilityLine(DraftLine):
    """A draft line of the adviser's time, with the follow-ups it bills."""

    follow_ups: list[MobilityFollowUp] = field(default_factory=list)


def unbilled_follow_ups(employer_ids: Iterable[int], until) -> dict[int, list[MobilityFollowUp]]:
    """Employer id → its follow-ups with time, dated up to `until`, on no invoice that
    holds them, by date then pk: one query for a chunk of the run."""
    held = InvoiceLine.mobility_follow_ups.through.objects.filter(
        mobilityfollowup_id=OuterRef("pk"), invoiceline__invoice__status__in=HOLDING
    )
    rows = (
        MobilityFollowUp.objects.filter(
            employer_id__in=list(employer_ids), occurred_on__lte=until, minutes__gt=0
        )
        .exclude(Exists(held))
        .only("pk", "employer_id", "occurred_on", "minutes")
        .order_by("employer_id", "occurred_on", "pk")
    )
    by_employer: dict[int, list[MobilityFollowUp]] = defaultdict(list)
    for row in rows:
        by_employer[row.employer_id].append(row)
    return by_employer


class MobilityPool:
    """The unbilled follow-ups of a chunk of the run's employers, handed out period after
    period: what one period's draft takes, a later period of the same run never sees."""

    def __init__(self, employer_ids: Iterable[int], until) -> None:
        self.unbilled = unbilled_follow_ups(employer_ids, until)

    def take(self, employer_id: int, convention: Convention, period: rules.Period) -> list:
        """The « Accompagnement mobilité » lines of `period` under `convention`: the
        period's follow-ups, then those of earlier periods not yet billed (a
        regularisation), each at the mobility rate in force on its day; none on a day the
        convention does not name the mobility service."""
        priced: dict[tuple[bool, Decimal], list[MobilityFollowUp]] = defaultdict(list)
        for follow_up in self.unbilled.get(employer_id, []):
            day = follow_up.occurred_on
            if not convention.starts_on <= day <= period.end:
                continue
            rate = convention.rate_on(day).mobility_hourly_rate
            if rate is not None:
                priced[(day < period.start, rate)].append(follow_up)
        lines = [
            _line(group, rate, late=late, several=_several(priced, late))
            for (late, rate), group in sorted(priced.items())
        ]
        taken = {f.pk for group in priced.values() for f in group}
        if taken:
            self.unbilled[employer_id] = [
                f for f in self.unbilled[employer_id] if f.pk not in taken
            ]
        return lines


def _several(priced: dict, late: bool) -> bool:
    return sum(1 for is_late, _rate in priced if is_late == late) > 1


def _line(group: list[MobilityFollowUp], rate: Decimal, *, late: bool, several: bool):
    minutes = sum(f.minutes for f in group)
    label = LATE_LABEL if late else LABEL
    if several:  # an amendment changed the rate within the period
        label += f" — {rate:.2f} € de l'heure".replace(".", ",")
    return MobilityLine(
        kind=LineKind.ADJUSTMENT if late else LineKind.WORK,
        time_kind=MOBILITY,
        label=label,
        minutes=minutes,
        quantity=rules.hours(minutes),
        unit="h",
        unit_price=rate,
        amount=rules.hourly_amount(minutes, rate),
        entries=[],
        follow_ups=group,
    )


def link_follow_ups(saved: Iterable[tuple[int, DraftLine]]) -> None:
    """Link the mobility lines just written to the follow-ups they bill, in one insert.

    `saved`: (line id, draft line) of a chunk's drafts, as `runs._save_drafts` wrote them,
    the ids those of its bulk insert (PostgreSQL and SQLite ≥ 3.35 return them): each
    follow-up is linked to the very line that bills it, with no query to find the lines
    again by employer, period, kind and label.
    """
    link = InvoiceLine.mobility_follow_ups.through
    link.objects.bulk_create(
        link(invoiceline_id=line_id, mobilityfollowup_id=follow_up.pk)
        for line_id, line in saved
        if isinstance(line, MobilityLine)
        for follow_up in line.follow_ups
    )
