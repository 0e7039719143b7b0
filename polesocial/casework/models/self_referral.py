"""The public page « Contacter le service social »: what its rate limit remembers."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SelfReferralAttempt(models.Model):
    """One submission of the public page, from one network address.

    Kept only as long as the rate limit needs it (`SELF_REFERRAL_WINDOW_SECONDS`): the
    service deletes older rows each time it records one, and the retention job too. The row
    holds the address and the time, never the employer chosen nor anything typed.
    """

    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "envoi de la page publique"
        verbose_name_plural = "envois de la page publique"
        indexes = [models.Index(fields=["ip_address", "created_at"])]

    def __str__(self) -> str:
        return f"Envoi du {self.created_at:%d/%m/%Y %H:%M}"
