from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from dsfr.forms import DsfrBaseForm

from polesocial.users.enums import Role


class SignInForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(DsfrBaseForm):
    code = forms.RegexField(
        label="Code à usage unique",
        help_text="Les 6 chiffres affichés par votre application d'authentification.",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Saisissez les 6 chiffres du code."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class UserCreateForm(DsfrBaseForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse électronique")
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class UserUpdateForm(UserCreateForm):
    """Names, address and role of an account; the page explains what a role change does."""

    employers = forms.ModelMultipleChoiceField(
        label="Employeurs rattachés",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pour un·e correspondant·e RH ou un·e médecin de prévention seulement.",
    )
    # The role whose consequences the administrator has read and confirmed (user_update).
    confirmed_role = forms.CharField(widget=forms.HiddenInput, required=False)
    proconnect_enabled = forms.BooleanField(
        label="Autoriser la connexion par ProConnect",
        required=False,
        help_text="À la première connexion, le compte est retrouvé par son adresse "
        "électronique, puis par l'identifiant ProConnect qui lui est alors lié ; "
        "décocher oublie cet identifiant.",
    )

    def __init__(self, *args, **kwargs):
        from polesocial.organisations.models import Employer

        super().__init__(*args, **kwargs)
        self.fields["employers"].queryset = Employer.objects.order_by("name", "pk")


class DsfrPasswordResetForm(PasswordResetForm, DsfrBaseForm):
    pass


class DsfrSetPasswordForm(SetPasswordForm, DsfrBaseForm):
    pass


class DsfrPasswordChangeForm(PasswordChangeForm, DsfrBaseForm):
    """The current password, then the new one twice, checked by AUTH_PASSWORD_VALIDATORS."""
