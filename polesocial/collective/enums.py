"""Code lists of collective work. Codes are fixed by the product (statistics compare them
between operators); labels are French."""

from django.db import models


class ActionKind(models.TextChoices):
    INFORMATION_MEETING = "information_meeting", "Réunion d'information"
    PREVENTION = "prevention", "Action de prévention"
    DISCUSSION_GROUP = "discussion_group", "Groupe d'échange"
    TRAINING = "training", "Formation"


class ActionTheme(models.TextChoices):
    RETIREMENT = "retirement", "Retraite"
    BUDGET = "budget", "Budget"
    HOUSING = "housing", "Logement"
    HEALTH = "health", "Santé"
    PSYCHOSOCIAL_RISKS = "psychosocial_risks", "Risques psychosociaux"
    CONFLICT = "conflict", "Conflits"
    DISABILITY = "disability", "Handicap"
    PARENTHOOD = "parenthood", "Parentalité"
    ADDICTION = "addiction", "Addictions"
    OTHER = "other", "Autre"


class Satisfaction(models.TextChoices):
    """How the participants rated the action (blank: not evaluated)."""

    VERY_SATISFIED = "very_satisfied", "Très satisfaisante"
    SATISFIED = "satisfied", "Satisfaisante"
    MIXED = "mixed", "Mitigée"
    UNSATISFIED = "unsatisfied", "Insatisfaisante"


class Body(models.TextChoices):
    """The HR bodies a social worker sits in (circular 2007-38, §2.4 and §4.3.2)."""

    SOCIAL_COMMITTEE = "social_committee", "Comité social d'administration (CSA)"
    HEALTH_SAFETY = (
        "health_safety",
        "Formation spécialisée santé, sécurité et conditions de travail (F3SCT)",
    )
    CLAS = "clas", "Comité local d'action sociale (CLAS)"
    AID_COMMITTEE = "aid_committee", "Commission d'aides matérielles"
    MEDICAL_BOARD = "medical_board", "Conseil médical"
    JOB_RETENTION = "job_retention", "Cellule de maintien dans l'emploi"
    MANAGEMENT_COMMITTEE = "management_committee", "Comité de direction"
    INTERNAL_COMMITTEE = "internal_committee", "Instance pluridisciplinaire interne"


class RiskKind(models.TextChoices):
    CONFLICT = "conflict", "Conflit"
    REORGANISATION = "reorganisation", "Réorganisation"
    PSYCHOSOCIAL = "psychosocial", "Risque psychosocial"
    WORKING_CONDITIONS = "working_conditions", "Conditions de travail"
    OTHER = "other", "Autre"
