"""Background jobs stopped mid-way: told by their heartbeat, marked interrupted.

A job's task writes a heartbeat with each step (`BackgroundJob.beat`, `report_progress`).
When its worker is killed or its machine restarts, nothing ever writes the job again and the
task queue does not hand a claimed task to another worker: without this module the job
would stay « En cours » for ever. A running job whose last sign of life (heartbeat, or
creation when it has none yet) is older than `BACKGROUND_JOB_STALE_SECONDS` is marked
interrupted; its status page then says so in French and offers to request it again.

The check runs where it is reliable without a clock of its own: each time a status page is
read (`refreshed`), and from the `interrupt_stale_jobs` command (cron). A pending job is
never stale: it waits for a worker, which will take it when one runs again.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from polesocial.core.models import BackgroundJob, JobStatus

Job = TypeVar("Job", bound=BackgroundJob)


def stale_after() -> dt.timedelta:
    """How long a running job may go without a heartbeat before it is deemed stopped."""
    return dt.timedelta(seconds=settings.BACKGROUND_JOB_STALE_SECONDS)


def stale(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """The running jobs of `queryset` whose last sign of life is older than `stale_after`."""
    cutoff = (now or timezone.now()) - stale_after()
    return queryset.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )


def interrupt_stale(queryset: QuerySet, now: dt.datetime | None = None) -> int:
    """Mark the stale jobs of `queryset` interrupted; return how many.

    One conditional UPDATE: a job whose worker writes a heartbeat at the same moment is
    either still fresh for the UPDATE's WHERE, or its heartbeat lands after and the job
    stays interrupted (a late `DONE` from a worker that was only slow still wins: its
    result is real).
    """
    return stale(queryset, now).update(status=JobStatus.INTERRUPTED)


def refreshed(job: Job, now: dt.datetime | None = None) -> Job:
    """`job` as its status page must show it: interrupted if its worker has stopped."""
    if job.status == JobStatus.RUNNING:
        if interrupt_stale(type(job)._default_manager.filter(pk=job.pk), now):
            job.refresh_from_db()
    return job


def job_models() -> list[type[BackgroundJob]]:
    """Every kind of background job (the concrete models built on BackgroundJob)."""
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def stale_counts(now: dt.datetime | None = None) -> dict[type[BackgroundJob], int]:
    """How many stale jobs each kind has (read only)."""
    return {model: stale(model._default_manager.all(), now).count() for model in job_models()}


def interrupt_all_stale(now: dt.datetime | None = None) -> dict[type[BackgroundJob], int]:
    """Mark every stale job of every kind interrupted; how many of each."""
    return {model: interrupt_stale(model._default_manager.all(), now) for model in job_models()}
