"""Appointments, drop-in sessions (permanences), calendar feeds and the secretary's teams.

An appointment says who, when and where — never why: it has no reason, domain or note,
so the secretary who books it learns nothing of the case. The employee's name and
contact details are encrypted like the rest of the case data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from polesocial.appointments.enums import AppointmentStatus, Recurrence
from polesocial.casework.enums import InterviewPlace
from polesocial.privacy.access import ScopedQuerySet
from polesocial.privacy.fields import EncryptedTextField

# Statuses that hold the worker's time: a cancelled or missed appointment frees its slot.
BUSY = (AppointmentStatus.PLANNED, AppointmentStatus.DONE)


class SecretaryTeam(models.Model):
    """A medico-social secretary serves the workers of a team (she books for them)."""

    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="secretary_teams",
        limit_choices_to={"role": "secretary"},
        verbose_name="secrétariat",
    )
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.CASCADE,
        related_name="secretaries",
        verbose_name="équipe",
    )

    class Meta:
        verbose_name = "équipe du secrétariat"
        constraints = [
            models.UniqueConstraint(fields=["secretary", "team"], name="secretary_team_unique")
        ]

    def __str__(self) -> str:
        return f"{self.secretary} — {self.team}"


class DropInSessionQuerySet(ScopedQuerySet):
    pass


class DropInSession(models.Model):
    """Regular hours of a social worker at an employer's site, with a recurrence."""

    worker = models.ForeignKey(
        "organisations.SocialWorker",
        on_delete=models.PROTECT,
        related_name="drop_in_sessions",
        verbose_name="ASS",
    )
    employer = models.ForeignKey(
        "organisations.Employer",
        on_delete=models.PROTECT,
        related_name="drop_in_sessions",
        verbose_name="employeur",
    )
    site = models.CharField(
        "site de permanence",
        max_length=255,
        help_text="Le local mis à disposition par l'employeur (convention).",
    )
    starts_on = models.DateField("première date")
    ends_on = models.DateField("dernière date")
    start_time = models.TimeField("début")
    end_time = models.TimeField("fin")
    recurrence = models.CharField(
        "récurrence", max_length=16, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    slot_minutes = models.PositiveSmallIntegerField("durée d'un créneau (minutes)", default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DropInSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "permanence"
        ordering = ["starts_on", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                name="drop_in_dates_ordered", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(
                name="drop_in_hours_ordered", condition=Q(end_time__gt=models.F("start_time"))
            ),
            models.CheckConstraint(
                name="drop_in_slot_range", condition=Q(slot_minutes__gte=10, slot_minutes__lte=240)
            ),
        ]

    def __str__(self) -> str:
        return f"Permanence {self.employer} — {self.site}"


class DropInOccurrenceQuerySet(ScopedQuerySet):
    def held(self):
        return self.filter(cancelled_at__isnull=True)

    def overlapping(self, start: dt.datetime, end: dt.datetime):
        return self.filter(start__lt=end, end__gt=start)


class DropInOccurrence(models.Model):
    """One date of a drop-in session; a cancelled one is an exception of the recurrence."""

    session = models.ForeignKey(DropInSession, on_delete=models.PROTECT, related_name="occurrences")
    # Copied from the session: the worker's agenda and the overlap rule read them directly.
    worker = models.ForeignKey(
        "organisations.SocialWorker", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = DropInOccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = "date de permanence"
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                name="occurrence_ordered", condition=Q(end__gt=models.F("start"))
            ),
            models.UniqueConstraint(fields=["session", "start"], name="occurrence_unique_start"),
        ]
        indexes = [models.Index(fields=["worker", "start"], name="occurrence_worker_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.session} le {local:%d/%m/%Y}"

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.start).date()

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class AppointmentQuerySet(ScopedQuerySet):
    def busy(self):
        return self.filter(status__in=BUSY)

    def overlapping(self, start: dt.datetime, end: dt.datetime):
        return self.filter(start__lt=end, end__gt=start)

    def between(self, start: dt.datetime, end: dt.datetime):
        return self.filter(start__gte=start, start__lt=end)


class Appointment(models.Model):
    """A meeting of a social worker with an employee: who, when, where — never why."""

    worker = models.ForeignKey(
        "organisations.SocialWorker",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="ASS",
    )
    employer = models.ForeignKey(
        "organisations.Employer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="employeur de l'agent",
    )
    # Set when the worker books from a case; a secretary's booking names the person only.
    employee = models.ForeignKey(
        "casework.Employee",
        on_delete=models.PROTECT,
        related_name="appointments",
        null=True,
        blank=True,
    )
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        related_name="appointments",
        null=True,
        blank=True,
    )
    person_name = EncryptedTextField("agent", validators=[MaxLengthValidator(200)])
    contact_email = EncryptedTextField("courriel", blank=True, validators=[MaxLengthValidator(254)])
    contact_phone = EncryptedTextField("téléphone", blank=True, validators=[MaxLengthValidator(30)])
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=20, choices=InterviewPlace.choices)
    video_link = models.CharField("lien de visioconférence", max_length=500, blank=True)
    employee_on_leave = models.BooleanField("agent en arrêt", default=False)
    occurrence = models.ForeignKey(
        DropInOccurrence,
        on_delete=models.PROTECT,
        related_name="appointments",
        null=True,
        blank=True,
        verbose_name="permanence",
    )
    status = models.CharField(
        "état", max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.PLANNED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Reminders: only with the employee's agreement, recorded with its date, withdrawable.
    reminder_consent_on = models.DateField("rappel accepté le", null=True, blank=True)
    reminder_withdrawn_on = models.DateField("rappel retiré le", null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    interview = models.OneToOneField(
        "casework.Interview",
        on_delete=models.PROTECT,
        related_name="appointment",
        null=True,
        blank=True,
    )
    # Set by the retention job when the name and contact details are emptied.
    anonymised_on = models.DateField("anonymisé le", null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                name="appointment_ordered", condition=Q(end__gt=models.F("start"))
            ),
            models.CheckConstraint(
                name="appointment_status_known", condition=Q(status__in=AppointmentStatus.values)
            ),
        ]
        indexes = [models.Index(fields=["worker", "start"], name="appointment_worker_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"Rendez-vous du {local:%d/%m/%Y à %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def wants_reminder(self) -> bool:
        return self.reminder_consent_on is not None and self.reminder_withdrawn_on is None

    @property
    def initials(self) -> str:
        return "".join(f"{word[0].upper()}." for word in self.person_name.split() if word)


class CalendarFeedQuerySet(ScopedQuerySet):
    pass


class CalendarFeed(models.Model):
    """A worker's secret iCalendar address: only a hash of its token is kept; a new token
    revokes the former one."""

    worker = models.OneToOneField(
        "organisations.SocialWorker", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    show_initials = models.BooleanField(
        "initiales de l'agent dans les événements",
        default=False,
        help_text="Par défaut, un événement ne porte que « Entretien », le lieu et l'heure.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = "flux d'agenda"

    def __str__(self) -> str:
        return f"Flux d'agenda de {self.worker}"
