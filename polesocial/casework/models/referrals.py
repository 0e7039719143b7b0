from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from polesocial.casework.enums import (
    AssessmentOutcome,
    ConsentForm,
    ReferralSource,
    ReferralStatus,
    Urgency,
)
from polesocial.privacy.access import ScopedQuerySet, scope_for_view
from polesocial.privacy.fields import EncryptedTextField

# What the triage queue may show to a counsellor or to the team: no identity, no reason.
QUEUE_FIELDS = (
    "pk",
    "number",
    "employer__name",
    "source",
    "urgency",
    "received_at",
    "status",
    "assigned_to__user__first_name",
    "assigned_to__user__last_name",
)
# What the sender (HR contact, physician) sees afterwards: that it was received.
RECEIPT_FIELDS = ("pk", "number", "employer__name", "received_at")


class ReferralQuerySet(ScopedQuerySet):
    def waiting(self):
        return self.exclude(status=ReferralStatus.ASSESSED).not_spam()

    def not_spam(self):
        """Referrals that are real requests: a public request marked as spam counts nowhere."""
        return self.filter(spam_marked_at__isnull=True)

    def self_referrals(self):
        """Requests the employee sent himself from the public page (no account behind)."""
        return self.filter(source=ReferralSource.EMPLOYEE, created_by__isnull=True)

    def queue_visible_by(self, user):
        """The triage queue rows `user` may see, as dictionaries of QUEUE_FIELDS only."""
        rule = scope_for_view("casework.Referral", "queue", user)
        # A request marked as abuse is nobody's work: out of the queue and its counts.
        return rule(self.not_spam(), user).values(*QUEUE_FIELDS) if rule else self.none().values()

    def receipts_visible_by(self, user):
        """A sender's referrals, as RECEIPT_FIELDS only: never what became of them."""
        rule = scope_for_view("casework.Referral", "receipt", user)
        return rule(self, user).values(*RECEIPT_FIELDS) if rule else self.none().values()


class Referral(models.Model):
    """A request to the social service about one employee (saisine)."""

    number = models.CharField("numéro", max_length=20, unique=True)
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    source = models.CharField("origine", max_length=32, choices=ReferralSource.choices)
    received_at = models.DateTimeField("reçue le", default=timezone.now)
    # Who asked, encrypted: it may be the employee himself, or name his manager.
    referrer_name = EncryptedTextField("demandeur", blank=True)
    referrer_contact = EncryptedTextField("coordonnées du demandeur", blank=True)
    reason = EncryptedTextField("motif de la demande")
    urgency = models.CharField(
        "urgence", max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # The person as the referrer named them; the worker confirms identity at assessment.
    person_last_name = EncryptedTextField("nom de l'agent")
    person_first_name = EncryptedTextField("prénom de l'agent")
    person_contact = EncryptedTextField("coordonnées de l'agent", blank=True)
    employee = models.ForeignKey(
        "casework.Employee",
        verbose_name="agent",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    status = models.CharField(
        "état", max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    assigned_to = models.ForeignKey(
        "organisations.SocialWorker",
        verbose_name="ASS",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    assigned_at = models.DateTimeField("attribuée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A request of the public page that the worker found to be abuse: emptied at once, left
    # out of the queue and of every report (casework.services.self_referral).
    spam_marked_at = models.DateTimeField("signalée comme abusive le", null=True, blank=True)
    # Set by the retention job when the free text and the person named are removed.
    anonymised_on = models.DateField("anonymisée le", null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "saisine"
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def waiting_days(self) -> int:
        return (timezone.now() - self.received_at).days


class FirstAssessment(models.Model):
    """The phone call that qualifies a referral (évaluation téléphonique)."""

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="first_assessment"
    )
    assessed_on = models.DateField("date")
    outcome = models.CharField("suite donnée", max_length=16, choices=AssessmentOutcome.choices)
    notes = EncryptedTextField("notes", blank=True)
    worker = models.ForeignKey(
        "organisations.SocialWorker", on_delete=models.PROTECT, related_name="+"
    )
    # The employee as this worker confirmed them (casework.person): never a colleague's.
    person_data = EncryptedTextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation téléphonique"

    def __str__(self) -> str:
        return f"Évaluation de {self.referral}"

    @property
    def person(self):
        from polesocial.casework.person import PersonRecord

        return PersonRecord.from_json(self.person_data) if self.person_data else None


class ConsentQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(withdrawn_on__isnull=True)


class Consent(models.Model):
    """The employee's agreement to the social worker's intervention (adhésion)."""

    employee = models.ForeignKey(
        "casework.Employee", on_delete=models.PROTECT, related_name="consents"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="consents", null=True, blank=True
    )
    given_on = models.DateField("date de l'adhésion")
    form = models.CharField("forme", max_length=8, choices=ConsentForm.choices)
    scope = models.JSONField(
        "échanges autorisés",
        default=list,
        blank=True,
        help_text="Codes de ConsentScope : avec qui l'ASS peut échanger.",
    )
    withdrawn_on = models.DateField("retirée le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion de l'agent"
        verbose_name_plural = "adhésions de l'agent"
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"Adhésion du {self.given_on:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
