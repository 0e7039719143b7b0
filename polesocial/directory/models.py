from django.db import models

from polesocial.core.versioning import Versioned
from polesocial.directory.enums import PartnerKind


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Partner(Versioned):
    """An external organisation social workers orient employees to (not nominative)."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=40, choices=PartnerKind.choices)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    area = models.CharField("territoire couvert", max_length=200, blank=True)
    notes = models.TextField("informations utiles", blank=True)
    is_active = models.BooleanField("actif", default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
