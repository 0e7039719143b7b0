"""Whom the operator serves and on what terms: employers, conventions, teams, FTE shares."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum

from polesocial.core.versioning import Versioned
from polesocial.organisations.enums import (
    BillingMode,
    BillingPeriod,
    ConventionStatus,
    EmployerKind,
    OperatorKind,
    OperatorLegalForm,
)
from polesocial.organisations.rules import convention_terms_errors
from polesocial.organisations.validators import validate_bic, validate_iban, validate_siret
from polesocial.privacy.access import ScopedQuerySet


def money(label: str, **options) -> models.DecimalField:
    """An amount in euros and cents, never negative."""
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, validators=[MinValueValidator(0)], **options
    )


def default_billable_kinds() -> list[str]:
    """The kinds of time a convention bills unless it says otherwise (billing.TimeKind):
    everything but the management of the function. The initial review is not billed
    anyway when the convention has a membership contribution, which finances it."""
    return [
        "interview",
        "travel",
        "collective_action",
        "body_meeting",
        "preparation",
        "initial_review",
        "drop_in_session",
    ]


# The operator's fields that invoices carry, copied into each invoice when it is issued.
OPERATOR_BILLING_FIELDS = (
    "legal_form",
    "public_accountant",
    "iban",
    "bic",
    "payment_terms",
    "legal_mentions",
)


class Operator(models.Model):
    """The body that runs the social service (one per installation)."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=32, choices=OperatorKind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    address = models.TextField("adresse", blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    logo = models.FileField(
        "logo",
        upload_to="operator/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg"])],
        help_text="Image PNG, JPEG ou SVG, imprimée sur les factures.",
    )
    # What invoices carry, set by the billing officer.
    legal_form = models.CharField(
        "forme juridique",
        max_length=16,
        choices=OperatorLegalForm.choices,
        default=OperatorLegalForm.PUBLIC_BODY,
        help_text="Décide des mentions légales des factures : délai de paiement des "
        "personnes publiques ou mentions du code de commerce.",
    )
    public_accountant = models.CharField(
        "comptable public assignataire",
        max_length=200,
        blank=True,
        help_text="Par exemple : « Paierie départementale de l'Aube » ; le paiement est fait "
        "à son compte au Trésor public.",
    )
    iban = models.CharField("IBAN", max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField("BIC", max_length=11, blank=True, validators=[validate_bic])
    payment_terms = models.CharField(
        "conditions de paiement",
        max_length=255,
        blank=True,
        help_text="Par exemple : « À 30 jours à réception, par virement ».",
    )
    legal_mentions = models.TextField(
        "mentions légales",
        blank=True,
        help_text="Imprimées au bas de chaque facture (pénalités de retard, indemnité…).",
    )

    class Meta:
        verbose_name = "opérateur"

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet):
    def open(self):
        """Teams still running: a closed team is offered in no choice list."""
        return self.filter(closed_on__isnull=True)

    def led_by(self, user, on: dt.date | None = None):
        """The teams `user` leads on `on` (today by default): as counsellor or deputy, or as
        the counsellor's interim between the interim's dates (inclusive, Europe/Paris)."""
        from django.utils import timezone

        day = on or timezone.localdate()
        interim = CounsellorInterim.objects.active_on(day).filter(interim=user).values("team_id")
        return self.filter(Q(counsellor=user) | Q(deputy=user) | Q(pk__in=interim))

    def in_interim_of(self, user, on: dt.date | None = None):
        """The teams `user` leads today only as an interim (not as counsellor or deputy)."""
        from django.utils import timezone

        day = on or timezone.localdate()
        interim = CounsellorInterim.objects.active_on(day).filter(interim=user).values("team_id")
        return self.filter(pk__in=interim).exclude(Q(counsellor=user) | Q(deputy=user))


class Team(models.Model):
    """A counsellor, her deputy and her social workers, serving a set of employers
    (`Employer.team`: the queue, billing and reports find an employer's team there)."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("nom", max_length=200)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="conseiller·ère",
        on_delete=models.PROTECT,
        related_name="led_teams",
        limit_choices_to={"role": "counsellor"},
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="adjoint·e",
        on_delete=models.PROTECT,
        related_name="deputy_teams",
        null=True,
        blank=True,
        limit_choices_to={"role": "counsellor"},
    )
    closed_on = models.DateField("fermée le", null=True, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = "équipe"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def current_leads(self) -> list:
        """Whom the team's news reaches today: its active counsellor and deputy, and the
        counsellor's interim while it runs."""
        from django.utils import timezone

        interims = self.interims.active_on(timezone.localdate()).select_related("interim")
        leads = [self.counsellor, self.deputy, *(row.interim for row in interims)]
        return [user for user in dict.fromkeys(leads) if user is not None and user.is_active]


