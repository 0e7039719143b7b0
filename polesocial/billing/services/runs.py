"""Invoice runs: the draft invoices of a quarter, built at once or by batches."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

from polesocial.billing import rules
from polesocial.billing.enums import InvoiceKind, InvoiceStatus, LineKind, TimeKind
from polesocial.billing.models import (
    HOLDING,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    InvoiceRunLock,
    TimeEntry,
)
from polesocial.billing.services import mobility
from polesocial.billing.services.lines import DraftLine, UnbilledEntry
from polesocial.core import jobs
from polesocial.core.models import JobStatus
from polesocial.organisations.enums import BillingMode, ConventionStatus
from polesocial.organisations.models import Convention, Employer, Operator
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

if TYPE_CHECKING:
    from polesocial.organisations.models import RateTerms
    from polesocial.users.models import User


def convention_for(employer: Employer, period: rules.Period) -> Convention | None:
    """The convention in force at the end of the period (the latest signed one)."""
    return _pick_convention(
        conventions_in_force([employer.pk], period.end).get(employer.pk, []), period
    )


def conventions_in_force(employer_ids: Iterable[int], until) -> dict[int, list[Convention]]:
    """Employer id → its conventions that may be in force for a period ending by `until`,
    latest first: one query for a whole batch of a run (`_pick_convention` chooses)."""
    candidates = (
        Convention.objects.filter(employer_id__in=list(employer_ids), starts_on__lte=until)
        .filter(status__in=(ConventionStatus.ACTIVE, ConventionStatus.TERMINATED))
        .prefetch_related(Prefetch("amendments", to_attr=Convention.AMENDMENTS_ATTR))
        .order_by("employer_id", "-starts_on", "-pk")
    )
    by_employer: dict[int, list[Convention]] = defaultdict(list)
    for convention in candidates:
        by_employer[convention.employer_id].append(convention)
    return by_employer


def _pick_convention(candidates: list[Convention], period: rules.Period) -> Convention | None:
    """The latest signed convention in force at the end of `period`: active, or terminated
    during or after the period; renewing tacitly, or not ended before the period began."""
    for convention in candidates:
        if convention.starts_on > period.end:
            continue
        if convention.status == ConventionStatus.TERMINATED and not (
            convention.terminated_on and convention.terminated_on >= period.start
        ):
            continue
        if convention.tacit_renewal or convention.ends_on >= period.start:
            return convention
    return None


def _work_lines(
    convention: Convention, entries: list[UnbilledEntry], *, adjustment: bool
) -> list[DraftLine]:
    """One line per kind of time, priced at the terms in force on each day of work
    (`Convention.rate_on`: the convention's prices, changed by its amendments). When an
    amendment takes effect within the period, a kind has one line per price, each saying
    which terms it applies."""
    by_kind: dict[str, list[UnbilledEntry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    lines = []
    for kind in TimeKind.values:
        group = by_kind.get(kind)
        if not group:
            continue
        label = TimeKind(kind).label
        if adjustment:
            label = f"Régularisation — {label} (temps d'une période déjà facturée)"
        # Each entry at the terms of its day (`Convention.rate_on`), the schedule read once,
        # grouped by the price the billing mode uses, first seen first: an amendment that
        # changes another price (the mobility service's, say) leaves these lines whole.
        days, schedule = convention.rate_schedule()
        by_price: dict[Decimal | None, tuple[RateTerms, list[UnbilledEntry]]] = {}
        for entry in group:
            terms = schedule[bisect_right(days, entry.date) - 1]
            price = terms.amount_for(convention.billing_mode)
            by_price.setdefault(price, (terms, []))[1].append(entry)
        for terms, part in by_price.values():
            part_label = label if len(by_price) == 1 else f"{label} — {terms.label}"
            minutes = sum(e.minutes for e in part)
            lines.append(
                _priced(convention, terms, kind, part_label, minutes, part, adjustment=adjustment)
            )
    return lines


def _priced(convention, terms, kind, label, minutes, group, *, adjustment) -> DraftLine:
    line_kind = LineKind.ADJUSTMENT if adjustment else LineKind.WORK
    mode = convention.billing_mode
    if mode == BillingMode.HOURLY:
        rate = terms.hourly_rate
        return DraftLine(
            line_kind, kind, label, minutes, rules.hours(minutes), "h", rate,
            rules.hourly_amount(minutes, rate), group,
        )  # fmt: skip
    if mode == BillingMode.SESSIONS:
        count = rules.session_count((e.worker_id, e.date, e.minutes) for e in group)
        rate = terms.session_rate
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


def unbilled_by_employer(employer_ids: Iterable[int], until) -> dict[int, list[UnbilledEntry]]:
    """The entries of these employers dated up to `until` on no invoice that holds them,
    by employer, each list by date then pk: one query for a whole batch of a run.

    Set-based: the run asked `unbilled()` once per employer and period, and PostgreSQL
    answered each with an anti-join rereading the whole link table (which grows within the
    run): a quarter over 200 employers took 139 s (issue 20). One query per batch reads
    the employers' entries through `time_entry_employer_date` and the links through their
    entry index once; the run then takes each period's entries from these lists, as plain
    rows (`UnbilledEntry`), not model instances.
    """
    rows = (
        TimeEntry.objects.filter(employer_id__in=list(employer_ids), date__lte=until)
        .unbilled()
        .order_by("employer_id", "date", "pk")
        .values_list(*UnbilledEntry._fields)
    )
    by_employer: dict[int, list[UnbilledEntry]] = defaultdict(list)
    for entry in map(UnbilledEntry._make, rows):
        by_employer[entry.employer_id].append(entry)
    return by_employer


def draft_lines(
    employer: Employer,
    convention: Convention,
    period: rules.Period,
    *,
    unbilled: Sequence[UnbilledEntry] | None = None,
    contribution_billed: bool = False,
) -> list[DraftLine]:
    """What an invoice of `employer` for `period` would bill (entries not yet billed).

    `unbilled`: the employer's unbilled entries up to at least `period.end`, by date then
    pk, as the run computed them for its batch (`unbilled_by_employer`); read here if None.
    `contribution_billed`: the run has already put the year's contribution on a draft of
    this batch, not yet written.
    """
    contribution = convention.membership_contribution
    kinds = rules.billable_kinds(convention.billable_kinds, has_contribution=bool(contribution))
    if unbilled is None:
        unbilled = unbilled_by_employer([employer.pk], period.end)[employer.pk]
    entries = [
        e for e in unbilled if e.kind in kinds and convention.starts_on <= e.date <= period.end
    ]
    current = [e for e in entries if e.date >= period.start]
    late = [e for e in entries if e.date < period.start]
    lines: list[DraftLine] = []
    if contribution and not contribution_billed and _contribution_due(employer, period.year):
        lines.append(DraftLine(
            LineKind.CONTRIBUTION, "", f"Cotisation annuelle {period.year}", 0, Decimal(1),
            "forfait", contribution, rules.cents(contribution), [],
        ))  # fmt: skip
    if convention.billing_mode == BillingMode.FTE_SHARE and _fte_share_due(employer, period):
        # The flat share of a period: the yearly amount in force on its first day.
        # Never None: the model's convention_amount_for_mode.
        yearly = convention.rate_on(period.start).fte_yearly_amount or Decimal("0")
        lines.append(DraftLine(
            LineKind.FTE_SHARE, "", f"Quote-part d'ETP ({period.index}/{period.count})", 0,
            Decimal(1), "forfait", rules.fte_period_amount(yearly, period.index, period.count),
            rules.fte_period_amount(yearly, period.index, period.count), [],
        ))  # fmt: skip
    lines += _work_lines(convention, current, adjustment=False)
    lines += _work_lines(convention, late, adjustment=True)
    return lines


QUARTER_NOT_ENDED = (
    "Le {quarter} n'est pas terminé : il ne peut être facturé qu'à partir du {first}. "
    "Seule la facture finale d'une convention qui a pris fin peut être faite avant."
)
FINAL_NEEDS_REASON = "Indiquez pourquoi la facture finale est faite avant la fin du trimestre."
FINAL_NO_ENDED_CONVENTION = (
    "Aucune convention de ces employeurs n'a pris fin : la facture finale n'est possible "
    "que pour une convention terminée ou résiliée."
)


def check_quarter_ended(year: int, quarter: int, today: dt.date | None = None) -> None:
    """Refuse a quarter that has not ended (the same French message for the screen, the
    command and the API)."""
    today = today or timezone.localdate()
    if not rules.quarter_has_ended(year, quarter, today):
        _, end = rules.quarter_bounds(year, quarter)
        raise ValidationError(
            QUARTER_NOT_ENDED.format(
                quarter=rules.period_label(year, 3, quarter),
                first=(end + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            ),
            code="quarter_not_ended",
        )


def employers_with_ended_convention(today: dt.date | None = None):
    """Employers one of whose conventions has ended by `today` (the final invoice's)."""
    today = today or timezone.localdate()
    ended = Convention.objects.filter(
        Q(status=ConventionStatus.TERMINATED, terminated_on__lte=today)
        | Q(tacit_renewal=False, ends_on__lte=today)
    )
    return Employer.objects.filter(pk__in=ended.values("employer_id"))


def _ended_conventions(employers: list[Employer], today: dt.date) -> list[Employer]:
    """The employers among `employers` whose convention has ended by `today`."""
    ids = set(
        employers_with_ended_convention(today)
        .filter(pk__in=[e.pk for e in employers])
        .values_list("pk", flat=True)
    )
    return [employer for employer in employers if employer.pk in ids]


RUN_UNDER_WAY = (
    "Une préparation de la facturation du {quarter} est déjà en cours : suivez-la sur sa "
    "page, ou attendez qu'elle se termine pour en demander une autre."
)


def lock_quarter(year: int, quarter: int, operator_ids: Iterable[int] | None = None) -> None:
    """Take the lock of the quarter of each operator (all when None) until the caller's
    transaction ends: a concurrent run of the same quarter waits here, then sees what this
    one committed. Call it first in the transaction, before reading what it protects.

    One UPDATE per operator, in the operators' order (two runs never wait on each other
    crosswise): it holds the row lock on PostgreSQL and the write lock on SQLite. The row
    of a quarter never run is created; two runs creating it at once meet on its unique
    constraint, and the second one then waits on the first one's row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_quarter: call it inside the run's transaction.")
    if operator_ids is None:
        operator_ids = Operator.objects.values_list("pk", flat=True)
    for operator_id in sorted(set(operator_ids)):
        row = InvoiceRunLock.objects.filter(operator_id=operator_id, year=year, quarter=quarter)
        if row.update(locked_at=timezone.now()):
            continue
        try:
            with transaction.atomic():  # a savepoint: losing the race must not end ours
                InvoiceRunLock.objects.create(operator_id=operator_id, year=year, quarter=quarter)
        except IntegrityError:  # another run created it first: wait for its row
            row.update(locked_at=timezone.now())


# Autovacuum's own rule (`autovacuum_analyze_threshold` + `_scale_factor`, by default):
# a table changed by more rows than this since its last ANALYZE has statistics it would
# refresh soon.
ANALYZE_ROWS, ANALYZE_SHARE = 50, 0.1


def analyse_billing_tables() -> None:
    """PostgreSQL: refresh the planner's statistics of the tables the run reads, where
    they are missing or stale.

    After a bulk load or on a first run, the planner believes the billing tables empty
    (autovacuum analyses them later) and plans the unbilled anti-join as a nested loop
    rereading the link table for each time entry (issue 20). So a table never analysed,
    or changed since by more than autovacuum's threshold, is analysed first. The others
    are left alone: ANALYZE samples 30,000 rows of the time entries (a few hundred
    milliseconds at region size, a third of a re-run, issue 20) to find the statistics
    they already have; the link table, rewritten by every run, is the one usually
    refreshed, at the cost of its size. Without ownership of a table PostgreSQL only warns
    and skips it. Nothing to do on SQLite, whose planner has no such statistics.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (TimeEntry, InvoiceLine.entries.through, InvoiceLine, Invoice)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relid = ANY(%s::regclass[]) "
            "AND (COALESCE(last_analyze, last_autoanalyze) IS NULL "
            "OR n_mod_since_analyze > %s + %s * n_live_tup)",
            [tables, ANALYZE_ROWS, ANALYZE_SHARE],
        )
        stale = {name for (name,) in cursor.fetchall()}
        for table in tables:
            if table in stale:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _delete_drafts(employers, year: int, quarter: int) -> None:
    """The drafts of the run's employers for periods ending in the quarter, in a few queries.

    The drafts are locked first: one being issued at this moment is waited for, and then
    left alone (it is no longer a draft).
    """
    start, end = rules.quarter_bounds(year, quarter)
    drafts = Invoice.objects.drafts().filter(period_end__range=(start, end))
    if employers is not None:
        drafts = drafts.filter(employer__in=[employer.pk for employer in employers])
    ids = list(drafts.select_for_update().values_list("pk", flat=True))
    _delete_draft_rows(ids)


# Every reference to an invoice, a line or a link, as (referring model, field): the lines
# and links of the drafts (to time entries and to mobility follow-ups) are deleted with
# them, and a credit note cancels an issued invoice, never a draft.
DRAFT_REFERENCES = {
    ("billing.invoice", "cancels"),
    ("billing.invoiceline", "invoice"),
    ("billing.invoiceline_entries", "invoiceline"),
    ("billing.invoiceline_mobility_follow_ups", "invoiceline"),
}


def _references(*models) -> set[tuple[str, str]]:
    return {
        (relation.related_model._meta.label_lower, relation.field.name)
        for model in models
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete
    }


def _delete_draft_rows(ids: list[int]) -> None:
    """Delete these drafts (locked by the caller), their lines and their links: four
    DELETE statements, the links (time entries', follow-ups') through their line index.

    The ORM's delete loaded every draft and line to look for what refers to them, with
    two checks that they were drafts: a sixth of a re-run (issue 20). Nothing else refers
    to them (`DRAFT_REFERENCES`), no signal listens, and the database's foreign keys
    still refuse a row left pointing at a deleted one. Should a model come to refer to
    invoices or lines, or a signal listen to their deletion, the ORM's delete serves.
    """
    if not ids:
        return
    links = (InvoiceLine.entries.through, InvoiceLine.mobility_follow_ups.through)
    models = (Invoice, InvoiceLine, *links)
    listened = any(
        signal.has_listeners(model) for model in models for signal in (pre_delete, post_delete)
    )
    if listened or _references(*models) != DRAFT_REFERENCES:
        Invoice.objects.drafts().filter(pk__in=ids).delete()
        return
    lines = InvoiceLine.objects.filter(invoice__in=ids)
    for link in links:
        link.objects.filter(invoiceline__in=lines.values("pk"))._raw_delete(connection.alias)
    lines._raw_delete(connection.alias)
    Invoice.objects.filter(pk__in=ids)._raw_delete(connection.alias)


def drafts_withdraw(employer_id: int, from_day: dt.date) -> int:
    """Delete an employer's drafts for periods ending on or after `from_day`, priced at
    terms an amendment has just changed (`organisations.services.convention_amend`): the
    next run rebuilds them at the new prices. Returns how many were withdrawn."""
    drafts = Invoice.objects.drafts().filter(employer=employer_id, period_end__gte=from_day)
    ids = list(drafts.select_for_update().values_list("pk", flat=True))
    Invoice.objects.drafts().filter(pk__in=ids).delete()
    return len(ids)


def _save_drafts(pending: list[tuple[Employer, Convention, rules.Period, list[DraftLine]]]):
    """New drafts with their lines and links, for a whole batch of the run in four bulk
    inserts (the run made three queries per employer: invoice, lines, links): drafts,
    lines, the lines' time entries and their mobility follow-ups."""
    invoices = Invoice.objects.bulk_create(
        Invoice(
            operator_id=employer.operator_id,
            employer=employer,
            convention=convention,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
            total=sum((line.amount for line in lines), Decimal("0.00")),
        )
        for employer, convention, period, lines in pending
    )
    # bulk_create skips InvoiceLine.save()'s "still a draft" check: the invoices were just made.
    drafted = [
        (invoice, position, line)
        for invoice, (_e, _c, _p, lines) in zip(invoices, pending, strict=True)
        for position, line in enumerate(lines, start=1)
    ]
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
        for invoice, position, line in drafted
    )
    # The rows carry their ids (the insert returns them on PostgreSQL and SQLite ≥ 3.35):
    # each line's links are written from them, its entries' and its follow-ups'.
    written = [(row.pk, line) for row, (_i, _p, line) in zip(saved, drafted, strict=True)]
    _link_entries([(pk, entry.pk) for pk, line in written for entry in line.entries])
    mobility.link_follow_ups(written)
    return invoices


