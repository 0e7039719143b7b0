"""Requests of an employee about his data (GDPR art. 15 and 17), handled by the DPO.

A subject-access request goes received → prepared → reviewed by the worker in charge →
released; an erasure request is received, then decided with its motive. Both are changed by
the services of casework.services.data_requests only, which journal every step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from polesocial.privacy.access import ScopedQuerySet, scope_for_view
from polesocial.privacy.fields import EncryptedTextField


class SubjectRequestStatus(models.TextChoices):
    RECEIVED = "received", "Reçue"
    PREPARED = "prepared", "Préparée, en relecture par l'ASS"
    REVIEWED = "reviewed", "Relue, prête à remettre"
    RELEASED = "released", "Remise"


class ErasureDecision(models.TextChoices):
    GRANTED = "granted", "Effacement accordé (anonymisation)"
    REFUSED = "refused", "Effacement refusé (motif légal)"


class SubjectAccessRequestQuerySet(ScopedQuerySet):
    def review_visible_by(self, user):
        """The requests `user` reviews as the worker in charge (privacy.scopes)."""
        rule = scope_for_view("casework.SubjectAccessRequest", "review", user)
        return rule(self, user) if rule else self.none()


class SubjectAccessRequest(models.Model):
    """One subject-access request (GDPR art. 15) and its lifecycle.

    `export_data` is the export prepared once (JSON, encrypted): the worker in charge reviews
    that very content, and what is released is it, less the `redactions` she marked (rows'
    fields concerning third parties, art. 15(4)). The DPO sees counts and dates, never it.
    Staff names appear in the accesses only if the DPO decided so (`names_disclosed`) after a
    balancing of interests, with its motive (CJEU C-579/21).
    """

    employee = models.ForeignKey(
        "casework.Employee",
        verbose_name="agent",
        on_delete=models.PROTECT,
        related_name="subject_requests",
    )
    status = models.CharField(
        "état",
        max_length=10,
        choices=SubjectRequestStatus.choices,
        default=SubjectRequestStatus.RECEIVED,
    )
    received_on = models.DateField("reçue le")
    # PROTECT: the people named in a request's steps appear in the journal too.
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="enregistrée par", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reviewer = models.ForeignKey(
        "organisations.SocialWorker",
        verbose_name="ASS chargée de la relecture",
        on_delete=models.PROTECT,
        related_name="subject_requests",
        null=True,
        blank=True,
    )
    prepared_at = models.DateTimeField("préparée le", null=True, blank=True)
    export_data = EncryptedTextField("export préparé", blank=True)
    redactions = models.JSONField("occultations", default=list, blank=True)
    reviewed_at = models.DateTimeField("relue le", null=True, blank=True)
    names_disclosed = models.BooleanField("noms des personnels communiqués", null=True)
    balancing_motive = EncryptedTextField("motif de la mise en balance", blank=True)
    balanced_at = models.DateTimeField("mise en balance le", null=True, blank=True)
    released_at = models.DateTimeField("remise le", null=True, blank=True)

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de droit d'accès"
        verbose_name_plural = "demandes de droit d'accès"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Demande d'accès n° {self.pk}"


class ErasureRequest(models.Model):
    """One erasure request (GDPR art. 17): the DPO decides, within the legal limits, and
    writes why; a granted erasure anonymises as the retention job does."""

    employee = models.ForeignKey(
        "casework.Employee",
        verbose_name="agent",
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    received_on = models.DateField("reçue le")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="enregistrée par", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decision = models.CharField(
        "décision", max_length=10, choices=ErasureDecision.choices, blank=True
    )
    decision_motive = EncryptedTextField("motif de la décision", blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'effacement"
        verbose_name_plural = "demandes d'effacement"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Demande d'effacement n° {self.pk}"
