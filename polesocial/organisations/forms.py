from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from polesocial.core.forms import VersionedFormMixin
from polesocial.organisations import rules
from polesocial.organisations.models import (
    Convention,
    Employer,
    Headcount,
    Operator,
    SocialWorker,
    Team,
)
from polesocial.users.enums import Role
from polesocial.users.models import User

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class DsfrModelForm(forms.ModelForm, DsfrBaseForm):
    """A model form rendered with the DSFR field templates, with a French empty choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = "Choisir…"
            choices = getattr(field, "choices", None)
            if isinstance(choices, list) and choices and choices[0] == ("", "---------"):
                field.choices = [("", "Choisir…"), *choices[1:]]


class EmployerForm(VersionedFormMixin, DsfrModelForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "kind",
            "siret",
            "team",
            "street",
            "postcode",
            "city",
            "chorus_service_code",
            "chorus_engagement_number",
            "hr_contact_name",
            "hr_contact_email",
            "hr_contact_phone",
            "accounts",
        ]
        widgets = {"accounts": forms.CheckboxSelectMultiple}
        # Set here, not in __init__: django-dsfr builds the bound fields (and their hint
        # links) while the form initialises.
        help_texts = {"siret": "14 chiffres, sans espace."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        linkable = (Role.EMPLOYER_CONTACT, Role.PHYSICIAN)
        self.fields["accounts"].queryset = User.objects.filter(role__in=linkable, is_active=True)
        # A closed team serves no one any more (its current one still shows, if closed).
        team = self.fields["team"]
        current = getattr(self.instance, "team_id", None)
        team.queryset = Team.objects.filter(Q(closed_on__isnull=True) | Q(pk=current))

    def clean_siret(self) -> str:
        return "".join(self.cleaned_data["siret"].split())


class HeadcountForm(DsfrModelForm):
    class Meta:
        model = Headcount
        fields = [
            "year",
            "total",
            "titulaire",
            "stagiaire",
            "contractuel",
            "category_a",
            "category_b",
            "category_c",
        ]


class ConventionForm(VersionedFormMixin, DsfrModelForm):
    class Meta:
        model = Convention
        fields = [
            "reference",
            "billing_mode",
            "hourly_rate",
            "session_rate",
            "fte_yearly_amount",
            "mobility_hourly_rate",
            "membership_contribution",
            "starts_on",
            "ends_on",
            "tacit_renewal",
            "notice_months",
            "billing_period",
            "premises_provided",
            "internal_committee_created",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}


class ConventionSignForm(DsfrBaseForm):
    signed_on = forms.DateField(label="Date de signature", widget=DATE_WIDGET)
    document = forms.FileField(
        label="Convention signée (PDF)",
        required=False,
        help_text="Format PDF, 10 Mo au plus.",
    )

    def clean_document(self):
        return _signed_scan(self.cleaned_data.get("document"))


def _signed_scan(document):
    """The shared rule (organisations.rules.check_signed_scan), said beside the field."""
    if document is None:
        return None
    try:
        rules.check_signed_scan(document)
    except ValidationError as error:
        raise forms.ValidationError(error.message_dict["document"]) from error
    return document


class ConventionScanForm(DsfrBaseForm):
    document = forms.FileField(
        label="Convention signée (PDF)", help_text="Format PDF, 10 Mo au plus."
    )

    def clean_document(self):
        return _signed_scan(self.cleaned_data.get("document"))


def _price(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text="Laisser vide s'il ne change pas.",
    )


class ConventionAmendmentForm(DsfrBaseForm):
    signed_on = forms.DateField(label="Avenant signé le", widget=DATE_WIDGET)
    effective_from = forms.DateField(label="En vigueur à compter du", widget=DATE_WIDGET)
    hourly_rate = _price("Nouveau taux horaire (€)")
    session_rate = _price("Nouveau prix d'une vacation (€)")
    fte_yearly_amount = _price("Nouveau montant annuel de la quote-part d'ETP (€)")
    mobility_hourly_rate = _price("Nouveau taux horaire de l'accompagnement mobilité (€)")
    reason = forms.CharField(label="Motif", max_length=2000, widget=forms.Textarea({"rows": 3}))
    document = forms.FileField(
        label="Avenant signé (PDF)", required=False, help_text="Format PDF, 10 Mo au plus."
    )

    def clean_document(self):
        return _signed_scan(self.cleaned_data.get("document"))


class ConventionTerminateForm(DsfrBaseForm):
    terminated_on = forms.DateField(label="Date de résiliation", widget=DATE_WIDGET)
    confirm = forms.BooleanField(
        label="Je confirme la résiliation de cette convention",
        error_messages={"required": "Cochez la case pour confirmer la résiliation."},
    )


class FteShareForm(DsfrBaseForm):
    share = forms.DecimalField(
        label="Part de l'activité",
        min_value=0.001,
        max_value=1,
        decimal_places=3,
        help_text="Par exemple 0,5 pour la moitié de l'activité de l'ASS.",
        localize=True,
    )


class ReplacementForm(DsfrBaseForm):
    """Not a model form: the model's constraints would refuse a self-replacement or dates
    in the wrong order in Django's words, before the service says it beside the field."""

    absent = forms.ModelChoiceField(
        label="ASS absent·e", queryset=SocialWorker.objects.none(), empty_label="Choisir…"
    )
    replacing = forms.ModelChoiceField(
        label="Remplaçant·e", queryset=SocialWorker.objects.none(), empty_label="Choisir…"
    )
    starts_on = forms.DateField(label="Du", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Au (inclus)", widget=DATE_WIDGET)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = workers
        self.fields["replacing"].queryset = workers


class OperatorForm(DsfrModelForm):
    class Meta:
        model = Operator
        fields = ["name", "kind", "siret", "address", "email", "phone", "logo"]
        help_texts = {"siret": "14 chiffres, sans espace ; imprimé sur les factures."}

    def clean_siret(self) -> str:
        return "".join(self.cleaned_data["siret"].split())


class OperatorBillingForm(DsfrModelForm):
    class Meta:
        model = Operator
        fields = [
            "legal_form",
            "public_accountant",
            "iban",
            "bic",
            "payment_terms",
            "legal_mentions",
        ]
        help_texts = {
            "iban": "Par exemple FR76 3000 6000 0112 3456 7890 189 ; les espaces sont permis.",
            "bic": "8 ou 11 caractères, par exemple AGRIFRPP.",
        }


def _counsellors():
    return User.objects.filter(role=Role.COUNSELLOR, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


class TeamForm(DsfrBaseForm):
    """Not a model form: the service checks the leads and the name (one refusal for the
    screen and the commands)."""

    name = forms.CharField(label="Nom de l'équipe", max_length=200)
    counsellor = forms.ModelChoiceField(
        label="Conseiller·ère", queryset=User.objects.none(), empty_label="Choisir…"
    )
    deputy = forms.ModelChoiceField(
        label="Adjoint·e", queryset=User.objects.none(), required=False, empty_label="Aucun·e"
    )
    employers = forms.ModelMultipleChoiceField(
        label="Employeurs servis",
        queryset=Employer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leurs saisines arrivent dans la file de cette équipe. Un employeur servi "
        "par une autre équipe lui est retiré.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = _counsellors()
        self.fields["deputy"].queryset = _counsellors()
        self.fields["employers"].queryset = Employer.objects.select_related("team").order_by(
            "name", "pk"
        )
        self.fields["employers"].label_from_instance = _employer_with_team


def _employer_with_team(employer: Employer) -> str:
    return f"{employer.name} (équipe {employer.team.name})" if employer.team else employer.name


class TeamCloseForm(DsfrBaseForm):
    closed_on = forms.DateField(label="Fermée le", widget=DATE_WIDGET)
    confirm = forms.BooleanField(
        label="Je confirme la fermeture de cette équipe",
        error_messages={"required": "Cochez la case pour confirmer la fermeture."},
    )


class SocialWorkerForm(DsfrBaseForm):
    user = forms.ModelChoiceField(
        label="Compte de l'ASS",
        queryset=User.objects.none(),
        empty_label="Choisir…",
        help_text="Un compte au rôle « Assistant·e de service social » pas encore rattaché.",
    )
    team = forms.ModelChoiceField(
        label="Équipe", queryset=Team.objects.none(), empty_label="Choisir…"
    )
    fte = forms.DecimalField(
        label="Quotité (ETP)",
        min_value=0.01,
        max_value=1,
        decimal_places=2,
        localize=True,
        help_text="Par exemple 0,8 pour un temps partiel à 80 %.",
    )
    starts_on = forms.DateField(label="Arrivée dans l'équipe", required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Départ", required=False, widget=DATE_WIDGET)
    hand_over_to = forms.ModelChoiceField(
        label="En cas de changement d'équipe, ses dossiers en cours sont repris par",
        queryset=SocialWorker.objects.none(),
        required=False,
        empty_label="Choisir…",
        help_text="Une collègue de son équipe actuelle (transfert de portefeuille).",
    )

    def __init__(self, *args, worker: SocialWorker | None = None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_teams = Team.objects.open() if teams is None else teams.filter(closed_on__isnull=True)
        self.fields["team"].queryset = open_teams.order_by("name", "pk")
        if worker is None:
            self.fields["user"].queryset = User.objects.filter(
                role=Role.SOCIAL_WORKER, is_active=True, social_worker__isnull=True
            ).order_by("last_name", "first_name", "pk")
            del self.fields["hand_over_to"]
        else:
            del self.fields["user"]
            colleagues = SocialWorker.objects.filter(team=worker.team_id).exclude(pk=worker.pk)
            self.fields["hand_over_to"].queryset = colleagues.select_related("user")


class CounsellorInterimForm(DsfrBaseForm):
    team = forms.ModelChoiceField(
        label="Équipe", queryset=Team.objects.none(), empty_label="Choisir…"
    )
    interim = forms.ModelChoiceField(
        label="Intérim assuré par", queryset=User.objects.none(), empty_label="Choisir…"
    )
    starts_on = forms.DateField(label="Du", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Au (inclus)", widget=DATE_WIDGET)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams.filter(closed_on__isnull=True).order_by("name", "pk")
        self.fields["interim"].queryset = _counsellors()


class LabelOverrideForm(DsfrBaseForm):
    """One text field per fixed code of the reference lists, named "<list>__<code>", the
    product's label as its label; left empty, the product's label is shown."""

    def __init__(self, *args, current: dict[tuple[str, str], str], **kwargs):
        from polesocial.organisations.labels import LISTS

        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        for code_list, (title, enum) in LISTS.items():
            names = []
            for code, product_label in enum.choices:
                name = f"{code_list}__{code}"
                self.fields[name] = forms.CharField(
                    label=product_label,
                    required=False,
                    max_length=120,
                    initial=current.get((code_list, code), ""),
                    help_text=f"Code « {code} »",
                )
                names.append(name)
            self.groups.append((title, names))

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.groups]

    def labels(self) -> dict[tuple[str, str], str]:
        return {
            tuple(name.split("__", 1)): value  # type: ignore[misc]
            for name, value in self.cleaned_data.items()
        }