def _link_entries(links: list[tuple[int, int]]) -> None:
    """Write the (line id, time entry id) rows of a batch's drafts into the lines' link
    table in one statement, without a model instance per row.

    A quarter writes one row per billed entry (135,000 at national size): `bulk_create`
    built, checked and compiled an object for each, which cost more than the database's
    insert (issue 20). PostgreSQL reads the pairs from two arrays (`unnest`, one statement
    whatever their number); SQLite runs one prepared INSERT over them (`executemany`, a
    loop in C, no SQL text to build). No row of the table refers to another: the
    many-to-many's unique (line, entry) pair is the only constraint, and a new line has
    no link yet. What stays on PostgreSQL is the database's own work per row: four index
    entries and the two foreign-key checks (line, time entry), deferred to the commit,
    where they take about a third of a region's re-run (issue 20).
    """
    if not links:
        return
    link = InvoiceLine.entries.through
    table = connection.ops.quote_name(link._meta.db_table)
    columns = "invoiceline_id, timeentry_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            line_ids, entry_ids = zip(*links, strict=True)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - our table, values as parameters
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                [list(line_ids), list(entry_ids)],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s)",  # noqa: S608 - as above
                links,
            )


@transaction.atomic
def invoice_run(
    *,
    actor: User | None,
    year: int,
    quarter: int,
    employers: Iterable[Employer] | None = None,
    today: dt.date | None = None,
) -> list[Invoice]:
    """Build the draft invoices of a quarter: one per employer and billing period ending in
    it, with billable work or a contribution due, none otherwise. A re-run replaces the
    drafts (never an issued invoice), so it never duplicates. All or nothing. A quarter
    that has not ended is refused (`invoice_run_final` for a convention that ended)."""
    employers = None if employers is None else list(employers)
    rules.quarter_bounds(year, quarter)
    check_quarter_ended(year, quarter, today)
    lock_quarter(year, quarter, None if employers is None else _operators(employers))
    analyse_billing_tables()
    drafts = _run(employers, year, quarter)
    _journal_run(actor, year, quarter, len(drafts))
    return drafts


