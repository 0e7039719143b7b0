"""Forms of the agenda: booking, a drop-in session. They collect input; services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from polesocial.appointments.enums import Recurrence
from polesocial.casework.enums import InterviewPlace

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
CHOOSE = [("", "Choisir…")]


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.full_name


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class OccurrenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        start, end = timezone.localtime(obj.start), timezone.localtime(obj.end)
        return (
            f"{start:%d/%m/%Y} {start:%H:%M}–{end:%H:%M} · {obj.session.employer.name} · "
            f"{obj.session.site}"
        )


class AppointmentForm(DsfrBaseForm):
    """Prendre un rendez-vous: the worker, the person, when and where — never why."""

    worker = WorkerChoiceField(label="ASS", queryset=None, empty_label="Choisir…")
    person_name = forms.CharField(label="Nom et prénom de l'agent", max_length=200)
    employer = NamedChoiceField(label="Employeur de l'agent", queryset=None, empty_label="Choisir…")
    contact_phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    contact_email = forms.EmailField(
        label="Courriel",
        required=False,
        error_messages={"invalid": "Saisissez une adresse électronique valide."},
    )
    day = forms.DateField(label="Date", widget=DATE_WIDGET)
    time = forms.TimeField(label="Heure", widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=10, max_value=240, initial=45
    )
    place = forms.ChoiceField(label="Lieu", choices=CHOOSE + InterviewPlace.choices)
    occurrence = OccurrenceChoiceField(
        label="Permanence",
        queryset=None,
        required=False,
        empty_label="Aucune",
        help_text="Pour un créneau de permanence (lieu : site de permanence).",
    )
    video_link = forms.CharField(label="Lien de visioconférence", max_length=500, required=False)
    employee_on_leave = forms.BooleanField(
        label="L'agent est en arrêt (rendez-vous au domicile possible)", required=False
    )
    reminder_consent = forms.BooleanField(
        label="L'agent accepte un rappel par courriel la veille",
        required=False,
        help_text="Son accord est enregistré avec sa date ; il peut le retirer à tout moment.",
    )

    def __init__(self, *args, workers, employers, occurrences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["employer"].queryset = employers
        self.fields["occurrence"].queryset = occurrences
        if workers.count() == 1:
            self.fields["worker"].initial = workers.first().pk

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            data["start"] = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        if data.get("reminder_consent") and not data.get("contact_email"):
            self.add_error("contact_email", "Un rappel demande le courriel de l'agent.")
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        keys = (
            "worker",
            "employer",
            "start",
            "duration_minutes",
            "place",
            "person_name",
            "contact_email",
            "contact_phone",
            "video_link",
            "employee_on_leave",
            "occurrence",
            "reminder_consent",
        )
        return {key: data[key] for key in keys}


class DropInSessionForm(DsfrBaseForm):
    """Programmer une permanence: an employer's site, hours, a recurrence, exceptions."""

    worker = WorkerChoiceField(label="ASS", queryset=None, empty_label="Choisir…")
    employer = NamedChoiceField(label="Employeur", queryset=None, empty_label="Choisir…")
    site = forms.CharField(
        label="Site de permanence",
        max_length=255,
        help_text="Le local mis à disposition par l'employeur (convention).",
    )
    starts_on = forms.DateField(label="Première date", widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label="Dernière date", widget=DATE_WIDGET, required=False, help_text="Un an au plus."
    )
    start_time = forms.TimeField(label="Début", widget=TIME_WIDGET)
    end_time = forms.TimeField(label="Fin", widget=TIME_WIDGET)
    recurrence = forms.ChoiceField(
        label="Récurrence", choices=Recurrence.choices, initial=Recurrence.WEEKLY
    )
    slot_minutes = forms.IntegerField(
        label="Durée d'un créneau (minutes)", min_value=10, max_value=240, initial=30
    )
    exceptions = forms.CharField(
        label="Dates exclues",
        required=False,
        help_text="Dates sans permanence, au format JJ/MM/AAAA, séparées par des virgules. "
        "Les jours fériés sont exclus d'office.",
    )

    def __init__(self, *args, workers, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["employer"].queryset = employers
        if workers.count() == 1:
            self.fields["worker"].initial = workers.first().pk

    def clean_exceptions(self) -> list[dt.date]:
        days = []
        for text in filter(None, (t.strip() for t in self.cleaned_data["exceptions"].split(","))):
            try:
                days.append(dt.datetime.strptime(text, "%d/%m/%Y").date())
            except ValueError:
                raise forms.ValidationError(
                    f"« {text[:20]} » n'est pas une date JJ/MM/AAAA."
                ) from None
        return days


class InitialsForm(DsfrBaseForm):
    show_initials = forms.BooleanField(
        label="Afficher les initiales de l'agent dans les événements", required=False
    )


class SecretaryTeamsForm(DsfrBaseForm):
    """The teams a secretary serves (the administrator's screen)."""

    secretary = forms.ModelChoiceField(
        label="Secrétariat médico-social", queryset=None, empty_label="Choisir…"
    )
    teams = forms.ModelMultipleChoiceField(
        label="Équipes servies",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Elle prend les rendez-vous et programme les permanences des ASS de ces équipes.",
    )

    def __init__(self, *args, secretaries, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = secretaries
        self.fields["secretary"].label_from_instance = lambda user: user.full_name
        self.fields["teams"].queryset = teams
