"""Material aid: the action-sociale catalogue, aid requests, the aid committee, payments.

The catalogue (schemes, providers, employers' memberships) names no one. An aid request
belongs to a case: its justification, household budget and the situation summary written
for the committee are encrypted, and it is read through `visible_by` like the case. The
committee never reads a request: it reads the pseudonymised agenda built in `aid.agenda`
from a fixed list of fields (committee number, amount, scheme, household, summary).
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from polesocial.aid.enums import (
    AidStatus,
    CommitteeScope,
    DecisionOutcome,
    Funder,
    MembershipBody,
    Payee,
    PaymentMode,
    SchemeKind,
)
from polesocial.core.versioning import Versioned
from polesocial.privacy.access import ScopedQuerySet
from polesocial.privacy.fields import EncryptedTextField

CENT = Decimal("0.01")


def _amount(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=10, decimal_places=2, **kwargs)


# --- Catalogue -------------------------------------------------------------------------


class CatalogueQuerySet(ScopedQuerySet):
    """Catalogue rows with an end date (`ends_on`): those not ended on a day."""

    end_field = "ends_on"

    def not_ended_on(self, day):
        return self.filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": day})
        )


class AidSchemeQuerySet(CatalogueQuerySet):
    end_field = "valid_until"

    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def search(self, text: str):
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(conditions__icontains=text) | Q(reference__icontains=text)
        )


class AidScheme(Versioned):
    """A scheme of the action-sociale catalogue (dispositif, prestation)."""

    name = models.CharField("intitulé", max_length=200)
    funder = models.CharField("financeur", max_length=16, choices=Funder.choices)
    kind = models.CharField("nature", max_length=20, choices=SchemeKind.choices)
    conditions = models.TextField("conditions d'attribution", blank=True)
    ceiling = _amount("plafond (€)", null=True, blank=True)
    reference = models.CharField("référence (texte, délibération)", max_length=200, blank=True)
    valid_from = models.DateField("valable du", null=True, blank=True)
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)
    # An employer's own aid: read by that employer's HR contact; None for every other funder.
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="aid_schemes",
        null=True,
        blank=True,
    )

    objects = AidSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "dispositif d'aide"
        verbose_name_plural = "dispositifs d'aide"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="aid_scheme_validity_order",
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
            ),
            models.CheckConstraint(
                name="aid_scheme_ceiling_positive",
                condition=Q(ceiling__isnull=True) | Q(ceiling__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_funder_display()})"


class Provider(models.Model):
    """A service provider (prestataire) listed for an employer."""

    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="aid_providers",
    )
    name = models.CharField("nom", max_length=200)
    service = models.CharField("prestation", max_length=200)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    # The end of the listing (the provider no longer works for the employer); None: current.
    ends_on = models.DateField("référencé jusqu'au", null=True, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "prestataire"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An employer's membership of an action-sociale body or of the welfare agreement."""

    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="aid_memberships",
    )
    body = models.CharField("organisme", max_length=24, choices=MembershipBody.choices)
    body_name = models.CharField("précision", max_length=200, blank=True)
    starts_on = models.DateField("depuis le")
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    employees_covered = models.PositiveIntegerField("agents couverts", null=True, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion de l'employeur"
        verbose_name_plural = "adhésions des employeurs"
        ordering = ["employer__name", "body", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="aid_membership_dates_order",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} — {self.employer}"


class AidBudget(models.Model):
    """A funder's yearly envelope (allocated); committed and paid are computed."""

    funder = models.CharField("financeur", max_length=16, choices=Funder.choices)
    year = models.PositiveSmallIntegerField("année")
    # An employer's own envelope (funder "employer"); None for the operator's and others'.
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="aid_budgets",
        null=True,
        blank=True,
    )
    allocated = _amount("montant alloué (€)")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "budget d'aides"
        ordering = ["-year", "funder", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["funder", "year", "employer"],
                name="aid_budget_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(name="aid_budget_positive", condition=Q(allocated__gte=0)),
        ]

    def __str__(self) -> str:
        return f"Budget {self.get_funder_display()} {self.year}"


# --- Committee ---------------------------------------------------------------------------


class Committee(models.Model):
    """An aid committee (commission d'aides matérielles) and its members."""

    name = models.CharField("nom", max_length=200)
    scope = models.CharField("périmètre", max_length=10, choices=CommitteeScope.choices)
    employer = models.ForeignKey(
        "organisations.Employer",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="employeur",
    )
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="équipe",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="aid_committees", blank=True, verbose_name="membres"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "commission d'aides"
        verbose_name_plural = "commissions d'aides"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class CommitteeSession(models.Model):
    """One sitting of a committee: the members convened, those present, the quorum."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="sessions", verbose_name="commission"
    )
    held_on = models.DateField("date de la séance")
    quorum = models.PositiveSmallIntegerField("quorum", default=3)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="aid_sessions", blank=True, verbose_name="convoqués"
    )
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name="présents"
    )
    # The workers' time at the sitting, recorded in collective work (body "aid_committee"):
    # one committee concept, the body meeting only carries the time.
    body_meetings = models.ManyToManyField(
        "collective.BodyMeeting", related_name="aid_sessions", blank=True
    )
    closed_on = models.DateField("procès-verbal arrêté le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "séance de commission"
        verbose_name_plural = "séances de commission"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.committee} — séance du {self.held_on:%d/%m/%Y}"


class ConfidentialityUndertaking(models.Model):
    """A committee member's signed confidentiality undertaking: members are not social
    workers, the CASF secrecy does not bind them by itself; no agenda before it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="aid_undertaking"
    )
    signed_on = models.DateField("signé le")
    signed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "engagement de confidentialité"

    def __str__(self) -> str:
        return f"Engagement signé le {self.signed_on:%d/%m/%Y}"