@transaction.atomic
def invoice_run_final(
    *,
    actor: User | None,
    year: int,
    quarter: int,
    employers: Iterable[Employer],
    reason: str,
    today: dt.date | None = None,
) -> list[Invoice]:
    """The explicit override: the final invoice of employers whose convention has ended,
    in a quarter that has not, journaled with its reason. Other employers are left out."""
    rules.quarter_bounds(year, quarter)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(FINAL_NEEDS_REASON)
    today = today or timezone.localdate()
    ended = _ended_conventions(list(employers), today)
    if not ended:
        raise ValidationError(FINAL_NO_ENDED_CONVENTION)
    lock_quarter(year, quarter, _operators(ended))
    drafts = _run(ended, year, quarter)
    audit_log(
        actor=actor,
        action=AuditAction.INVOICE_RUN_FINAL,
        detail={
            "year": year,
            "quarter": quarter,
            "employers": [employer.pk for employer in ended],
            "drafts": len(drafts),
            "reason": reason[:255],
        },
    )
    return drafts


# The task that runs a requested quarter (billing.tasks.run_invoices, which calls
# invoice_run_in_batches): BillingConfig.ready() registers its `enqueue`, so that the
# services do not import the task module that imports them.
_run_task: dict[str, Callable[[str], object]] = {}


