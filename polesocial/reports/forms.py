from django import forms
from dsfr.forms import DsfrBaseForm

from polesocial.reports.models import NarrativeSection


class ExportForm(DsfrBaseForm):
    format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF"), ("ods", "Tableur (ODS)")],
    )


class NarrativeForm(DsfrBaseForm):
    section = forms.ChoiceField(label="Rubrique", choices=NarrativeSection.choices)
    text = forms.CharField(
        label="Texte",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Analyse globale : aucune personne ne doit pouvoir y être reconnue.",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".json"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class AggregatesUploadForm(DsfrBaseForm):
    files = MultipleFileField(
        label="Fichiers d'agrégats (JSON)",
        help_text="Un fichier par opérateur, produit par la commande export_aggregates.",
    )

    def clean_files(self):
        import json

        from polesocial.reports.federation import MergeError, merge

        documents = []
        for upload in self.cleaned_data["files"]:
            try:
                documents.append(json.loads(upload.read().decode("utf-8")))
            except (UnicodeDecodeError, ValueError) as error:
                raise forms.ValidationError(f"Fichier illisible : {upload.name}.") from error
        try:
            self.synthesis = merge(documents)
        except (MergeError, KeyError, TypeError) as error:
            raise forms.ValidationError(str(error) or "Fichier d'agrégats incomplet.") from error
        return documents
