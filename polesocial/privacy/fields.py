"""Model fields whose content is encrypted in the database (see crypto.py)."""

from django.apps import apps
from django.core.exceptions import FieldError
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
