from django.db import models


class PartnerKind(models.TextChoices):
    CAF = "caf", "Caisse d'allocations familiales (CAF)"
    CPAM = "cpam", "Caisse primaire d'assurance maladie (CPAM)"
    CARSAT = "carsat", "CARSAT (retraite, santé au travail)"
    CNAS = "cnas", "CNAS (action sociale)"
    CCAS = "ccas", "CCAS / CIAS"
    SOCIAL_LANDLORD = "social_landlord", "Bailleur social"
    OVER_INDEBTEDNESS = "over_indebtedness", "Banque de France (surendettement)"
    ASSOCIATION = "association", "Association"
    DEPARTMENTAL_SOCIAL_SERVICE = "departmental_social_service", "Service social départemental"
    HEALTH = "health", "Service de santé"
    JUSTICE = "justice", "Justice, commissaires de justice"
    OTHER = "other", "Autre"