class EmployerQuerySet(ScopedQuerySet):
    def with_current_headcount(self):
        return self.prefetch_related("headcounts")


class Employer(Versioned):
    """An organisation whose staff the social service supports."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="employers")
    team = models.ForeignKey(
        Team,
        verbose_name="équipe",
        on_delete=models.PROTECT,
        related_name="employers",
        null=True,
        blank=True,
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=32, choices=EmployerKind.choices)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    street = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=120, blank=True)
    # Chorus Pro: where the employer receives invoices (BT-10) and its commitment (BT-13).
    chorus_service_code = models.CharField(
        "code service Chorus Pro",
        max_length=100,
        blank=True,
        help_text="Si l'employeur l'exige pour le dépôt des factures.",
    )
    chorus_engagement_number = models.CharField(
        "numéro d'engagement",
        max_length=50,
        blank=True,
        help_text="Numéro d'engagement juridique (bon de commande) donné par l'employeur.",
    )
    hr_contact_name = models.CharField("contact RH", max_length=200, blank=True)
    hr_contact_email = models.EmailField("courriel du contact RH", blank=True)
    hr_contact_phone = models.CharField("téléphone du contact RH", max_length=30, blank=True)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="comptes rattachés",
        related_name="employers",
        blank=True,
        help_text="Correspondant·e·s RH et médecins de prévention de cet employeur.",
    )

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = "employeur"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name", "id"], name="employer_name_order")]

    def __str__(self) -> str:
        return self.name

    def headcount_for(self, year: int) -> Headcount | None:
        return next((h for h in self.headcounts.all() if h.year == year), None)


class HeadcountQuerySet(ScopedQuerySet):
    pass


class Headcount(models.Model):
    """An employer's staff in a year (total, optionally by status and by category)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="headcounts")
    year = models.PositiveSmallIntegerField("année")
    total = models.PositiveIntegerField("effectif total")
    titulaire = models.PositiveIntegerField("titulaires", null=True, blank=True)
    stagiaire = models.PositiveIntegerField("stagiaires", null=True, blank=True)
    contractuel = models.PositiveIntegerField("contractuels", null=True, blank=True)
    category_a = models.PositiveIntegerField("catégorie A", null=True, blank=True)
    category_b = models.PositiveIntegerField("catégorie B", null=True, blank=True)
    category_c = models.PositiveIntegerField("catégorie C", null=True, blank=True)

    objects = HeadcountQuerySet.as_manager()

    class Meta:
        verbose_name = "effectif"
        ordering = ["employer", "-year"]
        constraints = [
            # One figure per employer and year: an import updates it rather than adding one.
            models.UniqueConstraint(fields=["employer", "year"], name="headcount_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.year} : {self.total}"


class ConventionQuerySet(ScopedQuerySet):
    def active_in(self, year: int):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return self.filter(starts_on__lte=end).filter(
            Q(status=ConventionStatus.ACTIVE)
            | Q(status=ConventionStatus.TERMINATED, terminated_on__gte=start)
        )


class Convention(Versioned):
    """The signed agreement between the operator and an employer."""

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="conventions", verbose_name="employeur"
    )
    reference = models.CharField("référence", max_length=60, blank=True)
    status = models.CharField(
        "statut", max_length=16, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT
    )
    billing_mode = models.CharField(
        "mode de facturation", max_length=16, choices=BillingMode.choices
    )
    hourly_rate = money("taux horaire (€)", null=True, blank=True)
    session_rate = money("prix d'une vacation (€)", null=True, blank=True)
    fte_yearly_amount = money("montant annuel de la quote-part d'ETP (€)", null=True, blank=True)
    # The convention covers social work unless it names the mobility service (issue 18):
    # empty, the mobility adviser's time at this employer is never billed.
    mobility_hourly_rate = money(
        "taux horaire de l'accompagnement mobilité (€)",
        null=True,
        blank=True,
        help_text="Vide : la convention ne couvre pas l'accompagnement par la conseillère "
        "mobilité, dont le temps n'est alors pas facturé.",
    )
    membership_contribution = money(
        "cotisation annuelle (€)",
        null=True,
        blank=True,
        help_text="Facultative ; lorsqu'elle est prévue, elle finance l'état des lieux.",
    )
    billable_kinds = models.JSONField(
        "natures de temps facturées",
        default=default_billable_kinds,
        blank=True,
        help_text="Par défaut, tout sauf la gestion de la fonction.",
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    tacit_renewal = models.BooleanField("reconduction tacite annuelle", default=True)
    notice_months = models.PositiveSmallIntegerField("préavis de résiliation (mois)", default=3)
    billing_period = models.CharField(
        "périodicité de facturation",
        max_length=16,
        choices=BillingPeriod.choices,
        default=BillingPeriod.QUARTERLY,
    )
    premises_provided = models.BooleanField("local mis à disposition", default=False)
    internal_committee_created = models.BooleanField(
        "instance pluridisciplinaire interne créée", default=False
    )
    signed_document = models.FileField("convention signée", upload_to="conventions/", blank=True)
    signed_on = models.DateField("signée le", null=True, blank=True)
    terminated_on = models.DateField("résiliée le", null=True, blank=True)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        ordering = ["employer__name", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="convention_dates_ordered", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
            # The amount that the billing mode uses must be there.
            models.CheckConstraint(
                name="convention_amount_for_mode",
                condition=(
                    Q(billing_mode=BillingMode.HOURLY, hourly_rate__isnull=False)
                    | Q(billing_mode=BillingMode.SESSIONS, session_rate__isnull=False)
                    | Q(billing_mode=BillingMode.FTE_SHARE, fte_yearly_amount__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="convention_status_known", condition=Q(status__in=ConventionStatus.values)
            ),
        ]

    def __str__(self) -> str:
        return f"Convention {self.reference or self.pk} — {self.employer}"

    def clean(self):
        if errors := convention_terms_errors(self):
            raise ValidationError(errors)

    @property
    def amount(self) -> Decimal | None:
        return {
            BillingMode.HOURLY: self.hourly_rate,
            BillingMode.SESSIONS: self.session_rate,
            BillingMode.FTE_SHARE: self.fte_yearly_amount,
        }[BillingMode(self.billing_mode)]

    # Where a `Prefetch("amendments", to_attr=...)` puts them as a plain list, read first by
    # `rate_schedule`: a prefetch into the related manager builds a manager and a queryset
    # per convention, which cost the invoice run more than reading the amendments.
    AMENDMENTS_ATTR = "amendment_list"

    def rate_on(self, day: dt.date) -> RateTerms:
        """The prices in force on `day`: the convention's own, changed by each amendment
        in effect on or before `day`, in order (an amendment changes only the prices it
        names). Reads `amendments.all()`, so a prefetch serves a whole run."""
        days, terms = self.rate_schedule()
        return terms[bisect_right(days, day) - 1]

    def rate_schedule(self) -> tuple[list[dt.date], list[RateTerms]]:
        """The successive prices: `terms[i]` in force from `days[i]` (`days[0]` is the
        earliest date: the convention's own prices), each amendment applied in order of
        effect, then of number; the terms of `day` are `terms[bisect_right(days, day) - 1]`.

        With the amendments prefetched (the invoice run's), built once per convention and
        kept beside its prefetch: the run prices thousands of entries per convention and
        sorted the amendments again for each (issue 20). A new prefetch builds it anew.
        """
        prefetched = self.__dict__.get(self.AMENDMENTS_ATTR)
        if prefetched is None:
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("amendments")
        kept = self.__dict__.get("_rate_schedule_kept")
        if prefetched is not None and kept is not None and kept[0] is prefetched:
            return kept[1]
        terms = RateTerms(
            _new(self.hourly_rate, None),
            _new(self.session_rate, None),
            _new(self.fte_yearly_amount, None),
            mobility_hourly_rate=_new(self.mobility_hourly_rate, None),
        )
        schedule: tuple[list[dt.date], list[RateTerms]] = ([dt.date.min], [terms])
        amendments = prefetched if prefetched is not None else self.amendments.all()
        for amendment in sorted(amendments, key=lambda a: (a.effective_from, a.number)):
            terms = RateTerms(
                _new(amendment.hourly_rate, terms.hourly_rate),
                _new(amendment.session_rate, terms.session_rate),
                _new(amendment.fte_yearly_amount, terms.fte_yearly_amount),
                amendment.number,
                amendment.effective_from,
                _new(amendment.mobility_hourly_rate, terms.mobility_hourly_rate),
            )
            schedule[0].append(amendment.effective_from)
            schedule[1].append(terms)
        if prefetched is not None:
            self.__dict__["_rate_schedule_kept"] = (prefetched, schedule)
        return schedule

    def rate_history(self) -> list[RateTerms]:
        """The successive prices: the convention's own, then after each amendment."""
        days = sorted({a.effective_from for a in self.amendments.all()})
        return [self.rate_on(self.starts_on), *(self.rate_on(day) for day in days)]


def _new(value, previous: Decimal | None) -> Decimal | None:
    return Decimal(str(value)) if value is not None else previous


@dataclass(frozen=True)
class RateTerms:
    """The prices of a convention in force on some day (`Convention.rate_on`)."""

    hourly_rate: Decimal | None
    session_rate: Decimal | None
    fte_yearly_amount: Decimal | None
    amendment_number: int | None = None
    effective_from: dt.date | None = None
    # None: the mobility service is not covered on that day (billing.services.mobility).
    mobility_hourly_rate: Decimal | None = None

    def amount_for(self, billing_mode: str) -> Decimal | None:
        return {
            BillingMode.HOURLY: self.hourly_rate,
            BillingMode.SESSIONS: self.session_rate,
            BillingMode.FTE_SHARE: self.fte_yearly_amount,
        }[BillingMode(billing_mode)]

    @property
    def label(self) -> str:
        if self.amendment_number is None:
            return "tarif de la convention"
        return (
            f"tarif de l'avenant n° {self.amendment_number} "
            f"(à compter du {self.effective_from:%d/%m/%Y})"
        )


class ConventionAmendmentQuerySet(ScopedQuerySet):
    pass


class ConventionAmendment(models.Model):
    """An amendment (avenant) to a signed convention: new prices from a date, kept with
    the earlier ones so that billing prices each period at the terms then in force."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name="convention",
    )
    number = models.PositiveSmallIntegerField("numéro")
    signed_on = models.DateField("signé le")
    effective_from = models.DateField("en vigueur à compter du")
    hourly_rate = money("nouveau taux horaire (€)", null=True, blank=True)
    session_rate = money("nouveau prix d'une vacation (€)", null=True, blank=True)
    fte_yearly_amount = money(
        "nouveau montant annuel de la quote-part d'ETP (€)", null=True, blank=True
    )
    # Set: from `effective_from` the convention covers the mobility service at this rate.
    mobility_hourly_rate = money(
        "nouveau taux horaire de l'accompagnement mobilité (€)", null=True, blank=True
    )
    reason = models.TextField("motif")
    signed_document = models.FileField(
        "avenant signé", upload_to="conventions/avenants/", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = ConventionAmendmentQuerySet.as_manager()

    # Set by the service that records it: the drafts it withdrew (not stored).
    withdrawn_drafts: int = 0

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="convention_amendment_number_unique"
            ),
            models.CheckConstraint(
                name="convention_amendment_changes_a_price",
                condition=Q(hourly_rate__isnull=False)
                | Q(session_rate__isnull=False)
                | Q(fte_yearly_amount__isnull=False)
                | Q(mobility_hourly_rate__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} — {self.convention}"

    @property
    def summary(self) -> str:
        """One sentence for the printed convention and the page."""

        def euros(value) -> str:
            return f"{Decimal(str(value)):.2f} €".replace(".", ",")

        changes = []
        if self.hourly_rate is not None:
            changes.append(f"taux horaire {euros(self.hourly_rate)}")
        if self.session_rate is not None:
            changes.append(f"vacation {euros(self.session_rate)}")
        if self.fte_yearly_amount is not None:
            changes.append(f"quote-part d'ETP annuelle {euros(self.fte_yearly_amount)}")
        if self.mobility_hourly_rate is not None:
            changes.append(f"accompagnement mobilité {euros(self.mobility_hourly_rate)} de l'heure")
        return (
            f"Avenant n° {self.number} signé le {self.signed_on:%d/%m/%Y}, en vigueur à compter "
            f"du {self.effective_from:%d/%m/%Y} : {', '.join(changes)} ({self.reason})."
        )


class SocialWorkerQuerySet(ScopedQuerySet):
    def replaceable_by(self, user):
        """The workers `user` may name in a replacement, as absent or replacing (the teams
        a counsellor leads: privacy.scopes); nobody for anyone else."""
        from polesocial.privacy.access import scope_for_view

        rule = scope_for_view("organisations.SocialWorker", "replacements", user)
        return rule(self, user) if rule else self.none()


class SocialWorker(models.Model):
    """A social worker's employment: her account, team and working time (FTE quotity)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="social_worker",
        limit_choices_to={"role": "social_worker"},
        verbose_name="compte",
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="workers", verbose_name="équipe"
    )
    fte = models.DecimalField(
        "quotité (ETP)",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text="Par exemple 0,8 pour un temps partiel à 80 %.",
    )
    starts_on = models.DateField("arrivée dans l'équipe", null=True, blank=True)
    ends_on = models.DateField("départ", null=True, blank=True)

    objects = SocialWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = "assistant·e de service social"
        verbose_name_plural = "assistant·e·s de service social"
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="social_worker_fte_range", condition=Q(fte__gt=0, fte__lte=1)
            ),
            models.CheckConstraint(
                name="social_worker_dates_ordered",
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name


class FteShareQuerySet(ScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def total_for(self, worker: SocialWorker, year: int) -> Decimal:
        total = self.filter(worker=worker, year=year).aggregate(total=Sum("share"))["total"]
        return total or Decimal("0")


class FteShare(models.Model):
    """The fraction of a worker's activity given to one employer in a year."""

    worker = models.ForeignKey(
        SocialWorker, on_delete=models.PROTECT, related_name="fte_shares", verbose_name="ASS"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="fte_shares", verbose_name="employeur"
    )
    year = models.PositiveSmallIntegerField("année")
    share = models.DecimalField(
        "part de l'activité",
        max_digits=4,
        decimal_places=3,
        help_text="Fraction de l'activité de l'ASS, par exemple 0,5.",
    )

    objects = FteShareQuerySet.as_manager()

    class Meta:
        verbose_name = "quote-part d'ETP"
        verbose_name_plural = "quotes-parts d'ETP"
        ordering = ["year", "worker", "employer"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "employer", "year"], name="fte_share_unique"),
            models.CheckConstraint(name="fte_share_range", condition=Q(share__gt=0, share__lte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.worker} × {self.employer} {self.year} : {self.share}"

    @property
    def employer_fte(self) -> Decimal:
        """Circular 2007-38, note 8: the employer's FTE is the worker's FTE times the share."""
        return self.worker.fte * self.share


class ReplacementQuerySet(ScopedQuerySet):
    def active_on(self, day: dt.date):
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Replacement(models.Model):
    """A colleague takes over an absent worker's cases, dates inclusive (Europe/Paris)."""

    absent = models.ForeignKey(
        SocialWorker, on_delete=models.PROTECT, related_name="absences", verbose_name="ASS absent·e"
    )
    replacing = models.ForeignKey(
        SocialWorker,
        on_delete=models.PROTECT,
        related_name="replacements",
        verbose_name="remplaçant·e",
    )
    starts_on = models.DateField("du")
    ends_on = models.DateField("au (inclus)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReplacementQuerySet.as_manager()

    class Meta:
        verbose_name = "remplacement"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="replacement_dates_ordered",
                condition=Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="replacement_not_self", condition=~Q(absent=models.F("replacing"))
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.replacing} remplace {self.absent} "
            f"du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"
        )


class CounsellorInterimQuerySet(ScopedQuerySet):
    def active_on(self, day: dt.date):
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class CounsellorInterim(models.Model):
    """Circular 2007-38, annex I: a named counsellor holds a team's counsellor's powers
    (queue, caseloads, replacements) during her dated absence, dates inclusive
    (Europe/Paris). Every read made through it is journaled as a replacement access."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="interims", verbose_name="équipe"
    )
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interim_absences",
        verbose_name="conseiller·ère absent·e",
    )
    interim = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interims",
        verbose_name="intérim assuré par",
        limit_choices_to={"role": "counsellor"},
    )
    starts_on = models.DateField("du")
    ends_on = models.DateField("au (inclus)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CounsellorInterimQuerySet.as_manager()

    class Meta:
        verbose_name = "intérim de conseiller·ère"
        verbose_name_plural = "intérims de conseiller·ère"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="counsellor_interim_dates_ordered",
                condition=Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="counsellor_interim_not_self", condition=~Q(absent=models.F("interim"))
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Intérim de {self.absent} ({self.team}) par {self.interim} "
            f"du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"
        )


class LabelOverride(models.Model):
    """The operator's own label for one of the product's fixed codes (reference lists).

    The code stays the product's (`TextChoices`), so statistics remain comparable between
    operators; only what screens and documents show changes (`organisations.labels`)."""

    code_list = models.CharField("liste", max_length=40)
    code = models.CharField("code", max_length=40)
    label = models.CharField("libellé de l'opérateur", max_length=120)

    class Meta:
        verbose_name = "libellé de l'opérateur"
        verbose_name_plural = "libellés de l'opérateur"
        ordering = ["code_list", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_list", "code"], name="label_override_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code_list}:{self.code} → {self.label}"
