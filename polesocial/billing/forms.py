from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from polesocial.billing.enums import TimeKind


class TimeEntryForm(DsfrBaseForm):
    date = forms.DateField(
        label="Date", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label="Nature", choices=TimeKind.choices)
    employer = forms.ModelChoiceField(
        label="Employeur",
        queryset=None,
        required=False,
        help_text="Aucun pour la gestion de la fonction.",
    )
    minutes = forms.IntegerField(
        label="Durée (minutes)",
        help_text="Par exemple 90 pour 1 h 30 ; négative pour corriger un temps déjà saisi.",
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


class PaymentForm(DsfrBaseForm):
    paid_on = forms.DateField(
        label="Payée le",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="Laissez vide pour retirer le paiement.",
    )


class CreditNoteForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de l'avoir",
        max_length=255,
        help_text="Imprimé sur l'avoir, par exemple « Action collective annulée ».",
    )
    amount = forms.DecimalField(
        label="Montant à annuler (€)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text="Laissez vide pour annuler tout le reste de la facture.",
    )


class FinalInvoiceForm(DsfrBaseForm):
    """The override for a quarter not yet ended: the final invoice of an ended convention."""

    employer = forms.ModelChoiceField(
        label="Employeur dont la convention a pris fin",
        queryset=None,
        empty_label="Choisir…",
    )
    reason = forms.CharField(
        label="Motif",
        max_length=255,
        help_text="Inscrit au journal, par exemple « Convention résiliée au 15/11 ».",
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
