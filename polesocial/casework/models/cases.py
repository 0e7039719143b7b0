from __future__ import annotations

from django.conf import settings
from django.db import models

from polesocial.casework.enums import (
    CaseStatus,
    ClosureReason,
    Domain,
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    InterviewPlace,
    OrientationResult,
    PlanItemStatus,
    Sex,
)
from polesocial.core.versioning import Versioned
from polesocial.privacy.access import ScopedQuerySet, scope_for_view
from polesocial.privacy.fields import EncryptedTextField

# What a counsellor may see of her team's caseloads: pseudonymised metadata.
METADATA_FIELDS = (
    "pk",
    "number",
    "status",
    "opened_on",
    "closed_on",
    "worker_id",
    "worker__user__first_name",
    "worker__user__last_name",
    "snapshot_employer__name",
)


class CaseQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=CaseStatus.OPEN)

    def open_on(self, day):
        return self.filter(opened_on__lte=day).exclude(closed_on__lt=day)

    def metadata_visible_by(self, user):
        """Caseload rows for `user` as METADATA_FIELDS only (counsellor's view)."""
        rule = scope_for_view("casework.Case", "metadata", user)
        return rule(self, user).values(*METADATA_FIELDS) if rule else self.none().values()

    def archive_visible_by(self, user):
        """Archived cases `user` may open as an authorised archivist (privacy.scopes)."""
        rule = scope_for_view("casework.Case", "archive", user)
        return rule(self, user) if rule else self.none()


class Case(Versioned):
    """The follow-up of one employee by one social worker (dossier)."""

    conflict_message = "Ce dossier a été modifié par une autre personne pendant votre saisie."

    number = models.CharField("numéro", max_length=20, unique=True)
    employee = models.ForeignKey(
        "casework.Employee", verbose_name="agent", on_delete=models.PROTECT, related_name="cases"
    )
    worker = models.ForeignKey(
        "organisations.SocialWorker",
        verbose_name="ASS en charge",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    referral = models.ForeignKey(
        "casework.Referral", on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    consent = models.ForeignKey(
        "casework.Consent", verbose_name="adhésion", on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(
        "état", max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField("ouvert le")
    closed_on = models.DateField("clos le", null=True, blank=True)
    assessment = EncryptedTextField("diagnostic", blank=True)
    # The employee's situation at opening, kept for statistics whatever changes later.
    snapshot_employer = models.ForeignKey(
        "organisations.Employer", on_delete=models.PROTECT, related_name="cases"
    )
    snapshot_status = models.CharField(max_length=16, choices=EmploymentStatus.choices)
    snapshot_category = models.CharField(max_length=1, choices=GradeCategory.choices)
    # The year alone: all the yearly age bands need (age on 31 December), and far less
    # telling than the date, which the employee row keeps encrypted.
    snapshot_birth_year = models.PositiveSmallIntegerField("année de naissance")
    snapshot_sex = models.CharField(max_length=1, choices=Sex.choices)
    snapshot_family_situation = models.CharField(max_length=16, choices=FamilySituation.choices)
    # The employee as the worker in charge recorded them (casework.person), shown on screens
    # instead of the shared Employee row, so silent matching never reveals a colleague.
    person_data = EncryptedTextField(blank=True)
    # The retention job (services.retention): a closed case leaves the active base for the
    # archive, then is anonymised; its statistical snapshot above is kept.
    archived_on = models.DateField("archivé le", null=True, blank=True)
    anonymised_on = models.DateField("anonymisé le", null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="case_closed_after_opening",
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def person(self):
        from polesocial.casework.person import PersonRecord

        if self.person_data:
            return PersonRecord.from_json(self.person_data)
        return PersonRecord.from_employee(self.employee)

    @property
    def recorded_employer_id(self) -> int:
        """The employee's employer as the worker in charge recorded it (for an interview's
        default), never the shared row's, which a colleague's silent match may change."""
        return self.person.employer_id or self.snapshot_employer_id

    @property
    def domain_codes(self) -> list[str]:
        return [d.domain for d in self.domains.all()]


class CaseDomain(models.Model):
    """One problem domain of a case (a case can have several)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField("domaine", max_length=20, choices=Domain.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "domain"], name="case_domain_unique"),
        ]

    def __str__(self) -> str:
        from polesocial.organisations.labels import label

        return label("domain", self.domain)


class CaseRecordQuerySet(ScopedQuerySet):
    pass


class Interview(models.Model):
    """One contact with the employee: date, place, duration, confidential notes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interviews")
    occurred_on = models.DateField("date")
    place = models.CharField("lieu", max_length=20, choices=InterviewPlace.choices)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)")
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur imputé",
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = EncryptedTextField("notes", blank=True)
    private_note = EncryptedTextField("note personnelle", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "entretien"
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="interview_duration_range",
                condition=models.Q(duration_minutes__gt=0, duration_minutes__lte=480),
            ),
        ]

    def __str__(self) -> str:
        return f"Entretien du {self.occurred_on:%d/%m/%Y}"


class PlanObjective(Versioned):
    """An objective of the support plan, agreed with the employee."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="objectives")
    title = EncryptedTextField("objectif")
    status = models.CharField(
        "état", max_length=10, choices=PlanItemStatus.choices, default=PlanItemStatus.TODO
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "objectif"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Objectif {self.pk}"


class PlanAction(Versioned):
    """An action towards an objective, with its due date."""

    objective = models.ForeignKey(PlanObjective, on_delete=models.PROTECT, related_name="actions")
    description = EncryptedTextField("action")
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=PlanItemStatus.choices, default=PlanItemStatus.TODO
    )

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class Orientation(Versioned):
    """Referring the employee on to a partner."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="orientations")
    partner = models.ForeignKey(
        "directory.Partner", verbose_name="partenaire", on_delete=models.PROTECT, related_name="+"
    )
    oriented_on = models.DateField("date")
    purpose = EncryptedTextField("objet")
    result = models.CharField(
        "résultat",
        max_length=16,
        choices=OrientationResult.choices,
        default=OrientationResult.PENDING,
    )

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        ordering = ["-oriented_on", "-pk"]

    def __str__(self) -> str:
        return f"Orientation du {self.oriented_on:%d/%m/%Y}"


class CaseDocument(models.Model):
    """A document of the case, stored encrypted and served as an attachment only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    # The file's name, encrypted like its content: it often names the person or the
    # document's nature ("arret-maladie-….pdf").
    name = EncryptedTextField("nom")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    storage_name = models.CharField(max_length=200, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class CaseClosure(models.Model):
    """A closure of the case; a reopening keeps it, with its reopening date."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    closed_on = models.DateField("date de clôture")
    reason = models.CharField("motif", max_length=20, choices=ClosureReason.choices)
    outcome = EncryptedTextField("bilan", blank=True)
    reopened_on = models.DateField("rouvert le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "clôture"
        ordering = ["-closed_on", "-pk"]

    def __str__(self) -> str:
        return f"Clôture du {self.closed_on:%d/%m/%Y}"
