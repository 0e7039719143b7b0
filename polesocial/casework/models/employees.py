from __future__ import annotations

import datetime as dt

from django.core.validators import EmailValidator, MaxLengthValidator
from django.db import models
from django.db.models import Q

from polesocial.casework.enums import (
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    Sex,
    WorkingTime,
)
from polesocial.core.text import normalise
from polesocial.privacy.access import ScopedQuerySet, scope_for_view
from polesocial.privacy.blind_index import (
    blind_index,
    blind_indexes,
    word_index,
    word_lookups,
    words,
)
from polesocial.privacy.fields import EncryptedDateField, EncryptedTextField

MATCH = "match-key"


class EmployeeQuerySet(ScopedQuerySet):
    def search(self, text: str):
        """Name search, accents and case ignored: every word typed must be a whole word of
        the last or first name ("dupont" finds "Dupont-Lefèvre", "dup" does not).

        The names are encrypted: each row keeps one keyed index per word (`name_words`),
        looked up here; call it on `visible_by(user)`, whose rows are those of her cases.
        """
        queryset = self
        for word in words(text):
            found = Q()
            for lookup in word_lookups(word):
                found |= Q(name_words__contains=lookup)
            queryset = queryset.filter(found)
        return queryset

    def subject_access_visible_by(self, user):
        """Every employee for the DPO answering a subject-access request; none otherwise.
        Call `matching` on it: she finds only the person named in the request."""
        rule = scope_for_view("casework.Employee", "subject_access", user)
        return rule(self, user) if rule else self.none()

    def matching(self, last_name: str, first_name: str, birth_date: dt.date):
        """The employee with these normalised names and birth date (silent matching)."""
        return self.filter(
            match_key__in=blind_indexes(identity(last_name, first_name, birth_date), purpose=MATCH)
        )


def identity(last_name: str, first_name: str, birth_date: dt.date) -> str:
    """What silent matching compares: the normalised names and the birth date."""
    return f"{normalise(last_name)}|{normalise(first_name)}|{birth_date.isoformat()}"


def match_key(last_name: str, first_name: str, birth_date: dt.date) -> str:
    """Silent matching's blind index: a keyed HMAC of `identity`, never the identity."""
    return blind_index(identity(last_name, first_name, birth_date), purpose=MATCH)


class Employee(models.Model):
    """A public employee the social service supports (an agent). Never a user."""

    # Names and birth date are encrypted like the case content: a row alone must not tell
    # who is followed. Matching and search read the blind indexes below instead.
    last_name = EncryptedTextField("nom", validators=[MaxLengthValidator(150)])
    first_name = EncryptedTextField("prénom", validators=[MaxLengthValidator(150)])
    birth_date = EncryptedDateField("date de naissance")
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
    # Keyed HMACs (privacy/blind_index.py), recomputed by `manage.py rotate_blind_index`:
    # one per normalised name word, and one of the whole identity for silent matching.
    name_words = models.TextField(editable=False, default="")
    match_key = models.CharField(max_length=64, editable=False, unique=True)
    # Set by the retention job when the identity and its blind indexes are removed.
    anonymised_on = models.DateField("anonymisé le", null=True, blank=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = "agent"
        # Neither by name (encrypted) nor by id (its age would tell that someone knew the
        # person before): by the blind index, an order that means nothing. A page shown is
        # sorted by name after decryption (`by_name`).
        ordering = ["match_key"]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.index_identity()
        super().save(*args, **kwargs)

    def index_identity(self) -> None:
        """Compute the blind indexes from the names and birth date (before a bulk insert)."""
        self.name_words = word_index(f"{self.last_name} {self.first_name}")
        self.match_key = match_key(self.last_name, self.first_name, self.birth_date)


def by_name(employees) -> list[Employee]:
    """Employees sorted by name, accents and case ignored, once decrypted (a page, not a
    table: the database cannot order encrypted names)."""
    return sorted(
        employees,
        key=lambda e: (normalise(e.last_name), normalise(e.first_name), e.match_key),
    )