# --- Requests ----------------------------------------------------------------------------


class AidRequestQuerySet(ScopedQuerySet):
    def in_year(self, year: int):
        return self.filter(created_at__year=year)


class AidRequest(Versioned):
    """A material-aid request prepared by the social worker on a case."""

    conflict_message = "Cette demande d'aide a été modifiée par une autre personne."

    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="aid_requests")
    scheme = models.ForeignKey(
        AidScheme, verbose_name="dispositif", on_delete=models.PROTECT, related_name="requests"
    )
    amount_requested = _amount("montant demandé (€)")
    justification = EncryptedTextField("motif de la demande")
    # The household budget: {"incomes": [[label, "123.45"]], "expenses": [...]}, encrypted.
    budget_data = EncryptedTextField("budget du foyer", blank=True)
    adults = models.PositiveSmallIntegerField("adultes du foyer", default=1)
    children = models.PositiveSmallIntegerField("enfants à charge", default=0)
    # Written for the committee and checked for names before it is saved.
    committee_summary = EncryptedTextField("situation présentée à la commission", blank=True)
    urgent = models.BooleanField("urgente", default=False)
    status = models.CharField(
        "état", max_length=10, choices=AidStatus.choices, default=AidStatus.DRAFT
    )
    # The pseudonym under which the committee knows the file (2026-014), given at submission.
    committee_number = models.CharField(
        "numéro de commission", max_length=12, unique=True, null=True, blank=True
    )
    session = models.ForeignKey(
        CommitteeSession,
        verbose_name="séance",
        on_delete=models.PROTECT,
        related_name="agenda",
        null=True,
        blank=True,
    )
    amount_granted = _amount("montant accordé (€)", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_on = models.DateField("déposée le", null=True, blank=True)

    objects = AidRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'aide"
        verbose_name_plural = "demandes d'aide"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="aid_request_amount_positive", condition=Q(amount_requested__gt=0)
            ),
            models.CheckConstraint(
                name="aid_request_granted_not_negative",
                condition=Q(amount_granted__isnull=True) | Q(amount_granted__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.committee_number or f"Demande {self.pk}"

    @property
    def budget(self) -> dict:
        return json.loads(self.budget_data) if self.budget_data else {"incomes": [], "expenses": []}


class AidDecision(models.Model):
    """A committee's decision on a request, in session or by written procedure."""

    request = models.ForeignKey(AidRequest, on_delete=models.PROTECT, related_name="decisions")
    session = models.ForeignKey(
        CommitteeSession,
        on_delete=models.PROTECT,
        related_name="decisions",
        null=True,
        blank=True,
    )
    outcome = models.CharField("décision", max_length=16, choices=DecisionOutcome.choices)
    amount = _amount("montant accordé (€)", default=Decimal("0.00"))
    motive = EncryptedTextField("motif", blank=True)
    decided_on = models.DateField("date de la décision")
    written_procedure = models.BooleanField("procédure écrite (urgence)", default=False)
    # The recorder confirmed a decision beyond the remaining budget of its funder.
    beyond_budget = models.BooleanField("au-delà du budget restant", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "décision d'aide"
        verbose_name_plural = "décisions d'aide"
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(name="aid_decision_amount", condition=Q(amount__gte=0)),
            # A decision is taken in a session, or by written procedure: exactly one.
            models.CheckConstraint(
                name="aid_decision_session_or_written",
                condition=Q(session__isnull=False, written_procedure=False)
                | Q(session__isnull=True, written_procedure=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} le {self.decided_on:%d/%m/%Y}"


class AidPayment(models.Model):
    """A payment of granted aid, to the employee or to a third party (a landlord...)."""

    request = models.ForeignKey(AidRequest, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("versé le")
    amount = _amount("montant (€)")
    mode = models.CharField("mode", max_length=10, choices=PaymentMode.choices)
    payee = models.CharField("bénéficiaire", max_length=12, choices=Payee.choices)
    payee_name = EncryptedTextField("tiers bénéficiaire", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "versement d'aide"
        verbose_name_plural = "versements d'aide"
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(name="aid_payment_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"Versement du {self.paid_on:%d/%m/%Y}"


class LoanInstalment(models.Model):
    """One due repayment of a loan granted as aid."""

    request = models.ForeignKey(AidRequest, on_delete=models.PROTECT, related_name="instalments")
    due_on = models.DateField("échéance")
    amount = _amount("montant (€)")
    repaid_on = models.DateField("remboursée le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "échéance de remboursement"
        verbose_name_plural = "échéances de remboursement"
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(name="aid_instalment_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"Échéance du {self.due_on:%d/%m/%Y}"
