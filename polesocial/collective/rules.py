"""The rules of collective work: checks with French messages, the name check, time split.

Pure functions (a few read the database); the services and the forms both call them, so
that the screens and the API refuse the same input with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

# The name check lives in privacy (the reports' analysis uses it too); re-exported here for
# the collective forms, services and API, which read it as `rules.…`.
from polesocial.privacy.names import NAME_WARNING as NAME_WARNING
from polesocial.privacy.names import NAMES_CONFIRMATION as NAMES_CONFIRMATION
from polesocial.privacy.names import field_naming as field_naming
from polesocial.privacy.names import names_found as names_found

END_BEFORE_START = "La fin ne peut pas précéder le début."


# --- Field checks --------------------------------------------------------------------------


def validate_duration(minutes: int) -> None:
    if minutes < 0:
        raise ValidationError("La durée ne peut pas être négative.", code="negative")
    if minutes == 0:
        raise ValidationError("Indiquez une durée d'au moins une minute.", code="zero")


def validate_preparation(minutes: int) -> None:
    if minutes < 0:
        raise ValidationError("Le temps de préparation ne peut pas être négatif.", code="negative")


def validate_count(count: int) -> None:
    if count < 0:
        raise ValidationError(
            "Un nombre de participants ne peut pas être négatif.", code="negative"
        )


def check_dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": END_BEFORE_START})


# --- Attendance -------------------------------------------------------------------------------


@dataclass
class Attendance:
    """The attendance to record, or the errors (by field, and by employer row)."""

    total: int | None
    shares: list[int | None]
    errors: dict[str, str] = field(default_factory=dict)
    share_errors: dict[int, str] = field(default_factory=dict)

    def as_validation_error(self) -> ValidationError:
        errors: dict[str, list[str]] = {name: [message] for name, message in self.errors.items()}
        if self.share_errors:
            errors["employers"] = [
                f"Employeur n° {index + 1} : {message}"
                for index, message in sorted(self.share_errors.items())
            ]
        return ValidationError(errors)


def headcount_of(employer, year: int) -> int | None:
    """The employer's declared staff for the year (None: unknown, nothing to check)."""
    from polesocial.organisations.models import Headcount

    return (
        Headcount.objects.filter(employer=employer, year=year)
        .values_list("total", flat=True)
        .first()
    )


def _above_headcount(employer, year: int, count: int | None) -> str | None:
    if count is None:
        return None
    headcount = headcount_of(employer, year)
    if headcount is None or count <= headcount:
        return None
    return (
        f"{count} participants : c'est plus que l'effectif de {employer} "
        f"en {year} ({headcount} agents)."
    )


def check_attendance(
    *,
    year: int,
    total: int | None,
    shares: Sequence[tuple[object, int | None]],
    categories: Sequence[int | None] = (),
) -> Attendance:
    """Check the attendance of an action held in `year` for the employers of `shares`.

    One employer: its attendance is the total. Several: when every employer's attendance
    is given, they add up to the total (which may be left out); otherwise they may not
    exceed it. No employer's attendance may exceed its headcount for the year (when one is
    known); a total spread over several employers may not exceed their summed headcounts.
    The attendance by category (A, B, C) adds up to the total when all three are given,
    and never exceeds it.
    """
    counts = [count for _, count in shares]
    result = Attendance(total=total, shares=list(counts))
    if len(shares) == 1:
        _single_employer(result, shares[0][0], year)
    else:
        _several_employers(result, shares, year)
    _check_categories(result, categories)
    return result


def _single_employer(result: Attendance, employer, year: int) -> None:
    total, count = result.total, result.shares[0]
    if total is not None and count is not None and total != count:
        result.errors["attendance"] = (
            f"Avec un seul employeur, le total ({total}) est le nombre de participants de "
            f"cet employeur ({count}) : corrigez l'un des deux."
        )
        return
    result.total = result.shares[0] = total if total is not None else count
    excess = _above_headcount(employer, year, result.total)
    if excess and total is not None:
        result.errors["attendance"] = excess
    elif excess:  # the figure was given on the employer's row
        result.share_errors[0] = excess


def _several_employers(result: Attendance, shares, year: int) -> None:
    given = [count for count in result.shares if count is not None]
    for index, (employer, count) in enumerate(shares):
        excess = _above_headcount(employer, year, count)
        if excess:
            result.share_errors[index] = excess
    if given and len(given) == len(shares):
        if result.total is None:
            result.total = sum(given)
        elif result.total != sum(given):
            result.errors["attendance"] = (
                f"La somme des participants par employeur ({sum(given)}) ne correspond pas "
                f"au total ({result.total})."
            )
        return
    if result.total is not None and sum(given) > result.total:
        result.errors["attendance"] = (
            f"La somme des participants par employeur ({sum(given)}) dépasse le total "
            f"({result.total})."
        )
    elif result.total is not None and not given:
        headcounts = [headcount_of(employer, year) for employer, _ in shares]
        if None not in headcounts and result.total > sum(headcounts):  # type: ignore[arg-type]
            result.errors["attendance"] = (
                f"{result.total} participants : c'est plus que l'effectif cumulé de ces "
                f"employeurs en {year} ({sum(headcounts)} agents)."  # type: ignore[arg-type]
            )


def _check_categories(result: Attendance, categories: Sequence[int | None]) -> None:
    given = [count for count in categories if count is not None]
    if not given:
        return
    if result.total is None:
        result.errors["attendance"] = (
            "Indiquez le nombre total de participants avant leur répartition par catégorie."
        )
    elif len(given) == 3 and sum(given) != result.total:
        result.errors["attendance_category_a"] = (
            f"La répartition par catégorie ({sum(given)}) ne correspond pas au total "
            f"({result.total})."
        )
    elif sum(given) > result.total:
        result.errors["attendance_category_a"] = (
            f"La répartition par catégorie ({sum(given)}) dépasse le total ({result.total})."
        )


# --- Time per employer ---------------------------------------------------------------------


def split_minutes(
    minutes: int, keys: Sequence[int], weights: Sequence[int | None]
) -> list[tuple[int, int]]:
    """Share `minutes` between `keys`, pro rata to `weights`, equally when a weight is
    missing or all are zero; whole minutes adding up exactly to `minutes`.

    The minutes left after rounding down go one each to the largest remainders (ties:
    the first key), so that the split never depends on anything but its inputs.
    """
    if not keys:
        return []
    if any(w is None for w in weights) or not sum(weights):  # type: ignore[arg-type]
        weights = [1] * len(keys)
    total_weight = sum(weights)  # type: ignore[arg-type]
    exact = [minutes * w / total_weight for w in weights]  # type: ignore[operator]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(keys)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[: minutes - sum(shares)]:
        shares[index] += 1
    return list(zip(keys, shares, strict=True))
