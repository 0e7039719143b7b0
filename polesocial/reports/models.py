"""What the reports app stores: the written analysis beside the figures, and exports."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

from polesocial.core.models import BackgroundJob
from polesocial.privacy.access import ScopedQuerySet

SCOPE_KINDS = [
    ("operator", "Opérateur"),
    ("employer", "Employeur"),
    ("team", "Équipe"),
    ("worker", "ASS"),
]


class NarrativeSection(models.TextChoices):
    ANALYSIS = "analysis", "Analyse de l'activité"
    OBSERVATION = "observation", "Observation sociale"
    OUTLOOK = "outlook", "Perspectives"


class Narrative(models.Model):
    """The worker's or counsellor's text for one report (scope and year) and one section.

    Aggregate commentary only: the form reminds that no one may be identifiable in it.
    """

    scope_kind = models.CharField(max_length=16, choices=SCOPE_KINDS)
    scope_id = models.PositiveIntegerField(default=0)
    year = models.PositiveSmallIntegerField("année")
    section = models.CharField("rubrique", max_length=16, choices=NarrativeSection.choices)
    text = models.TextField("texte", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "analyse du bilan"
        ordering = ["scope_kind", "scope_id", "year", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "scope_id", "year", "section"], name="narrative_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()} {self.scope_kind} {self.scope_id} {self.year}"


DEFAULT_RETENTION_DAYS = 7


def retention_days() -> int:
    """How many days an export file is kept (REPORT_EXPORT_RETENTION_DAYS, 7 by default)."""
    value = getattr(settings, "REPORT_EXPORT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ImproperlyConfigured(
            "REPORT_EXPORT_RETENTION_DAYS doit être un nombre entier de jours, au moins 1."
        )
    return value


class ReportExportQuerySet(ScopedQuerySet):
    def expired(self, now: dt.datetime | None = None):
        """Exports older than the retention period: their file is no longer kept."""
        now = now or timezone.now()
        return self.filter(created_at__lt=now - dt.timedelta(days=retention_days()))


class ReportExport(BackgroundJob):
    """A report file (PDF or ODS) built by a background task for the person who asked.

    Kept `retention_days()` days, then deleted (services.report_exports_purge).
    """

    scope_kind = models.CharField(max_length=16, choices=SCOPE_KINDS)
    scope_id = models.PositiveIntegerField(default=0)
    year = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=8)
    controlled = models.BooleanField(default=True)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=120, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta(BackgroundJob.Meta):
        verbose_name = "export de bilan"

    def __str__(self) -> str:
        return self.filename or str(self.pk)

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + dt.timedelta(days=retention_days())

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at < (now or timezone.now())


class StoredReport(models.Model):
    """A report of a closed year computed once and kept (cache.py): the page reads it.

    Deleted by any write to that year's data (interviews, cases and their domains,
    referrals, orientations, time entries, headcounts, collective actions); a pooled report
    also by a write to either of the two years before it. Figures only, no person.
    """

    scope_kind = models.CharField(max_length=16, choices=SCOPE_KINDS)
    scope_id = models.PositiveIntegerField(default=0)
    year = models.PositiveSmallIntegerField()
    variant = models.CharField(max_length=16)  # "controlled", "internal", "pooled"
    # JSON as text: PostgreSQL's jsonb would not keep the keys' order (the tables' order).
    content = models.TextField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bilan d'une année close"
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "scope_id", "year", "variant"], name="stored_report_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_id} {self.year} {self.variant}"
