from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from polesocial.aid import budget as money
from polesocial.aid.enums import (
    CommitteeScope,
    DecisionOutcome,
    Funder,
    MembershipBody,
    Payee,
    PaymentMode,
    SchemeKind,
)
from polesocial.core.forms import VersionedFormMixin
from polesocial.privacy.names import NAMES_CONFIRMATION

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0, "localize": True}
LINES_HELP = "Une ligne par poste : libellé ; montant mensuel (par exemple « Loyer ; 520,00 »)."


class _RawCheckboxInput(forms.CheckboxInput):
    def value_from_datadict(self, data, files, name):
        return data.get(name, False)  # the posted text, for the field to judge


class Checkbox(forms.BooleanField):
    """A checkbox that refuses anything but what a browser posts for it (a forged value,
    a NUL byte): Django's BooleanField reads any non-empty text as ticked."""

    widget = _RawCheckboxInput
    TICKED = ("on", "true", "True", "1")

    def to_python(self, value):
        if value in (None, "", False, "false", "False", "0") or value is True:
            return bool(value)
        if isinstance(value, str) and value in self.TICKED:
            return True
        raise ValidationError("Valeur de case à cocher invalide.", code="invalid")


def parse_lines(text: str) -> list[tuple[str, str]]:
    lines = []
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        label, sep, amount = raw.rpartition(";")
        if not sep:
            raise ValidationError(f"Ligne sans montant : « {raw.strip()[:60]} ». {LINES_HELP}")
        lines.append((label.strip(), amount.strip()))
    money.budget_lines(lines)  # refuses a bad amount in French
    return lines


class AidRequestForm(DsfrBaseForm):
    """Préparer une demande d'aide: scheme, amount, motive, household budget, summary."""

    scheme = forms.ModelChoiceField(label="Dispositif", queryset=None, empty_label="Choisir…")
    amount_requested = forms.DecimalField(label="Montant demandé (€)", **MONEY)
    justification = forms.CharField(
        label="Motif de la demande (reste dans le dossier)", widget=forms.Textarea({"rows": 3})
    )
    incomes = forms.CharField(
        label="Ressources mensuelles du foyer",
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=LINES_HELP,
    )
    expenses = forms.CharField(
        label="Charges mensuelles du foyer",
        widget=forms.Textarea({"rows": 4}),
        required=False,
        help_text=LINES_HELP,
    )
    adults = forms.IntegerField(label="Adultes du foyer", min_value=1, max_value=20, initial=1)
    children = forms.IntegerField(label="Enfants à charge", min_value=0, max_value=20, initial=0)
    committee_summary = forms.CharField(
        label="Situation présentée à la commission",
        widget=forms.Textarea({"rows": 4}),
        required=False,
        help_text="Lue par la commission : ni nom, ni date de naissance, ni détail qui "
        "permette de reconnaître l'agent.",
    )
    urgent = Checkbox(label="Demande urgente", required=False)
    names_confirmed = Checkbox(label=NAMES_CONFIRMATION, required=False)

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes

    def clean_incomes(self):
        return parse_lines(self.cleaned_data["incomes"])

    def clean_expenses(self):
        return parse_lines(self.cleaned_data["expenses"])


class PaymentForm(DsfrBaseForm):
    paid_on = forms.DateField(label="Date du versement", widget=DATE_WIDGET)
    amount = forms.DecimalField(label="Montant (€)", **MONEY)
    mode = forms.ChoiceField(label="Mode", choices=PaymentMode.choices)
    payee = forms.ChoiceField(label="Bénéficiaire", choices=Payee.choices)
    payee_name = forms.CharField(label="Tiers bénéficiaire", required=False, max_length=200)


class LoanScheduleForm(DsfrBaseForm):
    count = forms.IntegerField(label="Nombre d'échéances mensuelles", min_value=1, max_value=120)
    first_due_on = forms.DateField(label="Première échéance", widget=DATE_WIDGET)


class DecisionForm(DsfrBaseForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="Décision", choices=DecisionOutcome.choices)
    amount = forms.DecimalField(label="Montant accordé (€)", required=False, **MONEY)
    motive = forms.CharField(label="Motif", widget=forms.Textarea({"rows": 2}), required=False)
    decided_on = forms.DateField(label="Date de la décision", widget=DATE_WIDGET)
    confirm_beyond_budget = Checkbox(
        label="Je confirme cette décision au-delà du budget restant", required=False
    )

    def full_clean(self):
        super().full_clean()
        # The file's id is a hidden field, whose error would show nowhere: at the top.
        errors = getattr(self, "_errors", None)
        if errors and "request" in errors:
            del errors["request"]
            self.add_error(None, "Dossier introuvable : rechargez la page et recommencez.")