def register_run_task(enqueue: Callable[[str], object]) -> None:
    _run_task["enqueue"] = enqueue


@transaction.atomic
def invoice_run_request(*, actor: User, year: int | None, quarter: int | None) -> InvoiceRun:
    """Ask the task queue for a quarter's run (`invoice_run_in_batches`); the run's status
    page follows its progress. A year or quarter that is not valid (None: not a number) is
    refused, never replaced by another quarter; so is a second run of a quarter whose run
    is still pending or under way (told in French)."""
    if year is None or quarter is None or not rules.is_valid_quarter(year, quarter):
        raise ValidationError(rules.BAD_PERIOD)
    check_quarter_ended(year, quarter)
    lock_quarter(year, quarter)  # two requests at once: the second sees the first's run
    runs = InvoiceRun.objects.filter(year=year, quarter=quarter)
    jobs.interrupt_stale(runs)
    if runs.filter(status__in=(JobStatus.PENDING, JobStatus.RUNNING)).exists():
        label = rules.period_label(year, 3, quarter)
        raise ValidationError(RUN_UNDER_WAY.format(quarter=label), code="run_under_way")
    run = InvoiceRun.objects.create(requested_by=actor, year=year, quarter=quarter)
    _run_task["enqueue"](str(run.pk))
    return run


