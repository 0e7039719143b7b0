from django import forms
from dsfr.forms import DsfrBaseForm

from polesocial.privacy.names import NAME_WARNING, NAMES_CONFIRMATION, field_naming
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("names_confirmed"):  # the box was shown and ticked
            self._add_confirmation()

    def _add_confirmation(self) -> None:
        self.fields["names_confirmed"] = forms.BooleanField(
            label=NAMES_CONFIRMATION, required=False
        )

    def names_allowed(self, writer) -> bool:
        """The name check (privacy.names): True when the text may be saved; otherwise the
        warning is beside the text and the confirmation box is shown."""
        if self.cleaned_data.get("names_confirmed"):
            return True
        if field_naming(reader=writer, texts={"text": self.cleaned_data["text"]}) is None:
            return True
        self._add_confirmation()
        self.add_error("text", NAME_WARNING)
        return False


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
