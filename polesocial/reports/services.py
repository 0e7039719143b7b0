"""Writes of the reports app: asking for an export file, and deleting expired ones.

Export files hold figures only (no person), yet an internal report's exact small counts
should not linger: a file is kept `models.retention_days()` days, then deleted — by
`purge_report_exports --wet-run` (cron) and each time someone asks for a new export.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from polesocial.reports.models import ReportExport


@transaction.atomic
def report_exports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete every export older than the retention period; return how many were deleted."""
    deleted, _ = ReportExport.objects.expired(now).delete()
    return deleted


@transaction.atomic
def report_export_create(
    *, actor, kind: str, pk: int, year: int, fmt: str, controlled: bool
) -> ReportExport:
    """A new export for `actor` (built by tasks.export_report), expired ones purged first."""
    report_exports_purge()
    return ReportExport.objects.create(
        requested_by=actor,
        scope_kind=kind,
        scope_id=pk,
        year=year,
        format=fmt,
        controlled=controlled,
    )