# Employers per transaction of the background run: between two batches, the status page
# sees the progress (a transaction's writes are invisible to other connections).
RUN_BATCH = 50
# Employers read and written together within a run (its transaction, or one batch of the
# background run): each chunk costs a handful of statements whatever its size, and on
# PostgreSQL a hash of the link table for its unbilled time (issue 20: chunks of 50 made
# a region's run 10 to 18 % slower than chunks of 200). It bounds the run's memory: the
# unbilled time of 200 employers, about 75 MB for five years never billed at national size.
RUN_CHUNK = 200


def invoice_run_in_batches(
    *, actor: User | None, year: int, quarter: int, progress: Callable[[int, int], None]
) -> int:
    """The same run as `invoice_run`, by batches of employers, each in its transaction,
    telling `progress(done, total)` after each; returns the number of drafts.

    If a batch fails, the batches before it keep their new drafts and the others their
    previous ones: drafts are only ever rebuilt, never half-written, and a re-run completes.
    """
    rules.quarter_bounds(year, quarter)
    check_quarter_ended(year, quarter)
    ids = _employers_to_run(year, quarter)
    analyse_billing_tables()
    count = 0
    for start in range(0, len(ids), RUN_BATCH):
        with transaction.atomic():
            # Each batch waits for a concurrent run's batch, then rebuilds after it.
            lock_quarter(year, quarter, _operators_of(ids[start : start + RUN_BATCH]))
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


