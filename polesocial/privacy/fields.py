"""Model fields whose content is encrypted in the database (see crypto.py)."""

import datetime as dt

from django import forms
from django.apps import apps
from django.core.exceptions import FieldError, ValidationError
from django.db import models

from polesocial.privacy.crypto import decrypt, encrypt


class EncryptedLookupError(FieldError):
    """A query that compares encrypted content, which the database cannot do."""

    def __init__(self, field: models.Field, lookup_name: str):
        super().__init__(
            f"Le champ chiffré « {field.name} » n'accepte pas la recherche « {lookup_name} » : "
            "son contenu est chiffré avec un aléa, la base ne peut pas le comparer. "
            "Seul « isnull » est possible."
        )


class EncryptedTextField(models.TextField):
    """A TextField stored as a Fernet token; None and "" are stored as they are.

    Only `isnull` can be queried: every encryption of the same text differs, so equality,
    containment or ordering on the column mean nothing.
    """

    description = "Texte chiffré"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise EncryptedLookupError(self, lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        # Transforms (lower, unaccent…) would run on the ciphertext: refuse them as well.
        raise EncryptedLookupError(self, lookup_name)


class EncryptedDateField(EncryptedTextField):
    """A date stored as the Fernet token of its ISO form (YYYY-MM-DD); read back as a date.

    Like EncryptedTextField, nothing but `isnull` can be queried: a query on the year or an
    age must read a value kept for that purpose (a case keeps the birth year, in clear).
    """

    description = "Date chiffrée"
    # What django-stubs' mypy plugin reads: a date in and out, like a DateField.
    _pyi_private_set_type: dt.date | str  # type: ignore[assignment]
    _pyi_private_get_type: dt.date  # type: ignore[assignment]
    _invalid = "Saisissez une date valide."

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if value is None or value == "" or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(self._invalid, code="invalid") from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None or value == "":
            return value
        return encrypt(value.isoformat())

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return dt.date.fromisoformat(decrypt(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        # Field's, not TextField's: no text area and no max_length for a date.
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) that stores an EncryptedTextField in its own table.

    Proxy models and fields inherited from a concrete parent are left out, so that each
    column appears once (this is what `rotate_keys` walks through).
    """
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField) and field.model is model
    ]
