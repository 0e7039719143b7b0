"""Collective work: collective actions, HR body meetings and vigilance alerts.

None of these names a person: they are written to be read by the employer. Time is kept
in minutes (duration and preparation) so that billing can turn each record into time
entries per employer (`employer_minutes`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from polesocial.collective import rules
from polesocial.collective.enums import ActionKind, ActionTheme, Body, RiskKind, Satisfaction
from polesocial.core.versioning import Versioned
from polesocial.privacy.access import ScopedQuerySet


def _duration(help_text: str) -> models.IntegerField:
    """Time in minutes, checked with a French message (a negative duration is refused)."""
    return models.IntegerField(
        "durée (minutes)", help_text=help_text, validators=[rules.validate_duration]
    )


def _preparation() -> models.IntegerField:
    return models.IntegerField(
        "temps de préparation (minutes)",
        help_text="0 si aucun.",
        default=0,
        validators=[rules.validate_preparation],
    )


def _count(label: str) -> models.IntegerField:
    return models.IntegerField(label, null=True, blank=True, validators=[rules.validate_count])


class TimedQuerySet(ScopedQuerySet):
    date_field = "starts_on"

    def in_year(self, year: int):
        return self.filter(**{f"{self.date_field}__year": year})


class CollectiveActionQuerySet(TimedQuerySet):
    def with_related(self):
        return self.select_related("worker__user").prefetch_related(
            models.Prefetch(
                "employer_shares",
                queryset=ActionEmployer.objects.select_related("employer").order_by(
                    "employer__name", "employer_id"
                ),
            ),
            "partners",
        )


class CollectiveAction(Versioned):
    """An information meeting, prevention action, discussion group or training session
    for the staff of one or several employers."""

    conflict_message = (
        "Cette action collective a été modifiée par une autre personne pendant votre saisie."
    )

    worker = models.ForeignKey(
        "organisations.SocialWorker",
        verbose_name="ASS",
        on_delete=models.PROTECT,
        related_name="collective_actions",
    )
    title = models.CharField("intitulé", max_length=200)
    kind = models.CharField("nature", max_length=32, choices=ActionKind.choices)
    theme = models.CharField("thème", max_length=32, choices=ActionTheme.choices)
    starts_on = models.DateField("date")
    ends_on = models.DateField(
        "dernier jour",
        null=True,
        blank=True,
        help_text="Seulement pour une action sur plusieurs jours.",
    )
    duration_minutes = _duration("Durée totale de l'action, par exemple 90 pour 1 h 30.")
    preparation_minutes = _preparation()
    employers = models.ManyToManyField(
        "organisations.Employer",
        through="ActionEmployer",
        related_name="collective_actions",
        verbose_name="employeurs",
    )
    partners = models.ManyToManyField(
        "directory.Partner",
        related_name="collective_actions",
        verbose_name="partenaires",
        blank=True,
    )
    attendance = models.IntegerField(
        "participants (total)",
        null=True,
        blank=True,
        validators=[rules.validate_count],
        help_text="Laissez vide tant que l'action n'a pas eu lieu.",
    )
    attendance_category_a = _count("dont catégorie A")
    attendance_category_b = _count("dont catégorie B")
    attendance_category_c = _count("dont catégorie C")
    satisfaction = models.CharField(
        "satisfaction des participants", max_length=16, choices=Satisfaction.choices, blank=True
    )
    evaluation = models.TextField(
        "bilan et suites",
        blank=True,
        help_text="Sans nommer personne : ce bilan est lu par l'employeur.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action collective"
        verbose_name_plural = "actions collectives"
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["starts_on"], name="collective_action_date")]
        constraints = [
            models.CheckConstraint(
                name="collective_action_dates_ordered",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                violation_error_message=rules.END_BEFORE_START,
            ),
            # Billing turns these minutes into time entries: never negative.
            models.CheckConstraint(
                name="collective_action_minutes_positive",
                condition=Q(duration_minutes__gt=0, preparation_minutes__gte=0),
            ),
            models.CheckConstraint(
                name="collective_action_counts_positive",
                condition=(
                    (Q(attendance__isnull=True) | Q(attendance__gte=0))
                    & (Q(attendance_category_a__isnull=True) | Q(attendance_category_a__gte=0))
                    & (Q(attendance_category_b__isnull=True) | Q(attendance_category_b__gte=0))
                    & (Q(attendance_category_c__isnull=True) | Q(attendance_category_c__gte=0))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def clean(self):
        rules.check_dates(self.starts_on, self.ends_on)

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on

    @property
    def categories(self) -> tuple[int | None, int | None, int | None]:
        return (self.attendance_category_a, self.attendance_category_b, self.attendance_category_c)

    def employer_minutes(self, minutes: int | None = None) -> list[tuple[int, int]]:
        """[(employer id, minutes)]: each employer's share of `minutes` (the duration by
        default), pro rata to its attendance, equally when an attendance is missing.

        Whole minutes that add up exactly to `minutes` (largest remainders), in the order
        of the employers' names: what billing records as time entries.
        """
        shares = list(self.employer_shares.all())
        shares.sort(key=lambda s: (s.employer.name, s.employer_id))
        weights = [s.attendance for s in shares]
        return rules.split_minutes(
            self.duration_minutes if minutes is None else minutes,
            [s.employer_id for s in shares],
            weights,
        )


class ActionEmployer(models.Model):
    """One employer of a collective action, with its staff's attendance."""

    action = models.ForeignKey(
        CollectiveAction, on_delete=models.CASCADE, related_name="employer_shares"
    )
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="collective_action_shares",
    )
    attendance = models.IntegerField(
        "participants de cet employeur",
        null=True,
        blank=True,
        validators=[rules.validate_count],
    )

    class Meta:
        verbose_name = "employeur d'une action collective"
        verbose_name_plural = "employeurs d'une action collective"
        ordering = ["action", "employer__name", "employer_id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "employer"], name="action_employer_once"),
            models.CheckConstraint(
                name="action_employer_attendance_positive",
                condition=Q(attendance__isnull=True) | Q(attendance__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.employer}"


def _document_path(instance: ActionDocument, filename: str) -> str:
    # A random name on disk: the name typed by the worker stays in the row only.
    suffix = PurePath(filename).suffix.lower()
    return f"collective/{secrets.token_hex(16)}{suffix}"


class ActionDocument(models.Model):
    """A document of a collective action (slides, leaflet, attendance sheet without names).

    Not nominative, so stored as a plain file, after the same size and type checks as
    case documents; read through the action, hence through `visible_by`.
    """

    action = models.ForeignKey(CollectiveAction, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path)
    name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "document d'action collective"
        verbose_name_plural = "documents d'actions collectives"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class BodyMeetingQuerySet(TimedQuerySet):
    date_field = "held_on"

    def with_related(self):
        return self.select_related("worker__user", "employer")


class BodyMeeting(Versioned):
    """The social worker's participation in one meeting of an HR body of an employer."""

    conflict_message = "Cette séance a été modifiée par une autre personne pendant votre saisie."

    worker = models.ForeignKey(
        "organisations.SocialWorker",
        verbose_name="ASS",
        on_delete=models.PROTECT,
        related_name="body_meetings",
    )
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="body_meetings",
    )
    body = models.CharField("instance", max_length=32, choices=Body.choices)
    held_on = models.DateField("date")
    duration_minutes = _duration("Par exemple 120 pour 2 h.")
    preparation_minutes = _preparation()
    topics = models.TextField(
        "sujets abordés", help_text="Sans nommer personne : ces sujets sont lus par l'employeur."
    )
    follow_ups = models.TextField("suites à donner", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BodyMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "séance d'instance"
        verbose_name_plural = "séances d'instances"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"], name="body_meeting_date")]
        constraints = [
            # Billing turns these minutes into time entries: never negative.
            models.CheckConstraint(
                name="body_meeting_minutes_positive",
                condition=Q(duration_minutes__gt=0, preparation_minutes__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} — {self.employer} ({self.held_on:%d/%m/%Y})"

    def employer_minutes(self, minutes: int | None = None) -> list[tuple[int, int]]:
        """[(employer id, minutes)], as for a collective action: here, one employer."""
        return [(self.employer_id, self.duration_minutes if minutes is None else minutes)]


class AlertQuerySet(TimedQuerySet):
    date_field = "raised_on"

    def with_related(self):
        return self.select_related("worker__user", "employer").prefetch_related("addressees")


class Alert(Versioned):
    """A vigilance signal to the employer about a collective risk, never naming anyone."""

    conflict_message = "Cette alerte a été modifiée par une autre personne pendant votre saisie."

    worker = models.ForeignKey(
        "organisations.SocialWorker",
        verbose_name="ASS",
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    raised_on = models.DateField("date")
    risk = models.CharField("nature du risque", max_length=32, choices=RiskKind.choices)
    description = models.TextField(
        "description",
        help_text="Décrivez la situation collective sans nommer ni désigner personne.",
    )
    addressees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataires",
        related_name="collective_alerts",
        limit_choices_to={"role": "employer_contact"},
    )
    follow_up = models.TextField("suites données", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = "alerte de vigilance sociale"
        verbose_name_plural = "alertes de vigilance sociale"
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["raised_on"], name="alert_date")]

    def __str__(self) -> str:
        risk = self.get_risk_display().lower()
        return f"Alerte {risk} — {self.employer} ({self.raised_on:%d/%m/%Y})"