def _operators(employers: list[Employer]) -> set[int]:
    return {employer.operator_id for employer in employers}


def _operators_of(employer_ids: list[int]) -> set[int]:
    return set(Employer.objects.filter(pk__in=employer_ids).values_list("operator_id", flat=True))


def _invoiced(employers, year: int, quarter: int) -> set[tuple[int, object, object]]:
    """(employer id, start, end) of the periods ending in the quarter already invoiced (an
    issued or paid invoice): never billed again, their late time goes to the next period."""
    start, end = rules.quarter_bounds(year, quarter)
    invoices = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE,
        status__in=(InvoiceStatus.ISSUED, InvoiceStatus.PAID),
        period_end__range=(start, end),
    )
    if employers is not None:
        invoices = invoices.filter(employer__in=[employer.pk for employer in employers])
    return set(invoices.values_list("employer_id", "period_start", "period_end"))


def _run(employers: list[Employer] | None, year: int, quarter: int) -> list[Invoice]:
    """Replace the drafts of `employers` (all when None) for periods ending in the quarter.
    The caller holds the quarter's lock (`lock_quarter`)."""
    rules.quarter_bounds(year, quarter)
    _delete_drafts(employers, year, quarter)
    periods_of = _billing_periods(employers, year)
    invoiced = _invoiced(employers, year, quarter)
    _, quarter_end = rules.quarter_bounds(year, quarter)
    drafts = []
    ordered = list(Employer.objects.filter(pk__in=periods_of).order_by("name", "pk"))
    for start in range(0, len(ordered), RUN_CHUNK):
        chunk = ordered[start : start + RUN_CHUNK]
        ids = [employer.pk for employer in chunk]
        # Every period of the run ends by the quarter's end: one read of the chunk's unbilled
        # time and one of its conventions, consumed period after period below; its drafts
        # are then written together (a handful of queries per chunk, not per employer).
        unbilled = unbilled_by_employer(ids, quarter_end)
        conventions = conventions_in_force(ids, quarter_end)
        follow_ups = mobility.MobilityPool(ids, quarter_end)
        pending = []
        contributed: set[tuple[int, int]] = set()  # (employer, year) on a pending draft
        for employer in chunk:
            for billing_period in sorted(periods_of[employer.pk]):
                for period in rules.periods_ending_in_quarter(year, quarter, billing_period):
                    if (employer.pk, period.start, period.end) in invoiced:
                        continue
                    convention = _pick_convention(conventions.get(employer.pk, []), period)
                    if convention is None or convention.billing_period != billing_period:
                        continue
                    pool = unbilled.get(employer.pk, [])
                    lines = draft_lines(
                        employer,
                        convention,
                        period,
                        unbilled=pool,
                        contribution_billed=(employer.pk, period.year) in contributed,
                    )
                    lines += follow_ups.take(employer.pk, convention, period)
                    if any(line.amount for line in lines):
                        pending.append((employer, convention, period, lines))
                        if any(line.kind == LineKind.CONTRIBUTION for line in lines):
                            contributed.add((employer.pk, period.year))
                        # The draft now holds its entries: a later period no longer bills them.
                        held = {entry.pk for line in lines for entry in line.entries}
                        unbilled[employer.pk] = [e for e in pool if e.pk not in held]
        drafts += _save_drafts(pending)
    return drafts


def _journal_run(actor: User | None, year: int, quarter: int, drafts: int) -> None:
    audit_log(
        actor=actor,
        action=AuditAction.INVOICE_RUN,
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
