"""The mobility adviser's part of a case: hand-offs from the worker, and his follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from polesocial.casework.enums import HandoffKind, MobilityFollowUpKind
from polesocial.privacy.access import ScopedQuerySet
from polesocial.privacy.fields import EncryptedTextField


class HandoffQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Handoff(models.Model):
    """A worker hands a case over to, or shares it with, the mobility adviser, with the
    employee's consent for that scope (ConsentScope.MOBILITY_ADVISER).

    The adviser reads the identity, the employment situation and this note only; never the
    interviews, the private note or aid (privacy.scopes). The note is written for him: it
    is encrypted like every secret of a case.
    """

    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="handoffs", verbose_name="dossier"
    )
    # The consent that allowed it: withdrawn, and the adviser reads nothing more.
    consent = models.ForeignKey(
        "casework.Consent", on_delete=models.PROTECT, related_name="handoffs"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handoffs",
        verbose_name="conseiller·ère mobilité",
    )
    kind = models.CharField("nature", max_length=16, choices=HandoffKind.choices)
    note = EncryptedTextField("note de relais")
    created_at = models.DateTimeField("le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField("terminé le", null=True, blank=True)
    # Set by the retention job when the note is removed.
    anonymised_on = models.DateField("anonymisé le", null=True, blank=True)

    objects = HandoffQuerySet.as_manager()

    class Meta:
        verbose_name = "relais mobilité"
        verbose_name_plural = "relais mobilité"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Relais du {timezone.localtime(self.created_at):%d/%m/%Y}"


class MobilityFollowUp(models.Model):
    """What the mobility adviser did for a case handed to him, and the time it took.

    The time is billed to `employer` only under a convention that names the mobility
    service (`Convention.mobility_hourly_rate`), on its own invoice line, by the quarterly
    run (billing.services.mobility): the conventions cover social work unless they say so.
    """

    handoff = models.ForeignKey(Handoff, on_delete=models.PROTECT, related_name="follow_ups")
    # The employer the time was spent for (the employee's as the worker recorded it, on the
    # day): what the invoice run reads, never the case.
    employer = models.ForeignKey(
        "organisations.Employer",
        on_delete=models.PROTECT,
        related_name="mobility_follow_ups",
        verbose_name="employeur",
    )
    kind = models.CharField("nature", max_length=20, choices=MobilityFollowUpKind.choices)
    occurred_on = models.DateField("date")
    minutes = models.PositiveIntegerField("durée (minutes)", default=0)
    note = EncryptedTextField("compte rendu", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi mobilité"
        verbose_name_plural = "suivis mobilité"
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="mobility_follow_up_minutes_bounded",
                condition=models.Q(minutes__lte=24 * 60),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y}"
