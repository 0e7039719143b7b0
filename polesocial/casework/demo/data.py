"""The case-work demo's fixed lists: names, weights of the year's activity, texts.

The profile shares (status, category, family situation, age) are seed 001's figures; the
other weights are plausible orders of magnitude, not measured ones: self-referral first,
then HR and occupational health; budget, work, health, housing and family the most
frequent domains; most interviews at the operator's office or by phone.
"""

import datetime as dt

from polesocial.casework.enums import (
    AssessmentOutcome,
    ClosureReason,
    Domain,
    InterviewPlace,
    ReferralSource,
)
from polesocial.organisations.demo import EMPLOYERS

SEED = 2026
# The closed years of history before the demo year, in years back (seeds SEED + 1, SEED + 2):
# with the demo year, the three years an employer's pooled report adds up.
HISTORY_YEARS = (1, 2)
# The first demo employee: when she exists, the demo case work is loaded already.
MARKER = ("Mercier", "Sandrine", dt.date(1977, 5, 21))
CASES, OTHER_OUTCOMES, WAITING, REPEATS = 480, 50, 15, 5
OTHER_OUTCOME_MIX = {"information": 28, "redirected": 13, "declined": 9}

# The profile of the employees followed (seed 001), exact within each group of people.
STATUS_MIX = {"titulaire": 74, "stagiaire": 8, "contractuel": 18}  # 82 % tit. or stag.
FAMILY_MIX = {"single": 36, "single_parent": 30, "couple": 30, "other": 4}
# Ages at the referral, kept a year away from the 35 and 55 limits: 68 % aged 35 to 55.
AGE_MIX = {(22, 33): 14, (36, 44): 32, (45, 53): 36, (56, 63): 18}
# Her profile and case (Claire Martin's, at the Commune de Valmont-sur-Arnon, still open,
# budget and housing, referred ten weeks before the reference date): the others vary.
STORY = {
    "days_ago": 70,
    "domains": ["budget", "housing"],
    "keep_open": True,
    "index": 1,
    "last_name": MARKER[0],
    "first_name": MARKER[1],
    "birth": MARKER[2],
    "age": 49,
    "sex": "F",
    "status": "titulaire",
    "category": "C",
    "job": "Agent d'entretien des locaux",
    "working_time": "full_time",
    "family_situation": "single_parent",
    "children_count": 2,
}

FEMALE = (
    "Nathalie Isabelle Sylvie Catherine Valérie Sandrine Christine Véronique Stéphanie "
    "Céline Karine Laurence Sophie Aurélie Émilie Virginie Delphine Sabrina Élodie Julie "
    "Audrey Mélanie Carole Corinne Patricia Martine Brigitte Fatima Samia Nadège Laetitia "
    "Séverine Marie Anne Chantal Pascale Mélissa Jessica Amandine Caroline"
).split()
MALE = (
    "Philippe Thierry Éric Stéphane Pascal Frédéric Laurent David Christophe Olivier "
    "Sébastien Nicolas Jérôme Patrick Franck Cédric Julien Mickaël Fabrice Mohamed Karim "
    "Alain Didier Bruno Grégory Anthony Yannick Rachid Ludovic Jean-Luc"
).split()
# None is a demo staff member's (Caron, Marchand, Perrin): a page names its reader, and the
# tests check that committee papers name no employee.
LAST_NAMES = (
    "Bernard Dubois Thomas Robert Richard Petit Durand Leroy Simon Laurent Michel "
    "Garcia David Bertrand Vincent Fontaine Chevalier Robin Gauthier Morel Mathieu "
    "Clément Henry Masson Duval Denis Lemaire Dumont Meunier Brun Blanc Guérin "
    "Boyer Faure André Mercier Blanchard Joly Gaillard Barbier Arnaud Martinez Gérard "
    "Roche Renard Schmitt Colin Picard Roger Aubert Lemoine Dufour Renaud Leclerc Brunet "
    "Giraud Rivière Lucas Benoît Moulin Louis Hubert Dupré Lacroix Collet Prévost "
    "Royer Marie Leclercq Noël Carpentier Baron Huet Rey Leblanc Perret Perrot Cordier "
    "Dias Ferreira Fernandes Rodrigues Lopes Belkacem Traoré Diallo "
    "Nguyen Mendes Bouchet Charpentier Tessier Poulain Jacquet Bailly Gilbert Maillard"
).split() + ["Da Silva", "Ben Amar"]  # two words each, not two names
STREETS = (
    "rue des Lilas",
    "rue de la République",
    "allée des Tilleuls",
    "rue Victor-Hugo",
    "impasse des Vignes",
    "avenue de la Gare",
    "rue du Moulin",
    "résidence Les Peupliers",
    "chemin des Prés",
    "rue Jean-Moulin",
)

