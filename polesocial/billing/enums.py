from django.db import models


class TimeKind(models.TextChoices):
    """What a worker's time was spent on (the lines of an invoice are these kinds)."""

    INTERVIEW = "interview", "Entretiens"
    TRAVEL = "travel", "Déplacements"
    COLLECTIVE_ACTION = "collective_action", "Actions collectives"
    BODY_MEETING = "body_meeting", "Instances"
    PREPARATION = "preparation", "Préparation et rédaction"
    INITIAL_REVIEW = "initial_review", "État des lieux"
    MANAGEMENT = "management", "Gestion de la fonction"
    # A drop-in session's time less the interviews recorded within it (appointments).
    DROP_IN = "drop_in_session", "Permanences"


# Billable unless the convention says otherwise; management of the function never is
# (training, documentation, social observation, team meetings).
DEFAULT_BILLABLE_KINDS = (
    TimeKind.INTERVIEW,
    TimeKind.TRAVEL,
    TimeKind.COLLECTIVE_ACTION,
    TimeKind.BODY_MEETING,
    TimeKind.PREPARATION,
    TimeKind.INITIAL_REVIEW,
    TimeKind.DROP_IN,
)


class TimeSource(models.TextChoices):
    MANUAL = "manual", "Saisie"
    INTERVIEW = "interview", "Entretien"
    COLLECTIVE_ACTION = "collective_action", "Action collective"
    BODY_MEETING = "body_meeting", "Instance"
    DROP_IN = "drop_in_session", "Permanence"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Facture"
    CREDIT_NOTE = "credit_note", "Avoir"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    ISSUED = "issued", "Émise"
    PAID = "paid", "Payée"
    CANCELLED = "cancelled", "Annulée par avoir"


class LineKind(models.TextChoices):
    WORK = "work", "Temps de la période"
    ADJUSTMENT = "adjustment", "Régularisation"
    CONTRIBUTION = "contribution", "Cotisation annuelle"
    FTE_SHARE = "fte_share", "Quote-part d'ETP"
    CREDIT = "credit", "Avoir partiel"
