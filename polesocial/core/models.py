"""What several apps share: the background job (a long piece of work and its progress) and
the gapless number sequences (referrals, cases, invoices)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


class BackgroundJob(models.Model):
    """Work that runs on the task queue for the person who asked, with its progress.

    Its status page refreshes itself while the job is pending or running
    (templates/includes/job_progress.html); the task updates `status` and `progress`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=8, choices=JobStatus.choices, default="pending")
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def in_progress(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    def report_progress(self, done: int, total: int) -> None:
        """Record `done` out of `total` as a percentage (written at once, outside `save`)."""
        percent = 100 if not total else min(99, done * 100 // total)
        type(self)._default_manager.filter(pk=self.pk).update(progress=percent)


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
