import re

from django import forms

from polesocial.core.forms import VersionedFormMixin
from polesocial.directory.models import Partner
from polesocial.organisations.forms import DsfrModelForm

PHONE_ALLOWED = re.compile(r"^\+?[\d .\-()]+$")


class PartnerForm(VersionedFormMixin, DsfrModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "area", "phone", "email", "address", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        # Set here, not in __init__: django-dsfr builds the bound fields (and their hint
        # links) while the form initialises.
        help_texts = {
            "area": "Par exemple : Val-d'Arnon, canton de Valmont, Nord du département.",
            "phone": "Par exemple : 02 48 12 34 56.",
            "notes": "Horaires, modalités d'accueil, interlocuteur à demander… "
            "Aucune information sur un agent.",
            "is_active": "Décochez pour retirer ce partenaire des orientations possibles.",
        }
        error_messages = {"email": {"invalid": "Saisissez une adresse électronique valide."}}

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return phone
        digits = re.sub(r"\D", "", phone)
        if not PHONE_ALLOWED.match(phone) or not 10 <= len(digits) <= 15:
            raise forms.ValidationError(
                "Saisissez un numéro de téléphone valide, par exemple 02 48 12 34 56."
            )
        if len(digits) == 10 and digits.startswith("0"):
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        return phone
