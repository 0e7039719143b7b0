"""Time entries: recorded by hand ("Mon temps") or kept in step with their source.

Time entries recorded by interviews, collective actions and body meetings are kept in step
with their source (`time_sync`): unlocked entries of the source are replaced, and locked
ones (already on an issued invoice) are left alone and corrected by new entries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polesocial.billing.enums import TimeKind, TimeSource
from polesocial.billing.models import TimeEntry
from polesocial.organisations.models import Employer, FteShare, SocialWorker
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

if TYPE_CHECKING:
    from polesocial.users.models import User

MAX_MINUTES_A_DAY = 24 * 60


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
    audit_log(actor=actor, action=AuditAction.TIME_ENTRY_CREATE, target=entry)
    return entry


@transaction.atomic
def time_entry_delete(*, actor: User, entry: TimeEntry) -> None:
    """Remove a manual entry not yet invoiced (an invoiced one is corrected instead)."""
    if entry.source != TimeSource.MANUAL:
        raise ValidationError("Ce temps suit son entretien, action ou instance : modifiez-la.")
    audit_log(actor=actor, action=AuditAction.TIME_ENTRY_DELETE, target=entry)
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
