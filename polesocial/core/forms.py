"""What the forms of every app share: a service's refusal shown beside the fields (or, for a
button without a form, as a message), and the version of an editable record (a conflict
shows both versions)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models

from polesocial.core.versioning import VersionConflict

NO_VALUE = "—"
VERSION_UNREADABLE = (
    "La version de la fiche envoyée par la page est illisible : rechargez la page et "
    "recommencez votre saisie."
)


class ConflictRow(NamedTuple):
    label: str
    theirs: str
    yours: str


if TYPE_CHECKING:  # the mixin is used with a form class; type checkers see it as one
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class VersionedFormMixin(_FormBase):
    """A form that changes an editable record: it carries the version the user saw.

    The view passes `version=record.version` when it shows the form (a model form takes its
    instance's; a form that creates has none) and gives the service
    `cleaned_data["version"]`. When another person saved the record meanwhile, `saved()`
    calls `show_conflict`: `conflict` lists, field by field, the values saved by the other
    person beside the user's (still in the form, nothing lost), and the hidden version
    becomes the saved one, so that saving again is a deliberate choice.
    """

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = instance.version
        self.conflict: list[ConflictRow] = []
        if version is not None:  # not when the form creates the record
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=1, initial=version
            )

    def full_clean(self):
        super().full_clean()
        # A hidden field's error would show nowhere: it goes to the top of the form.
        errors = getattr(self, "_errors", None)
        if errors and "version" in errors:
            del errors["version"]
            self.add_error(None, VERSION_UNREADABLE)

    def values_of(self, record) -> dict[str, Any]:
        """The record's values under the form's field names (override where they differ)."""
        return {name: getattr(record, name) for name in self.fields if hasattr(record, name)}

    def show_conflict(self, conflict: VersionConflict) -> None:
        """Both versions side by side; saving again will overwrite the other's."""
        theirs = self.values_of(conflict.current)
        yours = getattr(self, "cleaned_data", {})
        self.conflict = [
            ConflictRow(
                str(field.label), _shown(field, theirs[name]), _shown(field, yours.get(name))
            )
            for name, field in self.fields.items()
            if name != "version" and name in theirs and not field.widget.is_hidden
        ]
        data: Any = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data[self.add_prefix("version")] = str(conflict.current.version)
        self.data = data


class VersionedForm(VersionedFormMixin, forms.Form):
    pass


def _shown(field: forms.Field, value) -> str:
    """A value as the person reads it: choices by their label, dates in French."""
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        values = list(value.all()) if hasattr(value, "all") else list(value)
        return ", ".join(_shown(field, one) for one in values) or NO_VALUE
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, models.Model):
        return str(value)
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, choices.get(str(value), value)))


def apply_service_error(form: forms.Form, error: ValidationError, field: str | None = None):
    """Put a service's ValidationError beside the form's field of the same name.

    Messages for a name the form has no field for, and messages without a name, go to
    `field` when given, else to the top of the form. Another person's change during the
    input (VersionConflict) also shows both versions on a VersionedFormMixin form.
    """
    if isinstance(error, VersionConflict) and isinstance(form, VersionedFormMixin):
        form.show_conflict(error)
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
    said = (lambda _result: success(form.cleaned_data)) if callable(success) else success
    return done(
        request,
        lambda: write(form.cleaned_data),
        said,
        refused=lambda error: apply_service_error(form, error, field),
    )


def done(request, write, success=None, *, refused=None) -> Saved | None:
    """`saved` for a button without a form (cancel, take, issue…): run `write()` (a service
    call) and say `success`.

    `success` is the French message, or a function of the service's result that makes it.
    A refusal (ValidationError) becomes one error message per service message, for the page
    the view redirects to (`refused(error)` shows it otherwise: `saved` puts it beside the
    form's fields); None then.
    """
    try:
        result = write()
    except ValidationError as error:
        if refused is not None:
            refused(error)
        else:
            for text in error.messages:
                messages.error(request, text)
        return None
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return Saved(result)
