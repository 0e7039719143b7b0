from django.db import models


class Funder(models.TextChoices):
    """Who finances an aid scheme (and holds a yearly budget)."""

    EMPLOYER = "employer", "Employeur"
    OPERATOR = "operator", "Opérateur (centre de gestion)"
    CNAS = "cnas", "CNAS"
    FNAS = "fnas", "FNAS"
    SRIAS = "srias", "SRIAS"
    CAF = "caf", "CAF"
    OTHER = "other", "Autre financeur"


class SchemeKind(models.TextChoices):
    GRANT = "grant", "Aide financière"
    EXCEPTIONAL_HELP = "exceptional_help", "Secours exceptionnel"
    LOAN = "loan", "Prêt"
    IN_KIND = "in_kind", "Aide en nature"
    SERVICE = "service", "Prestation de service"


class MembershipBody(models.TextChoices):
    CNAS = "cnas", "CNAS"
    FNAS = "fnas", "FNAS"
    WELFARE_INSURANCE = "welfare_insurance", "Convention de participation prévoyance"
    OTHER_SOCIAL_ACTION = "other_social_action", "Autre organisme d'action sociale"
    OTHER = "other", "Autre adhésion"


class AidStatus(models.TextChoices):
    """The lifecycle of an aid request, changed only by the services' transitions."""

    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposée"
    ON_AGENDA = "on_agenda", "Inscrite à l'ordre du jour"
    DECIDED = "decided", "Décidée"
    PAID = "paid", "Versée"
    CLOSED = "closed", "Close"


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", "Accordée"
    PARTLY_GRANTED = "partly_granted", "Accordée en partie"
    REFUSED = "refused", "Refusée"
    POSTPONED = "postponed", "Ajournée"


class CommitteeScope(models.TextChoices):
    OPERATOR = "operator", "Opérateur"
    EMPLOYER = "employer", "Employeur"
    TEAM = "team", "Équipe"


class PaymentMode(models.TextChoices):
    TRANSFER = "transfer", "Virement"
    CHEQUE = "cheque", "Chèque"
    VOUCHER = "voucher", "Bons ou titres de paiement"
    IN_KIND = "in_kind", "En nature"


class Payee(models.TextChoices):
    EMPLOYEE = "employee", "L'agent"
    THIRD_PARTY = "third_party", "Un tiers (bailleur, fournisseur…)"
