"""The audit journal's action codes: one member per kind of access or write.

The value is the code stored in `AuditEntry.action` (and covered by its HMAC), so it never
changes once entries carry it; the label is what the DPO's journal and a case's history
tab show. `audit_log` accepts these members only: a new action is added here first.
"""

from django.db import models


class AuditAction(models.TextChoices):
    # --- Users ---
    USER_CREATE = "user.create", "Création d'un compte"
    USER_READ = "user.read", "Consultation d'un compte"
    USER_DEACTIVATE = "user.deactivate", "Désactivation d'un compte"
    USER_REACTIVATE = "user.reactivate", "Réactivation d'un compte"
    USER_RESET_SECOND_FACTOR = (
        "user.reset_second_factor",
        "Réinitialisation de la double authentification",
    )
    USER_SIGN_IN = "user.sign_in", "Connexion"
    USER_PROCONNECT_BIND = "user.proconnect_bind", "Compte lié à une identité ProConnect"
    USER_UPDATE = "user.update", "Modification d'un compte"
    USER_PASSWORD_CHANGE = "user.password_change", "Changement de son mot de passe"
    USER_SESSIONS_END = "user.sessions_end", "Fermeture de ses autres sessions"
    # --- API ---
    API_TOKEN_CREATE = "api_token.create", "Création d'un jeton d'API"
    API_TOKEN_REVOKE = "api_token.revoke", "Révocation d'un jeton d'API"
    # --- Organisations ---
    OPERATOR_CREATE = "operator.create", "Enregistrement de l'opérateur"
    OPERATOR_UPDATE = "operator.update", "Modification de l'opérateur"
    OPERATOR_BILLING_UPDATE = (
        "operator.billing_update",
        "Modification des mentions de facturation de l'opérateur",
    )
    TEAM_CREATE = "team.create", "Création d'une équipe"
    TEAM_UPDATE = "team.update", "Modification d'une équipe"
    TEAM_CLOSE = "team.close", "Fermeture d'une équipe"
    COUNSELLOR_INTERIM_CREATE = (
        "counsellor_interim.create",
        "Désignation d'un intérim de conseiller·ère",
    )
    SOCIAL_WORKER_CREATE = "social_worker.create", "Rattachement d'une ASS à une équipe"
    SOCIAL_WORKER_UPDATE = "social_worker.update", "Modification de la fiche d'une ASS"
    EMPLOYER_CREATE = "employer.create", "Création d'un employeur"
    EMPLOYER_UPDATE = "employer.update", "Modification d'un employeur"
    HEADCOUNT_SET = "headcount.set", "Saisie d'un effectif"
    CONVENTION_CREATE = "convention.create", "Création d'une convention"
    CONVENTION_UPDATE = "convention.update", "Modification d'une convention"
    CONVENTION_SIGN = "convention.sign", "Signature d'une convention"
    CONVENTION_ACTIVATE = "convention.activate", "Entrée en vigueur d'une convention"
    CONVENTION_TERMINATE = "convention.terminate", "Résiliation d'une convention"
    CONVENTION_AMEND = "convention.amend", "Avenant à une convention"
    CONVENTION_SCAN = "convention.scan", "Dépôt de la convention signée"
    FTE_SHARE_SET = "fte_share.set", "Saisie d'une quote-part d'ETP"
    LABEL_OVERRIDE_SET = "label_override.set", "Modification des libellés des listes de référence"
    REPLACEMENT_CREATE = "replacement.create", "Désignation d'un remplacement"
    # --- Directory ---
    PARTNER_CREATE = "partner.create", "Ajout d'un partenaire"
    PARTNER_UPDATE = "partner.update", "Modification d'un partenaire"
    # --- Case work: referrals, consent, employees ---
    REFERRAL_CREATE = "referral.create", "Réception d'une saisine"
    REFERRAL_QUEUE_LIST = "referral.queue_list", "Consultation de la file des saisines"
    REFERRAL_ASSIGN = "referral.assign", "Attribution d'une saisine"
    REFERRAL_LIST = "referral.list", "Consultation de la liste des saisines"
    REFERRAL_READ = "referral.read", "Consultation d'une saisine"
    REFERRAL_ASSESS = "referral.assess", "Évaluation téléphonique d'une saisine"
    REFERRAL_TRANSFER = "referral.transfer", "Transfert de saisines"
    REFERRAL_MARK_SPAM = "referral.mark_spam", "Signalement d'une demande abusive"
    # --- Case work: the mobility adviser ---
    HANDOFF_CREATE = "handoff.create", "Passage de relais à la conseillère mobilité"
    HANDOFF_READ = "handoff.read", "Consultation d'un relais mobilité"
    HANDOFF_LIST = "handoff.list", "Consultation des relais mobilité"
    HANDOFF_END = "handoff.end", "Fin d'un relais mobilité"
    MOBILITY_FOLLOWUP_RECORD = "mobility_followup.record", "Suivi de la conseillère mobilité"
    CONSENT_RECORD = "consent.record", "Recueil de l'adhésion"
    CONSENT_WITHDRAW = "consent.withdraw", "Retrait de l'adhésion"
    EMPLOYEE_LIST = "employee.list", "Consultation de la liste des agents"
    EMPLOYEE_READ = "employee.read", "Consultation d'un agent"
    EMPLOYEE_IDENTITY_CORRECT = "employee.identity_correct", "Correction de l'identité de l'agent"
    # --- Case work: the case ---
    CASE_OPEN = "case.open", "Ouverture du dossier"
    CASE_READ = "case.read", "Consultation du dossier"
    CASE_LIST = "case.list", "Consultation de la liste des dossiers"
    CASE_METADATA_LIST = (
        "case.metadata_list",
        "Consultation des dossiers de l'équipe (données pseudonymisées)",
    )
    CASE_UPDATE = "case.update", "Modification des domaines ou du diagnostic"
    CASE_CLOSE = "case.close", "Clôture du dossier"
    CASE_REOPEN = "case.reopen", "Réouverture du dossier"
    CASE_TRANSFER = "case.transfer", "Transfert du dossier"
    CASE_HISTORY_READ = "case.history_read", "Consultation de l'historique"
    # --- Case work: what a case holds ---
    INTERVIEW_LIST = "interview.list", "Consultation de la liste des entretiens"
    INTERVIEW_READ = "interview.read", "Consultation des entretiens"
    INTERVIEW_CREATE = "interview.create", "Saisie d'un entretien"
    PLAN_READ = "plan.read", "Consultation du plan d'accompagnement"
    PLAN_OBJECTIVE_LIST = "plan_objective.list", "Consultation des objectifs du plan"
    PLAN_OBJECTIVE_READ = "plan_objective.read", "Consultation d'un objectif du plan"
    PLAN_OBJECTIVE_CREATE = "plan_objective.create", "Ajout d'un objectif au plan"
    PLAN_OBJECTIVE_UPDATE = "plan_objective.update", "Changement d'état d'un objectif"
    PLAN_ACTION_LIST = "plan_action.list", "Consultation des actions du plan"
    PLAN_ACTION_READ = "plan_action.read", "Consultation d'une action du plan"
    PLAN_ACTION_CREATE = "plan_action.create", "Ajout d'une action au plan"
    PLAN_ACTION_UPDATE = "plan_action.update", "Changement d'état d'une action"
    ORIENTATION_LIST = "orientation.list", "Consultation de la liste des orientations"
    ORIENTATION_READ = "orientation.read", "Consultation des orientations"
    ORIENTATION_CREATE = "orientation.create", "Orientation vers un partenaire"
    ORIENTATION_UPDATE = "orientation.update", "Résultat d'une orientation"
    CASE_DOCUMENT_LIST = "case_document.list", "Consultation de la liste des documents"
    CASE_DOCUMENT_READ = "case_document.read", "Téléchargement d'un document"
    CASE_DOCUMENT_CREATE = "case_document.create", "Dépôt d'un document"
    # --- Collective work ---
    COLLECTIVE_ACTION_CREATE = "collective_action.create", "Création d'une action collective"
    COLLECTIVE_ACTION_UPDATE = "collective_action.update", "Modification d'une action collective"
    COLLECTIVE_DOCUMENT_ADD = "collective_document.add", "Ajout d'un document à une action"
    COLLECTIVE_DOCUMENT_DELETE = (
        "collective_document.delete",
        "Suppression d'un document d'une action",
    )
    COLLECTIVE_NAME_WARNING = (
        "collective.name_warning",
        "Nom de personne signalé dans une action collective",
    )
    BODY_MEETING_CREATE = "body_meeting.create", "Saisie d'une réunion d'instance"
    BODY_MEETING_UPDATE = "body_meeting.update", "Modification d'une réunion d'instance"
    ALERT_CREATE = "alert.create", "Émission d'une alerte"
    ALERT_UPDATE = "alert.update", "Modification d'une alerte"
    # --- Appointments ---
    APPOINTMENT_BOOK = "appointment.book", "Prise d'un rendez-vous"
    APPOINTMENT_CANCEL = "appointment.cancel", "Annulation d'un rendez-vous"
    APPOINTMENT_DONE = "appointment.done", "Rendez-vous marqué honoré"
    APPOINTMENT_MISSED = "appointment.missed", "Rendez-vous marqué non honoré"
    APPOINTMENT_READ = "appointment.read", "Consultation de rendez-vous (agenda)"
    REMINDER_CONSENT_WITHDRAW = (
        "appointment.reminder_withdraw",
        "Retrait de l'accord pour les rappels de rendez-vous",
    )
    REMINDER_SEND = "appointment.reminder_send", "Envoi de rappels de rendez-vous"
    DROP_IN_CREATE = "drop_in.create", "Programmation d'une permanence"
    DROP_IN_CANCEL = "drop_in.cancel", "Annulation d'une date de permanence"
    CALENDAR_FEED_RENEW = "calendar_feed.renew", "Nouvelle adresse du flux d'agenda"
    CALENDAR_FEED_REVOKE = "calendar_feed.revoke", "Révocation du flux d'agenda"
    CALENDAR_FEED_READ = "calendar_feed.read", "Lecture du flux d'agenda"
    SECRETARY_TEAMS_SET = "secretary.teams_set", "Équipes servies par un secrétariat"
    # --- Billing ---
    TIME_ENTRY_CREATE = "time_entry.create", "Saisie de temps"
    TIME_ENTRY_DELETE = "time_entry.delete", "Suppression d'une saisie de temps"
    FTE_PLAN_VALIDATE = "fte_plan.validate", "Validation d'un plan d'ETP"
    INVOICE_RUN = "invoice.run", "Préparation des factures d'un trimestre"
    INVOICE_RUN_FINAL = (
        "invoice.run_final",
        "Facture finale d'une convention avant la fin du trimestre",
    )
    INVOICE_ISSUE = "invoice.issue", "Émission d'une facture"
    INVOICE_CANCEL = "invoice.cancel", "Annulation d'une facture par avoir"
    INVOICE_PAYMENT = "invoice.payment", "Paiement d'une facture"
    # --- Reports ---
    REPORT_NAME_WARNING = "report.name_warning", "Nom de personne signalé dans un bilan"
    # --- Material aid ---
    AID_SCHEME_SAVE = "aid_scheme.save", "Enregistrement d'un dispositif d'aide"
    AID_MEMBERSHIP_SAVE = "aid_membership.save", "Enregistrement d'une adhésion d'employeur"
    AID_PROVIDER_SAVE = "aid_provider.save", "Enregistrement d'un prestataire"
    AID_SCHEME_CLOSE = "aid_scheme.close", "Fin de validité d'un dispositif d'aide"
    AID_MEMBERSHIP_CLOSE = "aid_membership.close", "Fin d'une adhésion d'employeur"
    AID_PROVIDER_CLOSE = "aid_provider.close", "Fin du référencement d'un prestataire"
    AID_BUDGET_SET = "aid_budget.set", "Saisie d'un budget d'aides"
    AID_REQUEST_LIST = "aid_request.list", "Consultation des demandes d'aide d'un dossier"
    AID_REQUEST_CREATE = "aid_request.create", "Préparation d'une demande d'aide"
    AID_REQUEST_SUBMIT = "aid_request.submit", "Dépôt d'une demande d'aide"
    AID_REQUEST_SCHEDULE = "aid_request.schedule", "Inscription d'une demande à l'ordre du jour"
    AID_REQUEST_DECIDE = "aid_request.decide", "Décision sur une demande d'aide"
    AID_REQUEST_PAY = "aid_request.pay", "Versement d'une aide"
    AID_REQUEST_CLOSE = "aid_request.close", "Clôture d'une demande d'aide"
    AID_LETTER_PRINT = "aid_request.letter", "Édition d'une lettre de notification d'aide"
    AID_COMMITTEE_SAVE = "aid_committee.save", "Enregistrement d'une commission d'aides"
    AID_SESSION_SAVE = "aid_session.save", "Enregistrement d'une séance de commission"
    AID_AGENDA_READ = "aid_session.agenda_read", "Consultation d'un ordre du jour de commission"
    AID_MINUTES_PRINT = "aid_session.minutes", "Édition du procès-verbal d'une commission"
    AID_UNDERTAKING_SIGN = "aid_undertaking.sign", "Signature d'un engagement de confidentialité"
    # --- Data protection: retention and subject access ---
    RETENTION_ARCHIVE = "retention.archive", "Archivage de dossiers (durée de conservation)"
    RETENTION_FLAG = "retention.flag", "Signalement de dossiers ouverts sans contact"
    RETENTION_ANONYMISE_CASE = "retention.anonymise_case", "Anonymisation de dossiers archivés"
    RETENTION_ANONYMISE_REFERRAL = (
        "retention.anonymise_referral",
        "Anonymisation de saisines sans dossier",
    )
    RETENTION_ANONYMISE_EMPLOYEE = "retention.anonymise_employee", "Anonymisation d'agents"
    AUDIT_PURGE = "audit.purge", "Purge des entrées anciennes du journal"
    SUBJECT_EXPORT = "subject.export", "Export des données d'un agent (droit d'accès)"
    SUBJECT_SEARCH = "subject.search", "Recherche d'un agent pour une demande d'accès"
    # --- Data protection: the archive ---
    ARCHIVIST_GRANT = "archivist.grant", "Habilitation à ouvrir l'archive"
    ARCHIVIST_REVOKE = "archivist.revoke", "Retrait de l'habilitation à l'archive"
    ARCHIVE_LIST = "archive.list", "Consultation de la liste des dossiers archivés"
    ARCHIVE_OPEN = "archive.open", "Ouverture d'un dossier archivé (motif saisi)"
    # --- Data protection: subject access and erasure requests ---
    SUBJECT_REQUEST_RECEIVE = "subject_request.receive", "Enregistrement d'une demande d'accès"
    SUBJECT_REQUEST_PREPARE = "subject_request.prepare", "Préparation de l'export (droit d'accès)"
    SUBJECT_REQUEST_BALANCE = (
        "subject_request.balance",
        "Décision de mise en balance (noms des personnels, CJUE C-579/21)",
    )
    SUBJECT_REQUEST_REVIEW = (
        "subject_request.review",
        "Relecture et occultations par l'ASS en charge (droit d'accès)",
    )
    SUBJECT_REQUEST_RELEASE = "subject_request.release", "Remise de l'export (droit d'accès)"
    ERASURE_REQUEST_RECEIVE = "erasure_request.receive", "Enregistrement d'une demande d'effacement"
    ERASURE_REQUEST_DECIDE = "erasure_request.decide", "Décision sur une demande d'effacement"
    # --- Installation ---
    BACKUP_CREATE = "backup.create", "Sauvegarde chiffrée de la base"
    BACKUP_RESTORE = "backup.restore", "Restauration de la base depuis une sauvegarde"
    DEMO_LOAD = "demo.load", "Chargement des données de démonstration"

    @classmethod
    def label_of(cls, code: str) -> str:
        """The label of a stored code; the code itself for one no longer in use."""
        return cls(code).label if code in cls.values else code
