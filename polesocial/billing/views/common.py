import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone


def year_param(request) -> int:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:  # absent, words, "²" (a digit int() refuses), 5,000 digits
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


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
