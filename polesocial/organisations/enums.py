from django.db import models


class OperatorKind(models.TextChoices):
    MANAGEMENT_CENTRE = "management_centre", "Centre de gestion"
    MINISTRY_REGIONAL_SERVICE = (
        "ministry_regional_service",
        "Service social régional d'un ministère",
    )
    LOCAL_AUTHORITY = "local_authority", "Collectivité"
    OTHER = "other", "Autre"


class OperatorLegalForm(models.TextChoices):
    """Decides the legal mentions of the operator's invoices (billing.rules)."""

    PUBLIC_BODY = "public_body", "Personne publique (paiement au comptable public)"
    ASSOCIATION = "association", "Association ou organisme privé (code de commerce)"


class EmployerKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    CCAS_CIAS = "ccas_cias", "CCAS / CIAS"
    PUBLIC_BODY = "public_body", "Établissement public"
    STATE_SERVICE = "state_service", "Service de l'État"
    OTHER = "other", "Autre"


class BillingMode(models.TextChoices):
    HOURLY = "hourly", "Taux horaire"
    SESSIONS = "sessions", "Vacations (demi-journées)"
    FTE_SHARE = "fte_share", "Quote-part d'ETP"


class BillingPeriod(models.TextChoices):
    MONTHLY = "monthly", "Mensuelle"
    QUARTERLY = "quarterly", "Trimestrielle"
    HALF_YEARLY = "half_yearly", "Semestrielle"
    YEARLY = "yearly", "Annuelle"


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SIGNED = "signed", "Signée"
    ACTIVE = "active", "En vigueur"
    TERMINATED = "terminated", "Résiliée"
