"""Validation rules of organisation data."""

import re

from django.core.exceptions import ValidationError

# La Poste's establishments share one SIREN and are numbered outside the Luhn rule: their
# SIRET is valid when the sum of its digits is a multiple of 5 (INSEE).
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    return "".join(value.split())


def is_fourteen_digits(siret: str) -> bool:
    # Not str.isdigit(): it accepts « ² », which int() refuses, and Arabic-Indic digits.
    return re.fullmatch(r"[0-9]{14}", siret) is not None


def siret_is_valid(value: str) -> bool:
    siret = normalise_siret(value)
    if not is_fourteen_digits(siret):
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00048":
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def validate_siret(value: str) -> None:
    siret = normalise_siret(value)
    if not is_fourteen_digits(siret):
        raise ValidationError("Le SIRET compte 14 chiffres.", code="siret_format")
    if not siret_is_valid(siret):
        raise ValidationError(
            "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas.", code="siret_key"
        )


def normalise_bank_code(value: str) -> str:
    return "".join(value.split()).upper()


def validate_iban(value: str) -> None:
    """An IBAN with its country's length and a right check (python-stdnum)."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError as InvalidNumber

    try:
        iban.validate(normalise_bank_code(value))
    except InvalidNumber:
        raise ValidationError(
            "Cet IBAN n'est pas valide : vérifiez sa longueur et sa clé.", code="iban"
        ) from None


def validate_bic(value: str) -> None:
    """A BIC of 8 or 11 characters naming a bank, a country and a place (python-stdnum)."""
    from stdnum import bic
    from stdnum.exceptions import ValidationError as InvalidNumber

    try:
        bic.validate(normalise_bank_code(value))
    except InvalidNumber:
        raise ValidationError(
            "Ce BIC n'est pas valide : 8 ou 11 caractères (banque, pays, lieu).", code="bic"
        ) from None
