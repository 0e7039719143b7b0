"""Reports of closed years computed once and kept (StoredReport), so the page reads them.

A year is closed once it is over (before the current year). What invalidates a stored
report is a write to that year's data: an interview, a referral, an orientation, a time
entry, a collective action or a headcount of that year, a case (or its domains) open in
that year. The deletion is coarse (every scope of the year) and reasoned on the row as
saved: a case whose dates move clears the years it now spans. Writes that bypass model
signals (bulk_create, queryset update, the demo loader) do not invalidate: run
`clear_stored_reports()` after such an import.
"""

from __future__ import annotations

import json

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from polesocial.reports.models import StoredReport
from polesocial.reports.pooling import YEARS


def is_closed(year: int) -> bool:
    return year < timezone.localdate().year


def stored(kind: str, pk: int, year: int, variant: str, build):
    """`build()`'s JSON-able result, kept for a closed year and read back afterwards."""
    if not is_closed(year):
        return build()
    row = StoredReport.objects.filter(
        scope_kind=kind, scope_id=pk or 0, year=year, variant=variant
    ).first()
    if row is not None:
        return json.loads(row.content)
    content = build()
    StoredReport.objects.update_or_create(
        scope_kind=kind,
        scope_id=pk or 0,
        year=year,
        variant=variant,
        defaults={"content": json.dumps(content, ensure_ascii=False)},
    )
    return content


def invalidate(years) -> None:
    """Forget the stored reports of `years`, and the pooled ones that include them."""
    years = {y for y in years if y is not None}
    if not years:
        return
    pooled = {y + shift for y in years for shift in range(YEARS)}
    StoredReport.objects.filter(year__in=sorted(years)).exclude(variant="pooled").delete()
    StoredReport.objects.filter(year__in=sorted(pooled), variant="pooled").delete()


def clear_stored_reports() -> int:
    deleted, _ = StoredReport.objects.all().delete()
    return deleted


def _year(value) -> int | None:
    """The year of a date, a datetime or an ISO string as assigned (before the database
    converts it)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return int(value[:4]) if value[:4].isdigit() else None
    return value.year


def _case_years(case) -> range:
    first = _year(case.opened_on)
    if first is None:
        return range(0)
    last = _year(case.closed_on) or timezone.localdate().year
    return range(first, max(last, first) + 1)


def _years_of(instance) -> set[int]:
    from polesocial.billing.models import TimeEntry
    from polesocial.casework.models import Case, CaseDomain, Interview, Orientation, Referral
    from polesocial.collective.models import CollectiveAction
    from polesocial.organisations.models import Headcount

    if isinstance(instance, Case):
        return set(_case_years(instance))
    if isinstance(instance, CaseDomain):
        case = Case.objects.filter(pk=instance.case_id).only("opened_on", "closed_on").first()
        return set(_case_years(case)) if case else set()
    dates = {
        Interview: "occurred_on",
        Orientation: "oriented_on",
        Referral: "received_at",
        TimeEntry: "date",
        CollectiveAction: "starts_on",
    }
    for model, field in dates.items():
        if isinstance(instance, model):
            year = _year(getattr(instance, field))
            return {year} if year else set()
    if isinstance(instance, Headcount):
        return {instance.year}
    return set()


def _on_write(sender, instance, **kwargs) -> None:
    years = _years_of(instance)
    if any(is_closed(y) for y in years):
        invalidate(y for y in years if is_closed(y))


def connect() -> None:
    from polesocial.billing.models import TimeEntry
    from polesocial.casework.models import Case, CaseDomain, Interview, Orientation, Referral
    from polesocial.collective.models import CollectiveAction
    from polesocial.organisations.models import Headcount

    for model in (
        Case,
        CaseDomain,
        Interview,
        Orientation,
        Referral,
        TimeEntry,
        CollectiveAction,
        Headcount,
    ):
        post_save.connect(_on_write, sender=model, dispatch_uid=f"reports-cache-{model.__name__}")
        post_delete.connect(
            _on_write, sender=model, dispatch_uid=f"reports-cache-del-{model.__name__}"
        )
