"""What the forms of every app share: a service's refusal shown beside the fields."""

from __future__ import annotations

from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


def apply_service_error(form: forms.Form, error: ValidationError, field: str | None = None):
    """Put a service's ValidationError beside the form's field of the same name.

    Messages for a name the form has no field for, and messages without a name, go to
    `field` when given, else to the top of the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(field, error.messages)
        return
    for name, field_messages in error.message_dict.items():
        form.add_error(name if name in form.fields else field, field_messages)


class Saved(NamedTuple):
    """A write the service accepted (always true, even when the service returns nothing)."""

    result: Any


def saved(request, form: forms.Form, write, success=None, *, field=None) -> Saved | None:
    """Run `write(cleaned_data)` (a service call) for a valid form and say `success`.

    `success` is the French message, or a function of the cleaned data that makes it; a
    view whose message names what the service made leaves it out and says it from
    `.result`. `field` takes the service's messages that name no field of the form
    (apply_service_error). None when the form is not valid or the service refused: its
    errors are then beside the fields, and the view shows the form again.
    """
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as error:
        apply_service_error(form, error, field)
        return None
    if success is not None:
        messages.success(request, success(form.cleaned_data) if callable(success) else success)
    return Saved(result)
