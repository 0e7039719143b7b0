"""Time entries, invoices and their lines, the invoice number counters, FTE plan validations.

Billed data is never edited nor deleted: an issued invoice only changes status (paid,
cancelled by a credit note), its lines and the time entries they bill are locked, and every
foreign key to them is PROTECT. A time entry never names an employee nor a case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import number_format

from polesocial.billing import rules
from polesocial.billing.enums import (
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    TimeKind,
    TimeSource,
)
from polesocial.core.models import BackgroundJob
from polesocial.privacy.access import ScopedQuerySet

LOCKED_ENTRY = "Ce temps figure sur une facture émise : saisissez une correction."
ISSUED_INVOICE = "Une facture émise ne se modifie ni ne se supprime : émettez un avoir."
ONE_PER_PERIOD = "Cet employeur a déjà une facture pour cette période."

# Statuses whose lines hold their time entries (a cancelled invoice releases them).
HOLDING = (InvoiceStatus.DRAFT, InvoiceStatus.ISSUED, InvoiceStatus.PAID)
# What may still change on an issued invoice.
MUTABLE_AFTER_ISSUE = frozenset({"status", "paid_on"})


class TimeEntryQuerySet(ScopedQuerySet):
    def locked(self):
        return self.filter(invoice_lines__invoice__issued_on__isnull=False).distinct()

    def with_locked(self):
        """Each entry's `on_issued_invoice` (its `is_locked`), in the list's own query."""
        issued = InvoiceLine.entries.through.objects.filter(
            timeentry_id=OuterRef("pk"), invoiceline__invoice__issued_on__isnull=False
        )
        return self.annotate(on_issued_invoice=Exists(issued))

    def unbilled(self):
        """Entries on no invoice that still holds them (draft, issued or paid).

        A correlated NOT EXISTS on the link table's entry index: a NOT IN over every held
        line made each employer's run read the links of all employers (bench: the run grew
        with the square of the number of employers).
        """
        held = InvoiceLine.entries.through.objects.filter(
            timeentry_id=OuterRef("pk"), invoiceline__invoice__status__in=HOLDING
        )
        return self.exclude(Exists(held))

    def in_year(self, year: int):
        return self.filter(date__year=year)

    def delete(self):
        if self.locked().exists():
            raise ValidationError(LOCKED_ENTRY)
        return super().delete()


class TimeEntry(models.Model):
    """Minutes of one worker's work for one employer on one day, of one kind."""

    worker = models.ForeignKey(
        "organisations.SocialWorker",
        verbose_name="ASS",
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="time_entries",
        null=True,
        blank=True,
        help_text="Aucun pour la gestion de la fonction.",
    )
    date = models.DateField("date")
    minutes = models.IntegerField(
        "durée (minutes)", help_text="Négative pour corriger un temps déjà saisi."
    )
    kind = models.CharField("nature", max_length=32, choices=TimeKind.choices)
    source = models.CharField(
        "origine", max_length=32, choices=TimeSource.choices, default=TimeSource.MANUAL
    )
    # The interview, action or meeting that recorded it (never shown: it may be a case's).
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "temps"
        verbose_name_plural = "temps"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["employer", "date"], name="time_entry_employer_date"),
            models.Index(fields=["worker", "date"], name="time_entry_worker_date"),
            models.Index(fields=["source", "source_id"], name="time_entry_source"),
        ]
        constraints = [
            models.CheckConstraint(name="time_entry_minutes_nonzero", condition=~Q(minutes=0)),
            models.CheckConstraint(
                name="time_entry_kind_known", condition=Q(kind__in=TimeKind.values)
            ),
            # Time for an employer names it; management of the function is nobody's.
            models.CheckConstraint(
                name="time_entry_employer_for_kind",
                condition=(Q(kind=TimeKind.MANAGEMENT) & Q(employer__isnull=True))
                | (~Q(kind=TimeKind.MANAGEMENT) & Q(employer__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y} : {self.minutes} min"

    def save(self, *args, **kwargs):
        if self.is_locked:
            raise ValidationError(LOCKED_ENTRY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise ValidationError(LOCKED_ENTRY)
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return (
            bool(self.pk) and self.invoice_lines.filter(invoice__issued_on__isnull=False).exists()
        )


class InvoiceQuerySet(ScopedQuerySet):
    def issued(self):
        return self.exclude(status=InvoiceStatus.DRAFT)

    def drafts(self):
        return self.filter(status=InvoiceStatus.DRAFT)

    def delete(self):
        if self.exclude(status=InvoiceStatus.DRAFT).exists():
            raise ValidationError(ISSUED_INVOICE)
        InvoiceLine.objects.filter(invoice__in=self).delete()
        return super().delete()


class Invoice(models.Model):
    """An invoice (or a credit note) of the operator to an employer for one period."""

    operator = models.ForeignKey(
        "organisations.Operator", on_delete=models.PROTECT, related_name="invoices"
    )
    # PROTECT: an invoice outlives any change to the register.
    employer = models.ForeignKey(
        "organisations.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    convention = models.ForeignKey(
        "organisations.Convention",
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
    )
    kind = models.CharField(
        "nature", max_length=16, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    status = models.CharField(
        "statut", max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    number = models.CharField("numéro", max_length=20, blank=True)
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    period_label = models.CharField("période", max_length=60)
    total = models.DecimalField("total (€)", max_digits=12, decimal_places=2, default=0)
    issued_on = models.DateField("émise le", null=True, blank=True)
    paid_on = models.DateField("payée le", null=True, blank=True)
    # Issue date + the payment term (billing.rules.due_date), set on issue.
    due_on = models.DateField("échéance", null=True, blank=True)
    # Several credit notes may each cancel part of one invoice, never more than its total.
    cancels = models.ForeignKey(
        "self",
        verbose_name="facture annulée",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        null=True,
        blank=True,
    )
    reason = models.CharField("motif de l'avoir", max_length=255, blank=True)
    # The parties as they were on the day of issue (names, SIRET, addresses).
    parties = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "facture"
        ordering = ["-period_end", "employer__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "number"],
                condition=~Q(number=""),
                name="invoice_number_unique",
            ),
            models.CheckConstraint(
                name="invoice_status_known", condition=Q(status__in=InvoiceStatus.values)
            ),
            # A number is given on issue, and only then.
            models.CheckConstraint(
                name="invoice_number_when_issued",
                condition=(Q(status=InvoiceStatus.DRAFT) & Q(number="") & Q(issued_on__isnull=True))
                | (~Q(status=InvoiceStatus.DRAFT) & ~Q(number="") & Q(issued_on__isnull=False)),
            ),
            # One invoice per employer and period while it holds its time (credit notes
            # stay free): a second run of the period, even a concurrent one, bills nothing.
            models.UniqueConstraint(
                fields=["employer", "period_start", "period_end"],
                condition=Q(kind=InvoiceKind.INVOICE, status__in=HOLDING),
                name="invoice_one_per_employer_period",
                violation_error_message=ONE_PER_PERIOD,
            ),
            models.CheckConstraint(
                name="invoice_credit_note_cancels",
                condition=Q(kind=InvoiceKind.INVOICE, cancels__isnull=True)
                | Q(kind=InvoiceKind.CREDIT_NOTE, cancels__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.number or '(brouillon)'} — {self.employer} — {self.period_label}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            fields = kwargs.get("update_fields")
            if stored not in (None, InvoiceStatus.DRAFT) and (
                fields is None or not set(fields) <= MUTABLE_AFTER_ISSUE
            ):
                raise ValidationError(ISSUED_INVOICE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.is_draft:
            raise ValidationError(ISSUED_INVOICE)
        self.lines.all().delete()
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class InvoiceLineQuerySet(ScopedQuerySet):
    def delete(self):
        if self.exclude(invoice__status=InvoiceStatus.DRAFT).exists():
            raise ValidationError(ISSUED_INVOICE)
        return super().delete()


class InvoiceLine(models.Model):
    """One kind of work (or the contribution, or an FTE share) on an invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField("rang")
    kind = models.CharField("type de ligne", max_length=16, choices=LineKind.choices)
    time_kind = models.CharField("nature du temps", max_length=32, blank=True)
    label = models.CharField("libellé", max_length=200)
    minutes = models.IntegerField("temps (minutes)", default=0)
    quantity = models.DecimalField("quantité", max_digits=10, decimal_places=2)
    unit = models.CharField("unité", max_length=20)
    unit_price = models.DecimalField("prix unitaire (€)", max_digits=12, decimal_places=2)
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    entries = models.ManyToManyField(TimeEntry, related_name="invoice_lines", blank=True)
    # The mobility adviser's follow-ups a « Accompagnement mobilité » line bills, held like
    # its time entries (billing.services.mobility): only their minutes and employer are read.
    mobility_follow_ups = models.ManyToManyField(
        "casework.MobilityFollowUp", related_name="invoice_lines", blank=True
    )

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de facture"
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.label} : {self.amount} €"

    def save(self, *args, **kwargs):
        if not Invoice.objects.filter(pk=self.invoice_id, status=InvoiceStatus.DRAFT).exists():
            raise ValidationError(ISSUED_INVOICE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.invoice.is_draft:
            raise ValidationError(ISSUED_INVOICE)
        return super().delete(*args, **kwargs)

    @property
    def quantity_label(self) -> str:
        """The quantity as a French reader expects it: « 9 vacations », « 10,50 h »."""
        whole = self.quantity == self.quantity.to_integral_value()
        text = number_format(self.quantity, decimal_pos=0 if whole else 2, force_grouping=True)
        unit = self.unit
        if unit != "h" and abs(self.quantity) >= 2:  # « vacation », « forfait »
            unit += "s"
        return f"{text} {unit}"


class FtePlanValidationQuerySet(ScopedQuerySet):
    pass


class FtePlanValidation(models.Model):
    """The counsellor's validation of a worker's FTE plan (her shares) for a year."""

    worker = models.ForeignKey(
        "organisations.SocialWorker",
        on_delete=models.PROTECT,
        related_name="fte_plan_validations",
    )
    year = models.PositiveSmallIntegerField("année")
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(default=timezone.now)

    objects = FtePlanValidationQuerySet.as_manager()

    class Meta:
        verbose_name = "validation du plan ETP"
        constraints = [
            models.UniqueConstraint(fields=["worker", "year"], name="fte_plan_validation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}"


class InvoiceRunQuerySet(ScopedQuerySet):
    pass


class InvoiceRun(BackgroundJob):
    """A quarter's invoice run asked for on the billing screen, done by the task queue."""

    year = models.PositiveSmallIntegerField("année")
    quarter = models.PositiveSmallIntegerField("trimestre")
    drafts = models.PositiveIntegerField("brouillons préparés", null=True, blank=True)

    objects = InvoiceRunQuerySet.as_manager()

    class Meta(BackgroundJob.Meta):
        verbose_name = "préparation de facturation"
        verbose_name_plural = "préparations de facturation"

    def __str__(self) -> str:
        return f"Facturation du {self.quarter_label}"

    @property
    def quarter_label(self) -> str:
        """« 1er trimestre 2026 »."""
        return rules.period_label(self.year, 3, self.quarter)


class InvoiceRunLock(models.Model):
    """The lock of an operator's quarter: every invoice run of the quarter (command, screen,
    background batches) takes its row in its transaction and keeps it until it commits.

    A second run of the same quarter waits there (row lock on PostgreSQL, the database's
    write lock on SQLite), then sees the first one's drafts and invoices: it rebuilds the
    drafts and bills nothing twice. Taken by `billing.services.runs.lock_quarter` only.
    """

    operator = models.ForeignKey(
        "organisations.Operator", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année")
    quarter = models.PositiveSmallIntegerField("trimestre")
    locked_at = models.DateTimeField("dernière préparation", default=timezone.now)

    class Meta:
        verbose_name = "verrou de trimestre de facturation"
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "year", "quarter"], name="invoice_run_lock_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.year} T{self.quarter}"
