from django.db import models


class Role(models.TextChoices):
    """One role per user (ARCHITECTURE.md §1)."""

    SOCIAL_WORKER = "social_worker", "Assistant·e de service social"
    COUNSELLOR = "counsellor", "Conseiller·ère social·e"
    SECRETARY = "secretary", "Secrétariat médico-social"
    BILLING = "billing", "Gestion et facturation"
    EMPLOYER_CONTACT = "employer_contact", "Correspondant·e RH"
    PHYSICIAN = "physician", "Médecin ou infirmier·ère de prévention"
    NATIONAL_ADVISER = "national_adviser", "Conseiller·ère technique national·e"
    DPO = "dpo", "Délégué·e à la protection des données"
    ADMIN = "admin", "Administrateur·rice technique"
    MOBILITY_ADVISER = "mobility_adviser", "Conseiller·ère mobilité"
    COMMITTEE_MEMBER = "committee_member", "Membre de commission d'aides"
