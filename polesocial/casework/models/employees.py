from __future__ import annotations

from django.core.validators import EmailValidator, MaxLengthValidator
from django.db import models

from polesocial.casework.enums import (
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    Sex,
    WorkingTime,
)
from polesocial.core.text import normalise
from polesocial.privacy.access import ScopedQuerySet
from polesocial.privacy.fields import EncryptedTextField


class EmployeeQuerySet(ScopedQuerySet):
    def search(self, text: str):
        """Name search, accents and case ignored (every word must appear)."""
        queryset = self
        for word in normalise(text).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset


def match_key(last_name: str, first_name: str, birth_date) -> str:
    """Silent matching: the same person has the same normalised names and birth date."""
    return f"{normalise(last_name)}|{normalise(first_name)}|{birth_date.isoformat()}"


class Employee(models.Model):
    """A public employee the social service supports (an agent). Never a user."""

    last_name = models.CharField("nom", max_length=150)
    first_name = models.CharField("prénom", max_length=150)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    # Contact details are secret case data and play no part in matching: encrypted at rest
    # (no query can filter or order on them). The validators keep the checks the former
    # CharField/EmailField made in full_clean(); the entry forms and serializers say them in
    # French beside the field.
    phone = EncryptedTextField("téléphone", blank=True, validators=[MaxLengthValidator(30)])
    email = EncryptedTextField(
        "courriel",
        blank=True,
        validators=[
            EmailValidator(message="Saisissez une adresse électronique valide."),
            MaxLengthValidator(254),
        ],
    )
    address = EncryptedTextField("adresse", blank=True, validators=[MaxLengthValidator(255)])
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="employees",
    )
    status = models.CharField("statut", max_length=16, choices=EmploymentStatus.choices)
    category = models.CharField("catégorie", max_length=1, choices=GradeCategory.choices)
    job = models.CharField("métier ou poste", max_length=150, blank=True)
    working_time = models.CharField(
        "temps de travail", max_length=16, choices=WorkingTime.choices, blank=True
    )
    family_situation = models.CharField(
        "situation familiale", max_length=16, choices=FamilySituation.choices
    )
    children_count = models.PositiveSmallIntegerField("enfants à charge", default=0)
    search_name = models.CharField(max_length=310, editable=False, db_index=True)
    match_key = models.CharField(max_length=330, editable=False, unique=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = "agent"
        ordering = ["search_name", "pk"]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.search_name = normalise(f"{self.last_name} {self.first_name}")
        self.match_key = match_key(self.last_name, self.first_name, self.birth_date)
        super().save(*args, **kwargs)
