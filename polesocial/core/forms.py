"""What the forms of every app share: a service's refusal shown beside the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_service_error(form: forms.Form, error: ValidationError, field: str | None = None):
    """Put a service's ValidationError beside the form's field of the same name.

    Messages for a name the form has no field for, and messages without a name, go to
    `field` when given, else to the top of the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(field, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else field, messages)
