"""Forms of the referral path: sending, triage, first assessment, consent, case opening.

Forms only collect and check input; every write goes through casework.services.
"""

from __future__ import annotations

from functools import partial

from django import forms
from dsfr.forms import DsfrBaseForm

from polesocial.casework.enums import (
    AssessmentOutcome,
    ConsentForm,
    ConsentScope,
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    ReferralSource,
    Sex,
    Urgency,
    WorkingTime,
)
from polesocial.casework.services.referrals import EMPLOYEE_FIELDS
from polesocial.organisations.labels import choices
from polesocial.users.enums import Role

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
CHOOSE = [("", "Choisir…")]

# The source a sender does not choose: his role says where the referral comes from.
SENDER_SOURCE = {
    Role.EMPLOYER_CONTACT: ReferralSource.EMPLOYER_HR,
    Role.PHYSICIAN: ReferralSource.OCCUPATIONAL_HEALTH,
}


def fixed_source(user) -> str | None:
    """The source set by the sender's role (HR contact, physician); None for staff."""
    return SENDER_SOURCE.get(user.role)


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ReferralForm(DsfrBaseForm):
    """Adresser un agent: the simple referral form (HR contact, physician, staff)."""

    employer = EmployerChoiceField(
        label="Employeur de l'agent", queryset=None, empty_label="Choisir…"
    )
    source = forms.ChoiceField(label="Origine de la demande", choices=CHOOSE)
    person_last_name = forms.CharField(label="Nom de l'agent", max_length=150)
    person_first_name = forms.CharField(label="Prénom de l'agent", max_length=150)
    person_contact = forms.CharField(
        label="Coordonnées de l'agent",
        max_length=200,
        required=False,
        help_text="Téléphone ou courriel où l'ASS peut le joindre.",
    )
    reason = forms.CharField(
        label="Motif de la demande",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Décrivez la situation en quelques lignes, sans information médicale.",
    )
    urgency = forms.ChoiceField(
        label="Urgence", choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    referrer_name = forms.CharField(label="Votre nom", max_length=200)
    referrer_contact = forms.CharField(
        label="Vos coordonnées",
        max_length=200,
        help_text="Téléphone ou courriel, pour que l'ASS puisse vous rappeler.",
    )

    def __init__(self, *args, user, employers, **kwargs):
        on_behalf = user.role == Role.SECRETARY  # intake by phone: the caller is the referrer
        if not on_behalf:
            kwargs.setdefault(
                "initial", {"referrer_name": user.full_name, "referrer_contact": user.email}
            )
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["referrer_name"].label = "Nom de la personne qui appelle"
            self.fields["referrer_contact"].label = "Ses coordonnées"
            self.fields["referrer_contact"].help_text = "Pour que l'ASS puisse la rappeler."
            for name in ("referrer_name", "referrer_contact"):  # bound with the former label
                self._bound_fields_cache.pop(name, None)
        self.fields["employer"].queryset = employers
        self.fields["source"].choices = CHOOSE + choices("referral_source")
        self.source = fixed_source(user)
        if self.source is not None:
            # An HR contact or a physician does not choose: the role says it.
            del self.fields["source"]

    def clean(self):
        data = super().clean()
        if self.source is not None:
            data["source"] = self.source
        return data


class FirstAssessmentForm(DsfrBaseForm):
    """The phone call that qualifies the referral, and the employee's confirmed identity."""

    assessed_on = forms.DateField(label="Date de l'évaluation", widget=DATE_WIDGET)
    outcome = forms.ChoiceField(
        label="Suite donnée", choices=AssessmentOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Notes de l'évaluation", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    birth_date = forms.DateField(label="Date de naissance", widget=DATE_WIDGET)
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, initial=Sex.UNSPECIFIED)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(
        label="Courriel",
        required=False,
        error_messages={"invalid": "Saisissez une adresse électronique valide."},
    )
    address = forms.CharField(label="Adresse", max_length=255, required=False)
    employer = EmployerChoiceField(label="Employeur", queryset=None, empty_label="Choisir…")
    status = forms.ChoiceField(label="Statut", choices=CHOOSE + list(EmploymentStatus.choices))
    category = forms.ChoiceField(label="Catégorie", choices=CHOOSE + list(GradeCategory.choices))
    job = forms.CharField(label="Métier ou poste", max_length=150, required=False)
    working_time = forms.ChoiceField(
        label="Temps de travail", choices=CHOOSE + list(WorkingTime.choices), required=False
    )
    family_situation = forms.ChoiceField(
        label="Situation familiale", choices=CHOOSE + list(FamilySituation.choices)
    )
    children_count = forms.IntegerField(
        label="Enfants à charge",
        min_value=0,
        max_value=20,
        initial=0,
        error_messages={"min_value": "Le nombre d'enfants ne peut pas être négatif."},
    )

    # The confirmed identity: names and birth date, then what the service keeps.
    IDENTITY_FIELDS = ("last_name", "first_name", "birth_date", *EMPLOYEE_FIELDS)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers

    def employee_data(self) -> dict:
        """The identity for services.referrals.first_assessment_record (silent matching)."""
        return {name: self.cleaned_data[name] for name in self.IDENTITY_FIELDS}


class ConsentRecordForm(DsfrBaseForm):
    """L'adhésion de l'agent à la démarche: date, form and what may be shared."""

    given_on = forms.DateField(label="Date de l'adhésion", widget=DATE_WIDGET)
    form = forms.ChoiceField(
        label="Forme de l'adhésion", choices=ConsentForm.choices, widget=forms.RadioSelect
    )
    scope = forms.MultipleChoiceField(
        label="Échanges autorisés par l'agent",
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ne cochez que ce que l'agent a accepté.",
    )


class CaseOpenForm(DsfrBaseForm):
    """Ouvrir le dossier: problem domains, assessment, opening date."""

    domains = forms.MultipleChoiceField(
        label="Domaines d'intervention",
        choices=partial(choices, "domain"),  # the operator's labels, read per form
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Indiquez au moins un domaine."},
    )
    assessment = forms.CharField(
        label="Diagnostic", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    opened_on = forms.DateField(label="Date d'ouverture", widget=DATE_WIDGET)


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.full_name


class AssignForm(DsfrBaseForm):
    """The counsellor gives a waiting referral to a worker of the employer's team."""

    worker = WorkerChoiceField(label="ASS", queryset=None, empty_label="Choisir…")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class CaseloadTransferForm(DsfrBaseForm):
    """Hand a departing worker's open cases to a colleague of the same team."""

    from_worker = WorkerChoiceField(label="ASS qui part", queryset=None, empty_label="Choisir…")
    to_worker = WorkerChoiceField(
        label="ASS qui reprend les dossiers", queryset=None, empty_label="Choisir…"
    )
    confirm = forms.BooleanField(
        label="Je confirme le transfert de tous les dossiers en cours de l'ASS qui part",
        error_messages={"required": "Cochez la case pour confirmer le transfert."},
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_worker"].queryset = workers
        self.fields["to_worker"].queryset = workers
