"""Forms of collective work: French labels and messages beside the field.

The checks themselves live in `collective.rules` (and the services run them again): the
forms call them early so that each message lands beside the field it is about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm
from dsfr.widgets import InlineCheckboxSelectMultiple

from polesocial.collective import rules, services
from polesocial.collective.enums import ActionKind, ActionTheme, Body, RiskKind
from polesocial.collective.models import Alert, BodyMeeting, CollectiveAction
from polesocial.collective.serializers import MAX_COUNT
from polesocial.core import forms as core_forms
from polesocial.directory.models import Partner
from polesocial.organisations.forms import DATE_WIDGET, DsfrModelForm
from polesocial.organisations.labels import choices
from polesocial.organisations.models import Employer

TEXTAREA = forms.Textarea(attrs={"rows": 4})


# The mixin goes in front of a form class; type checkers see it as one.
if TYPE_CHECKING:
    _FormBase = forms.Form
else:
    _FormBase = object


class NamesCheckMixin(_FormBase):
    """Adds the confirmation box of the name check, and runs the check.

    The box is shown once the warning has been given (`show_confirmation`), or when it
    is already ticked; the warning itself sits beside the text that names someone.
    """

    checked_texts: tuple[str, ...] = ()

    def add_confirmation_field(self) -> None:
        _french_empty_choice(self)
        self.fields["names_confirmed"] = forms.BooleanField(
            label=rules.NAMES_CONFIRMATION, required=False
        )
        self.name_warning = False

    @property
    def show_confirmation(self) -> bool:
        return self.name_warning or bool(self["names_confirmed"].value())

    def check_names(self, *, actor, employers) -> bool:
        """True when the texts may be saved; otherwise the warning is beside the text."""
        data = self.cleaned_data
        if data.get("names_confirmed"):
            return True
        texts = {name: data.get(name) or "" for name in self.checked_texts}
        field = services.names_check(actor=actor, employers=employers, texts=texts)
        if field is not None:
            self.add_error(field, rules.NAME_WARNING)
            self.name_warning = True
            return False
        return True


def _french_empty_choice(form) -> None:
    """Show « Choisir… » rather than Django's "---------" for the empty choice.

    DsfrModelForm does it for lists of choices; a model field's choices now come as a lazy
    BlankChoiceIterator, which it misses.
    """
    for field in form.fields.values():
        choices = getattr(field, "choices", None)
        if choices is None or isinstance(field, forms.ModelChoiceField):
            continue
        choices = list(choices)
        if choices and choices[0] == ("", "---------"):
            field.choices = [("", "Choisir…"), *choices[1:]]


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """The shared one (core.forms), noting whether the name check spoke: the form then
    shows its confirmation box."""
    if rules.NAME_WARNING in error.messages:
        form.name_warning = True  # type: ignore[attr-defined]
    core_forms.apply_service_error(form, error)


def _employer_field(employers, label: str = "Employeur") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=employers, empty_label="Choisir…", required=False
    )


# --- Collective actions ------------------------------------------------------------------


class CollectiveActionForm(core_forms.VersionedFormMixin, NamesCheckMixin, DsfrModelForm):
    checked_texts = services.CHECKED_TEXTS[CollectiveAction]

    partners = forms.ModelMultipleChoiceField(
        label="Partenaires",
        queryset=Partner.objects.none(),
        required=False,
        widget=InlineCheckboxSelectMultiple,
    )

    class Meta:
        model = CollectiveAction
        fields = [
            "title",
            "kind",
            "theme",
            "starts_on",
            "ends_on",
            "duration_minutes",
            "preparation_minutes",
            "partners",
            "attendance",
            "attendance_category_a",
            "attendance_category_b",
            "attendance_category_c",
            "satisfaction",
            "evaluation",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET, "evaluation": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choisir…"), *choices("collective_action_kind")]
        partners = Partner.objects.active()
        if self.instance.pk:  # a partner since made inactive stays ticked
            partners = partners | Partner.objects.filter(collective_actions=self.instance)
        self.fields["partners"].queryset = partners.distinct().order_by("name", "pk")
        self.fields["satisfaction"].choices = [
            ("", "Non évaluée"),
            *self.fields["satisfaction"].choices[1:],
        ]
        self.add_confirmation_field()


class ShareForm(DsfrBaseForm):
    """One employer of the action and its staff's attendance (a blank row is ignored).

    Its fields are built per row (numbered labels), after DsfrBaseForm's initialisation:
    the DSFR classes are then added when they render.
    """

    def __init__(self, *args, employers=None, number: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "employer": _employer_field(employers, f"Employeur {number}"),
            "attendance": forms.IntegerField(
                label=f"Participants de l'employeur {number}",
                required=False,
                max_value=MAX_COUNT,  # as the API: more would not fit the column (a 500)
                validators=[rules.validate_count],
            ),
        }

    def clean(self):
        data = super().clean()
        if data.get("attendance") is not None and not data.get("employer"):
            self.add_error("employer", "Choisissez l'employeur de ces participants.")
        return data


class BaseShareFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}


ShareFormSet = forms.formset_factory(
    ShareForm, formset=BaseShareFormSet, extra=2, max_num=50, absolute_max=50
)


def share_formset(data=None, *, employers, action: CollectiveAction | None = None):
    initial = []
    if action is not None and action.pk:
        initial = [
            {"employer": share.employer, "attendance": share.attendance}
            for share in action.employer_shares.all()
        ]
    elif employers.count() == 1:
        initial = [{"employer": employers.first()}]
    return ShareFormSet(
        data, initial=initial, prefix="employeurs", form_kwargs={"employers": employers}
    )


def action_input(form: CollectiveActionForm, formset, *, actor) -> dict | None:
    """The service's arguments from the form and the employers' rows, or None when a
    message was added beside a field.

    The form and the rows are validated together, and the attendance as soon as the date
    and the rows are, so that every message shows at once; the name check runs last, on
    input otherwise valid (each of its matches is journaled).
    """
    valid = form.is_valid()
    rows_valid = formset.is_valid()
    rows = []
    if rows_valid:
        rows = [
            (index, row.cleaned_data["employer"], row.cleaned_data.get("attendance"))
            for index, row in enumerate(formset.forms)
            if row.cleaned_data.get("employer")
        ]
        rows_valid = _rows_valid(formset, rows)
    data = dict(form.cleaned_data)
    if rows_valid and data.get("starts_on"):
        check = rules.check_attendance(
            year=data["starts_on"].year,
            total=data.get("attendance"),
            shares=[(employer, count) for _, employer, count in rows],
            categories=[data.get(f"attendance_category_{c}") for c in "abc"],
        )
        for name, message in check.errors.items():
            form.add_error(name, message)
        for position, message in check.share_errors.items():
            formset.forms[rows[position][0]].add_error("attendance", message)
        rows_valid = not (check.errors or check.share_errors)
    if not (valid and rows_valid):
        return None
    if not form.check_names(actor=actor, employers=[employer for _, employer, _ in rows]):
        return None
    data["employers"] = [(employer, count) for _, employer, count in rows]
    return data


def _rows_valid(formset, rows) -> bool:
    if not rows:
        message = "Choisissez au moins un employeur."
        if formset.forms:
            formset.forms[0].add_error("employer", message)
        else:  # a row count forged to 0 or less: no row to put the message beside
            formset.non_form_errors().append(message)
        return False
    seen: set[int] = set()
    for index, employer, _ in rows:
        if employer.pk in seen:
            formset.forms[index].add_error("employer", "Cet employeur figure déjà plus haut.")
            return False
        seen.add(employer.pk)
    return True


# --- Body meetings -----------------------------------------------------------------------


class BodyMeetingForm(core_forms.VersionedFormMixin, NamesCheckMixin, DsfrModelForm):
    checked_texts = services.CHECKED_TEXTS[BodyMeeting]

    class Meta:
        model = BodyMeeting
        fields = [
            "employer",
            "body",
            "held_on",
            "duration_minutes",
            "preparation_minutes",
            "topics",
            "follow_ups",
        ]
        widgets = {"held_on": DATE_WIDGET, "topics": TEXTAREA, "follow_ups": TEXTAREA}

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.add_confirmation_field()


# --- Alerts ------------------------------------------------------------------------------


class AlertEmployerForm(DsfrBaseForm):
    """First step of a new alert: the employer it is about (its contacts come next)."""

    employeur = forms.ModelChoiceField(
        label="Employeur concerné", queryset=Employer.objects.none(), empty_label="Choisir…"
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employeur"].queryset = employers


class AccountsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class AlertForm(core_forms.VersionedFormMixin, NamesCheckMixin, DsfrModelForm):
    checked_texts = services.CHECKED_TEXTS[Alert]

    class Meta:
        model = Alert
        fields = ["raised_on", "risk", "description", "addressees", "follow_up"]
        widgets = {
            "raised_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 6}),
            "addressees": forms.CheckboxSelectMultiple,
            "follow_up": TEXTAREA,
        }
        field_classes = {"addressees": AccountsField}
        help_texts = {
            "addressees": "Les correspondant·e·s RH de cet employeur ; chacun·e est notifié·e.",
            "follow_up": "Réponse de l'employeur, mesures prises ; sans nommer personne.",
        }

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        self.fields["addressees"].queryset = services.alert_recipients(employer)  # type: ignore[attr-defined]
        self.add_confirmation_field()


# --- List filters ------------------------------------------------------------------------


def _choice(label: str, choices, empty: str = "Tous") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", empty), *choices], required=False)


class ListFilterForm(DsfrBaseForm):
    """Year and employer, for every list; subclasses add their own code lists."""

    annee = forms.TypedChoiceField(label="Année", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, employers, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes"), *((y, y) for y in years)]
        self.fields["employeur"] = forms.ModelChoiceField(
            label="Employeur", queryset=employers, required=False, empty_label="Tous"
        )


class ActionFilterForm(ListFilterForm):
    nature = _choice("Nature", ActionKind.choices, "Toutes")
    theme = _choice("Thème", ActionTheme.choices)


class MeetingFilterForm(ListFilterForm):
    instance = _choice("Instance", Body.choices, "Toutes")


class AlertFilterForm(ListFilterForm):
    risque = _choice("Nature du risque", RiskKind.choices)
