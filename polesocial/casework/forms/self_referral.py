"""The public page's form: an employee asks the social service to call him back."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm

from polesocial.casework.forms.referrals import EmployerChoiceField

MESSAGE_MAX_LENGTH = 1000
# The field robots fill in and people never see (hidden from screens and screen readers).
HONEYPOT = "site_web"
HONEYPOT_FILLED = (
    "Votre demande n'a pas pu être envoyée. Si vous êtes bien un agent, appelez directement "
    "le service social."
)


class SelfReferralForm(DsfrBaseForm):
    employer = EmployerChoiceField(
        label="Votre employeur",
        queryset=None,
        empty_label="Choisir…",
        error_messages={
            "required": "Choisissez votre employeur.",
            "invalid_choice": "Choisissez votre employeur dans la liste.",
        },
    )
    last_name = forms.CharField(
        label="Votre nom", max_length=150, error_messages={"required": "Indiquez votre nom."}
    )
    first_name = forms.CharField(
        label="Votre prénom",
        max_length=150,
        error_messages={"required": "Indiquez votre prénom."},
    )
    contact = forms.CharField(
        label="Comment vous joindre",
        max_length=200,
        help_text="Un numéro de téléphone ou une adresse électronique personnelle, et si vous "
        "le souhaitez les moments où vous êtes joignable.",
        error_messages={"required": "Indiquez un téléphone ou une adresse électronique."},
    )
    message = forms.CharField(
        label="Quelques mots (facultatif)",
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"{MESSAGE_MAX_LENGTH} caractères au plus. Inutile de tout expliquer : "
        "l'assistant·e de service social vous rappellera.",
    )
    site_web = forms.CharField(
        label="Ne remplissez pas ce champ",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        for name in ("last_name", "first_name", "contact", "message"):
            limit = self.fields[name].max_length
            self.fields[name].error_messages["max_length"] = (
                f"{limit} caractères au plus, s'il vous plaît."
            )

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())
