"""The product's fixed code lists: codes are stable so statistics compare across operators."""

from django.db import models


class ReferralSource(models.TextChoices):
    EMPLOYEE = "employee", "L'agent lui-même"
    EMPLOYER_HR = "employer_hr", "Le service RH de l'employeur"
    LINE_MANAGER = "line_manager", "Un·e encadrant·e"
    OCCUPATIONAL_HEALTH = "occupational_health", "Le médecin ou l'infirmier·ère de prévention"
    OPERATOR_SERVICE = "operator_service", "Un autre service de l'opérateur"
    EXTERNAL_MEDICO_SOCIAL = "external_medico_social", "Un service médico-social externe"
    ELECTED_OFFICIAL = "elected_official", "Un·e élu·e"
    MOBILITY_ADVISER = "mobility_adviser", "La conseillère mobilité"


class Urgency(models.TextChoices):
    NORMAL = "normal", "Normale"
    URGENT = "urgent", "Urgente"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Reçue"
    ASSIGNED = "assigned", "Attribuée"
    ASSESSED = "assessed", "Évaluée"


class AssessmentOutcome(models.TextChoices):
    OPEN_CASE = "open_case", "Ouvrir un accompagnement"
    INFORMATION = "information", "Information donnée"
    REDIRECTED = "redirected", "Orientation vers un partenaire"
    DECLINED = "declined", "Sans suite (refus ou hors champ)"


class ConsentForm(models.TextChoices):
    ORAL = "oral", "Orale"
    WRITTEN = "written", "Écrite"


class ConsentScope(models.TextChoices):
    MOBILITY_ADVISER = "mobility_adviser", "Échanges avec la conseillère mobilité"
    OCCUPATIONAL_HEALTH = "occupational_health", "Échanges avec le médecin de prévention"
    EMPLOYER_HR = "employer_hr", "Échanges avec le service RH"
    PARTNERS = "partners", "Échanges avec les partenaires sollicités"
    AID_COMMITTEE = "aid_committee", "Présentation anonyme à la commission d'aides"


class EmploymentStatus(models.TextChoices):
    TITULAIRE = "titulaire", "Titulaire"
    STAGIAIRE = "stagiaire", "Stagiaire"
    CONTRACTUEL = "contractuel", "Contractuel·le"


class GradeCategory(models.TextChoices):
    A = "A", "Catégorie A"
    B = "B", "Catégorie B"
    C = "C", "Catégorie C"


class FamilySituation(models.TextChoices):
    SINGLE = "single", "Personne seule"
    COUPLE = "couple", "En couple"
    SINGLE_PARENT = "single_parent", "Famille monoparentale"
    OTHER = "other", "Autre"


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"
    UNSPECIFIED = "X", "Non précisé"


class WorkingTime(models.TextChoices):
    FULL_TIME = "full_time", "Temps complet"
    PART_TIME = "part_time", "Temps partiel"
    NON_FULL_TIME = "non_full_time", "Temps non complet"


class Domain(models.TextChoices):
    WORK = "work", "Travail"
    HEALTH = "health", "Santé"
    BUDGET = "budget", "Budget"
    FAMILY = "family", "Famille"
    HOUSING = "housing", "Logement"
    ADMINISTRATIVE = "administrative", "Démarches administratives"
    DISABILITY = "disability", "Handicap et reclassement"
    RETIREMENT = "retirement", "Retraite"
    VIOLENCE = "violence", "Violences"
    ADDICTION = "addiction", "Addictions"
    OTHER = "other", "Autre"


class CaseStatus(models.TextChoices):
    OPEN = "open", "En cours"
    CLOSED = "closed", "Clos"


class InterviewPlace(models.TextChoices):
    OPERATOR_OFFICE = "operator_office", "Dans les locaux de l'opérateur"
    WORKPLACE = "workplace", "Sur le lieu de travail"
    DROP_IN_SITE = "drop_in_site", "Sur un site de permanence"
    HOME = "home", "Au domicile"
    PHONE = "phone", "Par téléphone"
    VIDEO = "video", "En visioconférence"


class ClosureReason(models.TextChoices):
    OBJECTIVES_MET = "objectives_met", "Objectifs atteints"
    EMPLOYEE_CHOICE = "employee_choice", "Choix de l'agent"
    REDIRECTED = "redirected", "Relais à un partenaire"
    LEFT_EMPLOYER = "left_employer", "Départ de l'employeur"
    RETIRED = "retired", "Départ en retraite"
    NO_CONTACT = "no_contact", "Sans nouvelles"
    OTHER = "other", "Autre"


class PlanItemStatus(models.TextChoices):
    TODO = "todo", "À faire"
    DONE = "done", "Fait"
    CANCELLED = "cancelled", "Abandonné"


class OrientationResult(models.TextChoices):
    PENDING = "pending", "En attente"
    ACHIEVED = "achieved", "Aboutie"
    NOT_ACHIEVED = "not_achieved", "Non aboutie"


class HandoffKind(models.TextChoices):
    """How the worker involves the mobility adviser (both keep the case's own rules)."""

    HANDOVER = "handover", "Passage de relais"
    SHARE = "share", "Partage pour un suivi conjoint"


class MobilityFollowUpKind(models.TextChoices):
    REDEPLOYMENT = "redeployment", "Reclassement"
    MEDICAL_UNFITNESS = "medical_unfitness", "Procédure d'inaptitude"
    TRAINING = "training", "Formation"
    OTHER = "other", "Autre"