# Employer index (organisations.demo.EMPLOYERS) -> weight in the year's referrals: its
# headcount, so that each employer has about 5 % of its staff followed in the year (seed 001:
# a real service took charge of « plus de 5 % de l'effectif global »); the draft and the
# not-yet-active conventions get none.
EMPLOYER_WEIGHTS = {index: row[4] for index, row in enumerate(EMPLOYERS) if index not in (5, 12)}
# Employer kind -> (% category A, B, C) of the employees followed.
CATEGORY_MIX = {
    "commune": (1, 3, 96),
    "ccas_cias": (1, 3, 96),
    "epci": (4, 8, 88),
    "departement": (6, 12, 82),
    "region": (3, 7, 90),
    "public_body": (5, 15, 80),
    "state_service": (20, 30, 50),
}
JOBS = {
    "C": {
        "commune": [
            "Agent d'entretien des locaux",
            "ATSEM",
            "Agent de restauration scolaire",
            "Adjoint technique — voirie",
            "Agent des espaces verts",
            "Adjoint administratif",
        ],
        "ccas_cias": ["Aide à domicile", "Agent social", "Auxiliaire de vie"],
        "epci": [
            "Agent de collecte des déchets",
            "Agent de déchetterie",
            "Adjoint technique",
            "Adjoint administratif",
        ],
        "departement": [
            "Agent d'exploitation des routes",
            "Agent des collèges",
            "Adjoint administratif",
            "Agent d'entretien",
        ],
        "region": ["Agent des lycées", "Agent de restauration", "Agent d'entretien"],
        "public_body": [
            "Sapeur-pompier professionnel",
            "Agent d'exploitation",
            "Adjoint administratif",
        ],
        "state_service": ["Adjoint administratif", "Agent d'exploitation"],
    },
    "B": [
        "Rédacteur",
        "Technicien",
        "Animateur",
        "Assistant socio-éducatif",
        "Secrétaire administratif",
    ],
    "A": ["Attaché", "Ingénieur", "Cadre de santé", "Conseiller socio-éducatif"],
}
SOURCES = {
    ReferralSource.EMPLOYEE: 38,
    ReferralSource.EMPLOYER_HR: 17,
    ReferralSource.LINE_MANAGER: 10,
    ReferralSource.OCCUPATIONAL_HEALTH: 16,
    ReferralSource.OPERATOR_SERVICE: 6,
    ReferralSource.EXTERNAL_MEDICO_SOCIAL: 6,
    ReferralSource.ELECTED_OFFICIAL: 3,
    ReferralSource.MOBILITY_ADVISER: 4,
}
REFERRERS = {
    ReferralSource.EMPLOYEE: "",
    ReferralSource.EMPLOYER_HR: "Service des ressources humaines",
    ReferralSource.LINE_MANAGER: "Responsable de service",
    ReferralSource.OCCUPATIONAL_HEALTH: "Service de médecine préventive du CDG",
    ReferralSource.OPERATOR_SERVICE: "Service retraite et prévention du CDG",
    ReferralSource.EXTERNAL_MEDICO_SOCIAL: "Maison départementale des solidarités",
    ReferralSource.ELECTED_OFFICIAL: "Adjoint·e au maire chargé·e du personnel",
    ReferralSource.MOBILITY_ADVISER: "Conseillère mobilité du CDG",
}
# Primary domain of a case (retirement comes with age, below).
PRIMARY_DOMAINS = {
    Domain.BUDGET: 26,
    Domain.WORK: 18,
    Domain.HEALTH: 17,
    Domain.HOUSING: 12,
    Domain.FAMILY: 12,
    Domain.ADMINISTRATIVE: 6,
    Domain.DISABILITY: 4,
    Domain.VIOLENCE: 2,
    Domain.ADDICTION: 2,
    Domain.OTHER: 1,
}
RELATED = {
    Domain.BUDGET: [Domain.HOUSING, Domain.FAMILY, Domain.ADMINISTRATIVE, Domain.HEALTH],
    Domain.WORK: [Domain.HEALTH, Domain.DISABILITY, Domain.BUDGET, Domain.FAMILY],
    Domain.HEALTH: [Domain.WORK, Domain.BUDGET, Domain.DISABILITY, Domain.ADDICTION],
    Domain.HOUSING: [Domain.BUDGET, Domain.FAMILY, Domain.ADMINISTRATIVE],
    Domain.FAMILY: [Domain.BUDGET, Domain.HOUSING, Domain.VIOLENCE, Domain.WORK],
    Domain.ADMINISTRATIVE: [Domain.BUDGET, Domain.HOUSING, Domain.RETIREMENT],
    Domain.DISABILITY: [Domain.WORK, Domain.HEALTH, Domain.ADMINISTRATIVE],
    Domain.VIOLENCE: [Domain.FAMILY, Domain.HOUSING, Domain.HEALTH],
    Domain.ADDICTION: [Domain.HEALTH, Domain.WORK, Domain.BUDGET],
    Domain.OTHER: [Domain.ADMINISTRATIVE, Domain.WORK],
    Domain.RETIREMENT: [Domain.BUDGET, Domain.ADMINISTRATIVE, Domain.HEALTH],
}
PLACES = {
    InterviewPlace.OPERATOR_OFFICE: 34,
    InterviewPlace.PHONE: 24,
    InterviewPlace.WORKPLACE: 16,
    InterviewPlace.DROP_IN_SITE: 12,
    InterviewPlace.HOME: 7,
    InterviewPlace.VIDEO: 7,
}
FIRST_PLACES = {
    InterviewPlace.OPERATOR_OFFICE: 60,
    InterviewPlace.WORKPLACE: 25,
    InterviewPlace.DROP_IN_SITE: 15,
}
DURATIONS = {
    InterviewPlace.PHONE: (15, 40),
    InterviewPlace.VIDEO: (30, 60),
    InterviewPlace.HOME: (60, 120),
}
CLOSURE_REASONS = {
    ClosureReason.OBJECTIVES_MET: 42,
    ClosureReason.NO_CONTACT: 16,
    ClosureReason.REDIRECTED: 14,
    ClosureReason.EMPLOYEE_CHOICE: 12,
    ClosureReason.LEFT_EMPLOYER: 6,
    ClosureReason.OTHER: 5,
}
# Domain -> partners (keys of directory.demo.PARTNERS) a worker orients to.
PARTNERS_BY_DOMAIN = {
    Domain.BUDGET: [
        "banque_de_france",
        "banque_de_france",
        "udaf_pcb",
        "cnas",
        "ccas_valmont",
        "restos",
    ],
    Domain.HOUSING: ["arnon_habitat", "arnon_habitat", "logis_etang", "adil", "caf", "mds_valmont"],
    Domain.HEALTH: ["cpam", "cmp", "csapa"],
    Domain.WORK: ["cmp", "cpam", "mdph"],
    Domain.FAMILY: ["caf", "cidff", "mds_saint_eloi", "tribunal"],
    Domain.ADMINISTRATIVE: ["france_services", "caf", "cpam"],
    Domain.DISABILITY: ["mdph", "cpam"],
    Domain.RETIREMENT: ["carsat", "france_services"],
    Domain.VIOLENCE: ["france_victimes", "cidff", "point_justice"],
    Domain.ADDICTION: ["csapa", "cmp"],
    Domain.OTHER: ["france_services", "point_justice", "commissaires"],
}
# Domain -> (reason of the referral, first interview's note, objective, actions)
TEXTS = {
    Domain.BUDGET: (
        "Difficultés financières : retards de paiement et découverts répétés.",
        "Reste à vivre très faible ; plusieurs crédits à la consommation en cours.",
        "Rétablir l'équilibre du budget",
        [
            "Établir le budget mensuel avec l'agent",
            "Constituer le dossier de surendettement",
            "Demander un échéancier au créancier principal",
        ],
    ),
    Domain.HOUSING: (
        "Impayés de loyer, une procédure d'expulsion est évoquée.",
        "Dette locative de plusieurs mois ; le bailleur accepte de rencontrer l'agent.",
        "Maintenir l'agent dans son logement",
        [
            "Saisir le fonds de solidarité pour le logement",
            "Négocier un plan d'apurement",
            "Déposer une demande de logement social adapté",
        ],
    ),
    Domain.HEALTH: (
        "Arrêt maladie prolongé, passage à demi-traitement annoncé.",
        "Inquiétude sur les droits statutaires et la perte de revenus.",
        "Sécuriser les droits pendant l'arrêt",
        [
            "Expliquer le demi-traitement et la saisine du conseil médical",
            "Vérifier la couverture de la prévoyance",
            "Préparer la reprise avec le médecin",
        ],
    ),
    Domain.WORK: (
        "Souffrance au travail exprimée, tensions avec l'équipe.",
        "Épuisement décrit ; conflit ancien avec un collègue, sommeil perturbé.",
        "Retrouver des conditions de travail supportables",
        [
            "Préparer un entretien avec l'encadrement",
            "Orienter vers le médecin de prévention",
            "Étudier une mobilité interne",
        ],
    ),
    Domain.FAMILY: (
        "Séparation récente, difficultés d'organisation avec les enfants.",
        "Séparation en cours, garde des enfants à organiser, revenus en baisse.",
        "Stabiliser la situation familiale",
        [
            "Informer sur les démarches devant le juge aux affaires familiales",
            "Mettre à jour la situation auprès de la CAF",
            "Rechercher un mode de garde",
        ],
    ),
    Domain.ADMINISTRATIVE: (
        "Besoin d'aide pour des démarches administratives en retard.",
        "Courriers non ouverts depuis plusieurs mois ; droits non ouverts.",
        "Remettre à jour les démarches",
        ["Trier les courriers avec l'agent", "Ouvrir les droits à la prime d'activité"],
    ),
    Domain.DISABILITY: (
        "Restrictions médicales, question du maintien dans l'emploi.",
        "Restrictions posées par le médecin ; crainte de perdre son poste.",
        "Maintenir l'agent dans l'emploi",
        ["Constituer la demande de RQTH", "Préparer l'étude de poste avec l'employeur"],
    ),
    Domain.RETIREMENT: (
        "Départ à la retraite à préparer, questions sur les ressources futures.",
        "Carrière incomplète ; crainte d'une forte baisse de revenus.",
        "Préparer le départ à la retraite",
        ["Demander le relevé de carrière", "Estimer les ressources à la retraite"],
    ),
    Domain.VIOLENCE: (
        "Violences conjugales évoquées auprès de la hiérarchie.",
        "Violences au sein du couple décrites ; l'agent souhaite être accompagnée.",
        "Mettre l'agent en sécurité",
        ["Informer sur les dispositifs de protection", "Rechercher un hébergement"],
    ),
    Domain.ADDICTION: (
        "Consommations signalées par l'encadrement, retards répétés.",
        "Consommation d'alcool reconnue ; l'agent accepte d'en parler.",
        "Engager une démarche de soins",
        ["Présenter le CSAPA et ses consultations", "Faire le point avec le médecin"],
    ),
    Domain.OTHER: (
        "Demande d'information sur les aides de l'action sociale.",
        "Questions sur les prestations d'action sociale de l'employeur.",
        "Accéder aux prestations d'action sociale",
        ["Présenter les prestations du CNAS", "Constituer le dossier de demande"],
    ),
}
FOLLOW_UP_NOTES = (
    "Point d'étape : les démarches engagées avancent.",
    "Entretien de suivi ; l'agent a transmis les justificatifs demandés.",
    "Situation stable, quelques inquiétudes exprimées sur les prochains mois.",
    "Retour du partenaire reçu ; présentation à l'agent des suites possibles.",
    "Agent fatigué mais mobilisé ; prochaine étape convenue ensemble.",
    "Bilan des actions du plan ; certaines sont à reprogrammer.",
)
PRIVATE_NOTES = (
    "Rappeler l'agent avant la fin du mois.",
    "Vérifier si le dossier est arrivé au partenaire.",
    "Prévoir un entretien plus long la prochaine fois.",
)
OUTCOMES = {
    ClosureReason.OBJECTIVES_MET: "Objectifs atteints ; l'agent sait revenir vers le service.",
    ClosureReason.NO_CONTACT: "Sans nouvelles malgré deux relances.",
    ClosureReason.REDIRECTED: "Relais pris par le partenaire, avec l'accord de l'agent.",
    ClosureReason.EMPLOYEE_CHOICE: "L'agent ne souhaite pas poursuivre l'accompagnement.",
    ClosureReason.LEFT_EMPLOYER: "Départ de l'employeur (mutation).",
    ClosureReason.RETIRED: "Départ en retraite ; droits ouverts.",
    ClosureReason.OTHER: "Fin de la convention de l'employeur avec le service.",
}
OTHER_NOTES = {
    AssessmentOutcome.INFORMATION: "Information donnée par téléphone ; pas de suivi demandé.",
    AssessmentOutcome.REDIRECTED: "Orientation directe vers un partenaire adapté.",
    AssessmentOutcome.DECLINED: "L'agent ne souhaite pas d'accompagnement pour le moment.",
}
