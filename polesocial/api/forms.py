from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from polesocial.api.services import MAX_DAYS


class ApiTokenCreateForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître : l'outil ou le poste qui l'utilise.",
    )
    days = forms.IntegerField(
        label="Durée de validité (jours)",
        min_value=1,
        max_value=MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )
    otp_code = forms.RegexField(
        label="Code à usage unique",
        help_text="Les 6 chiffres affichés par votre application d'authentification.",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Saisissez les 6 chiffres du code."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_otp_code(self) -> str:
        return self.cleaned_data["otp_code"].strip()
