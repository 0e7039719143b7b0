import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from polesocial.billing.rules import YEARS


def int_param(request, name: str) -> int | None:
    """The integer in the query string's `name`, None when absent or not one."""
    return _int(request.GET.get(name, ""))


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:  # absent, words, "²" (a digit int() refuses), 5,000 digits
        return None


def year_param(request) -> int:
    """The year to show: the one asked for, or this year when it is absent or not valid."""
    year = _int(request.GET.get("annee", ""))
    return year if year in YEARS else timezone.localdate().year


def year_to_write(request) -> int | None:
    """The year a write is for: never a default in its stead (None when not valid)."""
    year = _int(request.GET.get("annee", ""))
    return year if year in YEARS else None


def quarter_param(request) -> int:
    value = request.GET.get("trimestre", "")
    if value in {"1", "2", "3", "4"}:
        return int(value)
    today = timezone.localdate()
    # By default the last quarter that has ended: the one to bill.
    return (today.month - 1) // 3 or 4


def date_param(request, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()


def show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
