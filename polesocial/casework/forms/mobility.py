"""Forms of the mobility hand-off (the worker) and of the adviser's follow-up."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm

from polesocial.casework.enums import HandoffKind, MobilityFollowUpKind

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class AdviserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class HandoffForm(DsfrBaseForm):
    adviser = AdviserChoiceField(
        label="Conseillère ou conseiller mobilité", queryset=None, empty_label="Choisir…"
    )
    kind = forms.ChoiceField(label="Nature", choices=HandoffKind.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note de relais",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que la conseillère mobilité lira, et elle seulement : situation "
        "d'emploi, démarches en cours, attentes de l'agent. Ni notes d'entretien, ni santé, "
        "ni aides.",
    )

    def __init__(self, *args, advisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers


class FollowUpForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Nature du suivi", choices=MobilityFollowUpKind.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    minutes = forms.IntegerField(label="Temps passé (minutes)", min_value=0, max_value=24 * 60)
    note = forms.CharField(
        label="Compte rendu",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