class ScheduleForm(DsfrBaseForm):
    request = forms.ModelChoiceField(label="Dossier déposé", queryset=None, empty_label="Choisir…")

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = requests
        self.fields["request"].label_from_instance = lambda r: (
            f"{r.committee_number} — {r.amount_requested} €{' (urgente)' if r.urgent else ''}"
        )


class SchemeForm(VersionedFormMixin, DsfrBaseForm):
    """A scheme of the catalogue; when it changes one, it carries the version seen."""

    name = forms.CharField(label="Intitulé", max_length=200)
    funder = forms.ChoiceField(label="Financeur", choices=Funder.choices)
    kind = forms.ChoiceField(label="Nature", choices=SchemeKind.choices)
    conditions = forms.CharField(
        label="Conditions d'attribution", widget=forms.Textarea({"rows": 3}), required=False
    )
    ceiling = forms.DecimalField(label="Plafond (€)", required=False, **MONEY)
    reference = forms.CharField(label="Référence", max_length=200, required=False)
    valid_from = forms.DateField(label="Valable du", widget=DATE_WIDGET, required=False)
    valid_until = forms.DateField(label="Valable jusqu'au", widget=DATE_WIDGET, required=False)
    employer = forms.ModelChoiceField(
        label="Employeur (aide propre à un employeur)", queryset=None, required=False
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


class BudgetForm(DsfrBaseForm):
    funder = forms.ChoiceField(label="Financeur", choices=Funder.choices)
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    employer = forms.ModelChoiceField(label="Employeur", queryset=None, required=False)
    allocated = forms.DecimalField(label="Montant alloué (€)", **MONEY)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


class SessionForm(DsfrBaseForm):
    committee = forms.ModelChoiceField(label="Commission", queryset=None, empty_label="Choisir…")
    held_on = forms.DateField(label="Date de la séance", widget=DATE_WIDGET)
    quorum = forms.IntegerField(label="Quorum", min_value=1, max_value=50, initial=3)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class UndertakingForm(DsfrBaseForm):
    accept = Checkbox(
        label="Je m'engage à garder confidentiel tout ce dont j'ai connaissance en commission",
        error_messages={"required": "Cochez l'engagement pour le signer."},
    )


class AttendanceForm(DsfrBaseForm):
    present = forms.ModelMultipleChoiceField(
        label="Membres présents", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members
        self.fields["present"].label_from_instance = lambda user: user.full_name


class _EmployerForm(DsfrBaseForm):
    employer = forms.ModelChoiceField(label="Employeur", queryset=None, empty_label="Choisir…")

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


class MembershipForm(_EmployerForm):
    body = forms.ChoiceField(label="Organisme", choices=MembershipBody.choices)
    body_name = forms.CharField(label="Précision", max_length=200, required=False)
    starts_on = forms.DateField(label="Depuis le", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Jusqu'au", widget=DATE_WIDGET, required=False)
    employees_covered = forms.IntegerField(
        label="Agents couverts", min_value=0, max_value=1_000_000, required=False
    )


class ProviderForm(_EmployerForm):
    name = forms.CharField(label="Nom", max_length=200)
    service = forms.CharField(label="Prestation", max_length=200)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    ends_on = forms.DateField(label="Référencé jusqu'au", widget=DATE_WIDGET, required=False)


class CatalogueCloseForm(DsfrBaseForm):
    """The day a catalogue entry ends (kept in the catalogue, marked ended)."""

    ends_on = forms.DateField(label="Dernier jour de validité", widget=DATE_WIDGET)


class CommitteeForm(DsfrBaseForm):
    """A committee, its perimeter and its members (the counsellor organises them)."""

    name = forms.CharField(label="Nom", max_length=200)
    scope = forms.ChoiceField(label="Périmètre", choices=CommitteeScope.choices)
    employer = forms.ModelChoiceField(
        label="Employeur (commission d'un employeur)", queryset=None, required=False
    )
    team = forms.ModelChoiceField(label="Équipe (commission d'une équipe)", queryset=None,
                                  required=False)  # fmt: skip
    members = forms.ModelMultipleChoiceField(
        label="Membres", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Les séances à venir convoquent les membres ainsi choisis.",
    )  # fmt: skip

    def __init__(self, *args, employers, teams, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["team"].queryset = teams
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda user: (
            f"{user.full_name} ({user.get_role_display()})"
        )
