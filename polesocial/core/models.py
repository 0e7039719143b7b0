"""What several apps share: the background job (a long piece of work and its progress) and
the gapless number sequences (referrals, cases, invoices)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"
    # Its worker stopped mid-way (killed, machine restarted): core.jobs tells by the heartbeat.
    INTERRUPTED = "interrupted", "Interrompu"


class BackgroundJob(models.Model):
    """Work that runs on the task queue for the person who asked, with its progress.

    Its status page refreshes itself while the job is pending or running
    (templates/includes/job_progress.html); the task updates `status` and `progress`, and
    each update is a heartbeat (`heartbeat_at`): a running job whose heartbeat is too old
    was stopped mid-way and is marked interrupted (polesocial.core.jobs).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=12, choices=JobStatus.choices, default="pending")
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def in_progress(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    def beat(self, **fields) -> None:
        """Write `fields` (status, progress…) at once, outside `save`, with a heartbeat."""
        type(self)._default_manager.filter(pk=self.pk).update(heartbeat_at=timezone.now(), **fields)

    def report_progress(self, done: int, total: int) -> None:
        """Record `done` out of `total` as a percentage, with a heartbeat."""
        self.beat(progress=100 if not total else min(99, done * 100 // total))


class NumberSequence(models.Model):
    """The last number given in one yearly sequence: 1, 2, 3… with no gap and no repeat.

    One row per sequence and year; `sequence` names what it numbers ("referral", "case",
    "invoice-<operator id>"), and each app formats its numbers. Numbers are taken with
    `polesocial.core.numbering.next_number`, never by writing `last` directly.
    """

    sequence = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "year"], name="core_number_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.year} : {self.last}"
