"""Validation rules of organisation data."""

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


def siret_is_valid(value: str) -> bool:
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00048":
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def validate_siret(value: str) -> None:
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError("Le SIRET compte 14 chiffres.", code="siret_format")
    if not siret_is_valid(siret):
        raise ValidationError(
            "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas.", code="siret_key"
        )
