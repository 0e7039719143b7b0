"""Every write of billing: time entries, invoice runs, issue, credit notes, payment, FTE plan.

Time entries recorded by interviews, collective actions and body meetings are kept in step
with their source (`time_sync`): unlocked entries of the source are replaced, and locked
ones (already on an issued invoice) are left alone and corrected by new entries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from polesocial.billing import rules
from polesocial.billing.enums import (
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    TimeKind,
    TimeSource,
)
from polesocial.billing.models import (
    HOLDING,
    FtePlanValidation,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    TimeEntry,
)
from polesocial.organisations.enums import BillingMode, ConventionStatus
from polesocial.organisations.models import Convention, Employer, FteShare, SocialWorker
from polesocial.privacy.audit import audit_log

if TYPE_CHECKING:
    from polesocial.users.models import User

MAX_MINUTES_A_DAY = 24 * 60

# --- Time entries ------------------------------------------------------------------------


def _check_manual(
    *, worker: SocialWorker, employer: Employer | None, day: dt.date, minutes: int, kind: str
) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    if kind not in TimeKind.values:
        errors["kind"].append("Choisissez une nature de temps.")
    if kind == TimeKind.MANAGEMENT and employer is not None:
        errors["employer"].append("La gestion de la fonction ne se rattache à aucun employeur.")
    if kind != TimeKind.MANAGEMENT and kind in TimeKind.values and employer is None:
        errors["employer"].append("Choisissez l'employeur pour qui ce temps a été passé.")
    if employer is not None and not _serves(worker, employer, day.year):
        errors["employer"].append("Cet employeur n'est pas suivi par votre équipe.")
    if minutes == 0:
        errors["minutes"].append("Saisissez une durée (négative pour une correction).")
    elif abs(minutes) > MAX_MINUTES_A_DAY:
        errors["minutes"].append("Une saisie ne dépasse pas 24 heures.")
    if day > timezone.localdate():
        errors["date"].append("Le temps ne se saisit pas à l'avance.")
    if errors:
        raise ValidationError(dict(errors))


def _serves(worker: SocialWorker, employer: Employer, year: int) -> bool:
    return employer.team_id == worker.team_id or (
        FteShare.objects.filter(worker=worker, employer=employer, year=year).exists()
    )


@transaction.atomic
def time_entry_add(
    *,
    actor: User,
    worker: SocialWorker,
    employer: Employer | None,
    day: dt.date,
    minutes: int,
    kind: str,
) -> TimeEntry:
    """Record time by hand ("Mon temps"); a negative duration corrects earlier time."""
    _check_manual(worker=worker, employer=employer, day=day, minutes=minutes, kind=kind)
    entry = TimeEntry.objects.create(
        worker=worker, employer=employer, date=day, minutes=minutes, kind=kind, created_by=actor
    )
    audit_log(actor=actor, action="time_entry.create", target=entry)
    return entry


@transaction.atomic
def time_entry_delete(*, actor: User, entry: TimeEntry) -> None:
    """Remove a manual entry not yet invoiced (an invoiced one is corrected instead)."""
    if entry.source != TimeSource.MANUAL:
        raise ValidationError("Ce temps suit son entretien, action ou instance : modifiez-la.")
    audit_log(actor=actor, action="time_entry.delete", target=entry)
    entry.delete()


Row = tuple[int | None, dt.date, str, int]  # employer id, day, kind, minutes


def time_sync(
    *, actor: User | None, worker: SocialWorker, source: str, source_id: int, rows: Iterable[Row]
) -> list[TimeEntry]:
    """Make the time entries of one source add up to `rows`.

    Unlocked entries are replaced; locked ones stay and the difference is recorded as new
    entries (negative when time was removed), which the next invoice bills as adjustments.
    """
    wanted: dict[tuple[int | None, dt.date, str], int] = defaultdict(int)
    for employer_id, day, kind, minutes in rows:
        wanted[(employer_id, day, kind)] += minutes
    existing = TimeEntry.objects.filter(source=source, source_id=source_id)
    locked = existing.locked()
    existing.exclude(pk__in=locked.values("pk")).delete()
    for entry in locked:
        wanted[(entry.employer_id, entry.date, entry.kind)] -= entry.minutes
    created = [
        TimeEntry(
            worker=worker,
            employer_id=employer_id,
            date=day,
            kind=kind,
            minutes=minutes,
            source=source,
            source_id=source_id,
            created_by=actor,
        )
        for (employer_id, day, kind), minutes in sorted(
            wanted.items(), key=lambda item: (item[0][1], item[0][2], item[0][0] or 0)
        )
        if minutes
    ]
    return TimeEntry.objects.bulk_create(created)


def time_record_interview(*, actor: User, interview) -> list[TimeEntry]:
    """An interview's duration, for the employer it is charged to, as the actor's time
    (the replacement's when she holds the case as replacement)."""
    worker = getattr(actor, "social_worker", None) or interview.case.worker
    rows = [
        (
            interview.employer_id,
            interview.occurred_on,
            TimeKind.INTERVIEW,
            interview.duration_minutes,
        )
    ]
    return time_sync(
        actor=actor, worker=worker, source=TimeSource.INTERVIEW, source_id=interview.pk, rows=rows
    )


def _collective_rows(record, day: dt.date, kind: str) -> list[Row]:
    rows: list[Row] = [(e, day, kind, m) for e, m in record.employer_minutes()]
    if record.preparation_minutes:
        rows += [
            (e, day, TimeKind.PREPARATION, m)
            for e, m in record.employer_minutes(record.preparation_minutes)
        ]
    return rows


def time_record_collective_action(*, actor: User | None, action) -> list[TimeEntry]:
    """An action's duration and preparation, split per employer pro rata to attendance."""
    rows = _collective_rows(action, action.starts_on, TimeKind.COLLECTIVE_ACTION)
    return time_sync(
        actor=actor,
        worker=action.worker,
        source=TimeSource.COLLECTIVE_ACTION,
        source_id=action.pk,
        rows=rows,
    )


def time_record_body_meeting(*, actor: User | None, meeting) -> list[TimeEntry]:
    rows = _collective_rows(meeting, meeting.held_on, TimeKind.BODY_MEETING)
    return time_sync(
        actor=actor,
        worker=meeting.worker,
        source=TimeSource.BODY_MEETING,
        source_id=meeting.pk,
        rows=rows,
    )


# --- Invoice runs --------------------------------------------------------------------------


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
    entries: list[TimeEntry]


def convention_for(employer: Employer, period: rules.Period) -> Convention | None:
    """The convention in force at the end of the period (the latest signed one)."""
    return (
        Convention.objects.filter(employer=employer, starts_on__lte=period.end)
        .filter(
            Q(status=ConventionStatus.ACTIVE)
            | Q(status=ConventionStatus.TERMINATED, terminated_on__gte=period.start)
        )
        .filter(Q(tacit_renewal=True) | Q(ends_on__gte=period.start))
        .order_by("-starts_on", "-pk")
        .first()
    )


def _work_lines(
    convention: Convention, entries: list[TimeEntry], *, adjustment: bool
) -> list[DraftLine]:
    by_kind: dict[str, list[TimeEntry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    lines = []
    for kind in TimeKind.values:
        group = by_kind.get(kind)
        if not group:
            continue
        minutes = sum(e.minutes for e in group)
        label = TimeKind(kind).label
        if adjustment:
            label = f"Régularisation — {label} (temps d'une période déjà facturée)"
        lines.append(_priced(convention, kind, label, minutes, group, adjustment=adjustment))
    return lines


def _priced(convention, kind, label, minutes, group, *, adjustment) -> DraftLine:
    line_kind = LineKind.ADJUSTMENT if adjustment else LineKind.WORK
    mode = convention.billing_mode
    if mode == BillingMode.HOURLY:
        rate = convention.hourly_rate
        return DraftLine(
            line_kind, kind, label, minutes, rules.hours(minutes), "h", rate,
            rules.hourly_amount(minutes, rate), group,
        )  # fmt: skip
    if mode == BillingMode.SESSIONS:
        count = rules.session_count((e.worker_id, e.date, e.minutes) for e in group)
        rate = convention.session_rate
        return DraftLine(
            line_kind, kind, label, minutes, Decimal(count), "vacation", rate,
            rules.cents(count * rate), group,
        )  # fmt: skip
    # FTE share: the hours are shown, the amount is the period's share of the year.
    return DraftLine(
        line_kind, kind, f"{label} (compris dans la quote-part)", minutes,
        rules.hours(minutes), "h", Decimal("0"), Decimal("0.00"), group,
    )  # fmt: skip


def _contribution_due(employer: Employer, year: int) -> bool:
    return not InvoiceLine.objects.filter(
        kind=LineKind.CONTRIBUTION,
        invoice__employer=employer,
        invoice__period_start__year=year,
        invoice__status__in=HOLDING,
    ).exists()


def _fte_share_due(employer: Employer, period: rules.Period) -> bool:
    """A period's FTE share is billed once (again only after a credit note)."""
    return (
        not InvoiceLine.objects.filter(
            kind=LineKind.FTE_SHARE,
            invoice__employer=employer,
            invoice__period_start=period.start,
            invoice__period_end=period.end,
            invoice__status__in=HOLDING,
        )
        .exclude(invoice__status=InvoiceStatus.DRAFT)
        .exists()
    )


def draft_lines(
    employer: Employer, convention: Convention, period: rules.Period
) -> list[DraftLine]:
    """What an invoice of `employer` for `period` would bill (entries not yet billed)."""
    contribution = convention.membership_contribution
    kinds = rules.billable_kinds(convention.billable_kinds, has_contribution=bool(contribution))
    entries = list(
        TimeEntry.objects.filter(
            employer=employer,
            kind__in=kinds,
            date__gte=convention.starts_on,
            date__lte=period.end,
        )
        .unbilled()
        .order_by("date", "pk")
    )
    current = [e for e in entries if e.date >= period.start]
    late = [e for e in entries if e.date < period.start]
    lines: list[DraftLine] = []
    if contribution and _contribution_due(employer, period.year):
        lines.append(DraftLine(
            LineKind.CONTRIBUTION, "", f"Cotisation annuelle {period.year}", 0, Decimal(1),
            "forfait", contribution, rules.cents(contribution), [],
        ))  # fmt: skip
    if convention.billing_mode == BillingMode.FTE_SHARE and _fte_share_due(employer, period):
        yearly = convention.fte_yearly_amount
        lines.append(DraftLine(
            LineKind.FTE_SHARE, "", f"Quote-part d'ETP ({period.index}/{period.count})", 0,
            Decimal(1), "forfait", rules.fte_period_amount(yearly, period.index, period.count),
            rules.fte_period_amount(yearly, period.index, period.count), [],
        ))  # fmt: skip
    lines += _work_lines(convention, current, adjustment=False)
    lines += _work_lines(convention, late, adjustment=True)
    return lines


def _delete_drafts(employers, year: int, quarter: int) -> None:
    """The drafts of the run's employers for periods ending in the quarter, in a few queries."""
    start, end = rules.quarter_bounds(year, quarter)
    drafts = Invoice.objects.drafts().filter(period_end__range=(start, end))
    if employers is not None:
        drafts = drafts.filter(employer__in=[employer.pk for employer in employers])
    drafts.delete()


def _save_draft(employer, convention, period, lines: list[DraftLine]) -> Invoice:
    """A new draft and its lines, written in bulk (three queries whatever the lines)."""
    invoice = Invoice.objects.create(
        operator_id=employer.operator_id,
        employer=employer,
        convention=convention,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        total=sum((line.amount for line in lines), Decimal("0.00")),
    )
    # bulk_create skips InvoiceLine.save()'s "still a draft" check: the invoice was just made.
    saved = InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            kind=line.kind,
            time_kind=line.time_kind,
            label=line.label,
            minutes=line.minutes,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for position, line in enumerate(lines, start=1)
    )
    link = InvoiceLine.entries.through
    link.objects.bulk_create(
        link(invoiceline_id=row.pk, timeentry_id=entry.pk)
        for row, line in zip(saved, lines, strict=True)
        for entry in line.entries
    )
    return invoice


@transaction.atomic
def invoice_run(
    *, actor: User | None, year: int, quarter: int, employers: Iterable[Employer] | None = None
) -> list[Invoice]:
    """Build the draft invoices of a quarter: one per employer and billing period ending in
    it, with billable work or a contribution due, none otherwise. A re-run replaces the
    drafts (never an issued invoice), so it never duplicates. All or nothing."""
    drafts = _run(None if employers is None else list(employers), year, quarter)
    _journal_run(actor, year, quarter, len(drafts))
    return drafts


# Employers per transaction of the background run: between two batches, the status page
# sees the progress (a transaction's writes are invisible to other connections).
RUN_BATCH = 50


def invoice_run_in_batches(
    *, actor: User | None, year: int, quarter: int, progress: Callable[[int, int], None]
) -> int:
    """The same run as `invoice_run`, by batches of employers, each in its transaction,
    telling `progress(done, total)` after each; returns the number of drafts.

    If a batch fails, the batches before it keep their new drafts and the others their
    previous ones: drafts are only ever rebuilt, never half-written, and a re-run completes.
    """
    rules.quarter_bounds(year, quarter)
    ids = _employers_to_run(year, quarter)
    count = 0
    for start in range(0, len(ids), RUN_BATCH):
        with transaction.atomic():
            batch = list(Employer.objects.filter(pk__in=ids[start : start + RUN_BATCH]))
            count += len(_run(batch, year, quarter))
        progress(min(start + RUN_BATCH, len(ids)), len(ids))
    _journal_run(actor, year, quarter, count)
    return count


def _employers_to_run(year: int, quarter: int) -> list[int]:
    """Employers with a convention in force in the year, or a draft to replace."""
    start, end = rules.quarter_bounds(year, quarter)
    drafts = Invoice.objects.drafts().filter(period_end__range=(start, end))
    return sorted(
        set(drafts.values_list("employer_id", flat=True))
        | set(Convention.objects.active_in(year).values_list("employer_id", flat=True))
    )


def _run(employers: list[Employer] | None, year: int, quarter: int) -> list[Invoice]:
    """Replace the drafts of `employers` (all when None) for periods ending in the quarter."""
    rules.quarter_bounds(year, quarter)
    _delete_drafts(employers, year, quarter)
    periods_of = _billing_periods(employers, year)
    drafts = []
    for employer in Employer.objects.filter(pk__in=periods_of).order_by("name", "pk"):
        for billing_period in sorted(periods_of[employer.pk]):
            for period in rules.periods_ending_in_quarter(year, quarter, billing_period):
                convention = convention_for(employer, period)
                if convention is None or convention.billing_period != billing_period:
                    continue
                lines = draft_lines(employer, convention, period)
                if any(line.amount for line in lines):
                    drafts.append(_save_draft(employer, convention, period, lines))
    return drafts


def _journal_run(actor: User | None, year: int, quarter: int, drafts: int) -> None:
    audit_log(
        actor=actor,
        action="invoice.run",
        detail={"year": year, "quarter": quarter, "drafts": drafts},
    )


def _billing_periods(employers, year: int) -> dict[int, set[str]]:
    """Employer id → the billing periods of its conventions in force in `year` (one query)."""
    conventions = Convention.objects.active_in(year)
    if employers is not None:
        conventions = conventions.filter(employer__in=[employer.pk for employer in employers])
    periods: dict[int, set[str]] = defaultdict(set)
    for employer_id, billing_period in conventions.values_list("employer_id", "billing_period"):
        periods[employer_id].add(billing_period)
    return periods


# --- Issue, credit notes, payment ----------------------------------------------------------


def next_number(*, operator_id: int, year: int) -> str:
    """The next number of the operator's sequence for `year`, gapless: the counter row is
    locked until the issuing transaction ends, so a rolled-back issue gives its number back."""
    InvoiceCounter.objects.get_or_create(operator_id=operator_id, year=year)
    counter = InvoiceCounter.objects.select_for_update().get(operator_id=operator_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:06d}"


def _parties(invoice: Invoice) -> dict[str, dict[str, str]]:
    employer, operator = invoice.employer, invoice.operator
    return {
        "operator": {"name": operator.name, "siret": operator.siret, "address": operator.address},
        "employer": {
            "name": employer.name,
            "siret": employer.siret,
            "street": employer.street,
            "postcode": employer.postcode,
            "city": employer.city,
        },
    }


def _issue(invoice: Invoice, issued_on: dt.date) -> None:
    invoice.number = next_number(operator_id=invoice.operator_id, year=issued_on.year)
    invoice.issued_on = issued_on
    invoice.status = InvoiceStatus.ISSUED
    invoice.parties = _parties(invoice)
    invoice.save()


@transaction.atomic
def invoice_issue(
    *, actor: User | None, invoice: Invoice, issued_on: dt.date | None = None
) -> Invoice:
    """Issue a draft: it takes the next number and its time entries are locked."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError("Cette facture est déjà émise.")
    _issue(invoice, issued_on or timezone.localdate())
    audit_log(actor=actor, action="invoice.issue", target=invoice)
    return invoice


@transaction.atomic
def invoice_cancel(
    *, actor: User | None, invoice: Invoice, issued_on: dt.date | None = None
) -> Invoice:
    """Cancel an issued invoice by a credit note of the opposite amounts, numbered in the
    same sequence. Its time entries stay locked but may be billed again."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in (
        InvoiceStatus.ISSUED,
        InvoiceStatus.PAID,
    ):
        raise ValidationError("Seule une facture émise peut être annulée par un avoir.")
    note = Invoice.objects.create(
        operator_id=invoice.operator_id,
        employer=invoice.employer,
        convention=invoice.convention,
        kind=InvoiceKind.CREDIT_NOTE,
        cancels=invoice,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        period_label=invoice.period_label,
        total=-invoice.total,
    )
    for line in invoice.lines.all():
        InvoiceLine.objects.create(
            invoice=note,
            position=line.position,
            kind=line.kind,
            time_kind=line.time_kind,
            label=line.label,
            minutes=-line.minutes,
            quantity=-line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            amount=-line.amount,
        )
    _issue(note, issued_on or timezone.localdate())
    invoice.status = InvoiceStatus.CANCELLED
    invoice.save(update_fields=["status"])
    audit_log(
        actor=actor, action="invoice.cancel", target=invoice, detail={"credit_note": note.number}
    )
    return note


@transaction.atomic
def invoice_set_paid(*, actor: User | None, invoice: Invoice, paid_on: dt.date | None) -> Invoice:
    """Record (or, with None, withdraw) the payment of an issued invoice."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    allowed = (InvoiceStatus.ISSUED, InvoiceStatus.PAID)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in allowed:
        raise ValidationError("Seule une facture émise et non annulée peut être payée.")
    if paid_on and invoice.issued_on and paid_on < invoice.issued_on:
        raise ValidationError({"paid_on": "Le paiement ne précède pas l'émission."})
    invoice.paid_on = paid_on
    invoice.status = InvoiceStatus.PAID if paid_on else InvoiceStatus.ISSUED
    invoice.save(update_fields=["status", "paid_on"])
    audit_log(actor=actor, action="invoice.payment", target=invoice)
    return invoice


# --- FTE plan ------------------------------------------------------------------------------


@dataclass
class PlanRow:
    worker: SocialWorker
    employer: Employer | None  # None: management of the function
    share: Decimal
    planned: Decimal
    recorded_minutes: int

    @property
    def recorded_hours(self) -> Decimal:
        return rules.hours(self.recorded_minutes)

    @property
    def utilisation(self) -> Decimal | None:
        return rules.utilisation(self.recorded_minutes, self.planned)


def plan_rows(worker: SocialWorker, year: int) -> list[PlanRow]:
    """A worker's plan against actual for a year: one row per employer of her shares (or
    with time recorded), and one for the management of the function (1 − shares)."""
    return plans_by_worker([worker], year)[worker.pk]


def plans_by_worker(workers: Iterable[SocialWorker], year: int) -> dict[int, list[PlanRow]]:
    """`plan_rows` of many workers in three queries, whatever their number (a dashboard)."""
    workers = list(workers)
    shares: dict[int, dict[int, FteShare]] = defaultdict(dict)
    for share in FteShare.objects.filter(worker__in=workers, year=year).select_related("employer"):
        shares[share.worker_id][share.employer_id] = share
    recorded: dict[int, dict[int | None, int]] = defaultdict(dict)
    totals = (
        TimeEntry.objects.filter(worker__in=workers, date__year=year)
        .values_list("worker", "employer")
        .annotate(total=Sum("minutes"))
        .values_list("worker", "employer", "total")
    )
    for worker_id, employer_id, total in totals:
        recorded[worker_id][employer_id] = total
    employers = Employer.objects.in_bulk({pk for row in recorded.values() for pk in row if pk})
    return {
        worker.pk: _plan_rows(worker, shares[worker.pk], recorded[worker.pk], employers)
        for worker in workers
    }


def _plan_rows(worker, shares: dict, recorded: dict, known: dict) -> list[PlanRow]:
    employers = {pk: known[pk] for pk in recorded if pk}
    employers.update({pk: s.employer for pk, s in shares.items()})
    rows = []
    for pk, employer in sorted(employers.items(), key=lambda item: item[1].name):
        share = shares[pk].share if pk in shares else Decimal("0")
        rows.append(
            PlanRow(
                worker,
                employer,
                share,
                rules.planned_hours(worker.fte, share),
                recorded.get(pk) or 0,
            )
        )
    rest = max(Decimal("0"), Decimal("1") - sum((r.share for r in rows), Decimal("0")))
    rows.append(
        PlanRow(worker, None, rest, rules.planned_hours(worker.fte, rest), recorded.get(None) or 0)
    )
    return rows


@transaction.atomic
def fte_plan_validate(*, actor: User, worker: SocialWorker, year: int) -> FtePlanValidation:
    """The counsellor validates a worker's shares for a year (again after a change)."""
    if not FteShare.objects.filter(worker=worker, year=year).exists():
        raise ValidationError("Aucune quote-part n'est saisie pour cette année.")
    validation, _ = FtePlanValidation.objects.update_or_create(
        worker=worker, year=year, defaults={"validated_by": actor, "validated_at": timezone.now()}
    )
    audit_log(actor=actor, action="fte_plan.validate", target=validation)
    return validation
