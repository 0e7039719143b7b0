"""Forms of the case page. They check the shape of what is typed; the services check the
rules (consent, dates, 8 hours) and their French messages are put beside the field."""

from __future__ import annotations

from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from polesocial.casework.documents import MAX_DOCUMENT_BYTES
from polesocial.casework.enums import (
    OrientationResult,
    PlanItemStatus,
)
from polesocial.core.forms import VersionedForm
from polesocial.organisations.labels import choices

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
CHOOSE = [("", "Choisir…")]


class CaseUpdateForm(VersionedForm, DsfrBaseForm):
    domains = forms.MultipleChoiceField(
        label="Domaines d'intervention",
        choices=partial(choices, "domain"),  # the operator's labels, read per form
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Indiquez au moins un domaine."},
    )
    assessment = forms.CharField(
        label="Diagnostic",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Analyse de la situation, partagée avec l'agent. Chiffré en base.",
    )

    def values_of(self, record):
        return {"domains": record.domain_codes, "assessment": record.assessment}


class CaseCloseForm(DsfrBaseForm):
    closed_on = forms.DateField(label="Date de clôture", widget=DATE_WIDGET)
    reason = forms.ChoiceField(label="Motif", choices=lambda: CHOOSE + choices("closure_reason"))
    outcome = forms.CharField(
        label="Bilan de l'accompagnement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CaseReopenForm(DsfrBaseForm):
    reopened_on = forms.DateField(label="Date de réouverture", widget=DATE_WIDGET)


class CaseTransferForm(DsfrBaseForm):
    to_worker = forms.ModelChoiceField(
        label="Transférer à",
        queryset=None,
        empty_label="Choisir une ASS de l'équipe…",
        help_text="Elle est prévenue ; vous n'aurez plus accès au dossier.",
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].queryset = workers


class ConsentWithdrawForm(DsfrBaseForm):
    withdrawn_on = forms.DateField(
        label="Date du retrait",
        widget=DATE_WIDGET,
        help_text="Plus aucun entretien ni changement du plan ; le dossier peut être clos.",
    )


class IdentityCorrectForm(DsfrBaseForm):
    """The employee's names and birth date as the worker recorded them, to correct."""

    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    birth_date = forms.DateField(
        label="Date de naissance",
        widget=DATE_WIDGET,
        help_text="Le journal garde la trace de la correction, jamais les valeurs.",
    )


class InterviewForm(DsfrBaseForm):
    occurred_on = forms.DateField(label="Date de l'entretien", widget=DATE_WIDGET)
    place = forms.ChoiceField(label="Lieu", choices=lambda: CHOOSE + choices("interview_place"))
    duration_hours = forms.IntegerField(
        label="Durée : heures", min_value=0, required=False, initial=0
    )
    duration_minutes = forms.IntegerField(
        label="Durée : minutes",
        min_value=0,
        required=False,
        help_text="En minutes seules (90) ou avec les heures (1 h et 30 min). 8 heures au plus.",
    )
    employer = forms.ModelChoiceField(
        label="Employeur imputé",
        queryset=None,
        empty_label=None,
        help_text="Le temps de l'entretien est compté pour cet employeur.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    private_note = forms.CharField(
        label="Note personnelle",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Lisible par vous seule : pas même par une collègue qui reprend le dossier.",
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers

    def clean(self):
        data = super().clean()
        hours, minutes = data.get("duration_hours") or 0, data.get("duration_minutes") or 0
        if "duration_hours" in data and "duration_minutes" in data and hours + minutes == 0:
            self.add_error("duration_minutes", "Indiquez la durée de l'entretien.")
        data["total_minutes"] = hours * 60 + minutes
        return data


class ObjectiveForm(DsfrBaseForm):
    title = forms.CharField(
        label="Objectif",
        max_length=500,
        error_messages={"required": "Décrivez l'objectif."},
    )


class ActionForm(DsfrBaseForm):
    objective = forms.ModelChoiceField(
        label="Objectif", queryset=None, empty_label="Choisir un objectif…"
    )
    description = forms.CharField(
        label="Action",
        max_length=500,
        error_messages={"required": "Décrivez l'action."},
    )
    due_on = forms.DateField(label="Échéance", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["objective"].label_from_instance = lambda objective: objective.title


class PlanItemStatusForm(forms.Form):
    """The small per-row form of the plan (its fields are written in the template)."""

    kind = forms.ChoiceField(choices=[("objective", "objectif"), ("action", "action")])
    id = forms.IntegerField()
    status = forms.ChoiceField(choices=PlanItemStatus.choices)
    # The version the person saw (core.versioning): another change since is refused.
    version = forms.IntegerField(required=False, min_value=1)


class OrientationForm(DsfrBaseForm):
    partner = forms.ModelChoiceField(
        label="Partenaire", queryset=None, empty_label="Choisir un partenaire…"
    )
    oriented_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    purpose = forms.CharField(
        label="Objet de l'orientation",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez l'objet de l'orientation."},
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class OrientationResultForm(forms.Form):
    """The small per-row form of the orientations (its field is written in the template)."""

    result = forms.ChoiceField(choices=OrientationResult.choices)
    # The version the person saw (core.versioning): another change since is refused.
    version = forms.IntegerField(required=False, min_value=1)


def _upload_widget() -> forms.FileInput:
    widget = forms.FileInput(attrs={"class": "fr-upload"})
    widget.group_class = "fr-upload-group"  # read by django-dsfr's field template
    return widget


class DocumentUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Document",
        widget=_upload_widget(),
        help_text="PDF, PNG, JPEG, ODT, ODS, DOCX ou XLSX ; 10 Mo au plus. Stocké chiffré.",
        error_messages={"required": "Choisissez un fichier.", "empty": "Le fichier est vide."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading it into memory; the service checks size and content again.
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError("Le fichier dépasse 10 Mo.")
        return upload
