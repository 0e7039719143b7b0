"""The made-up material aid of `demo --scale`: the action-sociale catalogue and the wording
of requests, decisions and payments (user-visible text, in French). No text names anyone."""

from __future__ import annotations

from polesocial.aid import demo

# Share of the requests of open cases still being prepared (drafts), and of urgent ones
# (decided by written procedure); the share of cases with a request is the scale's.
DRAFT_SHARE = 0.05
URGENT_SHARE = 0.12

# (name, funder, kind, ceiling in euros or None, conditions, reference, period)
# period: "all" the five years, "early" the first two only, "late" from the third year on
# (a scale of the CNAS changed in between: two schemes of the same name).
SCHEMES = (
    ("Secours exceptionnel", "operator", "exceptional_help", 1500,
     "Difficulté soudaine mettant en péril le budget du foyer ; examen en commission.",
     "Délibération du conseil d'administration n° 2021-31", "all"),
    ("Prêt social sans intérêt", "operator", "loan", 3000,
     "Remboursable en dix mensualités ; reste à vivre suffisant après échéance.",
     "Délibération du conseil d'administration n° 2021-32", "all"),
    ("Aide exceptionnelle CNAS", "cnas", "exceptional_help", 1200,
     "Agents d'un employeur adhérent au CNAS ; dossier présenté par l'assistante sociale.",
     "Guide des prestations CNAS", "all"),
    ("Aide au logement CNAS", "cnas", "grant", 800,
     "Dépôt de garantie, premier loyer ou frais d'installation.",
     "Guide des prestations CNAS (ancien barème)", "early"),
    ("Aide au logement CNAS", "cnas", "grant", 900,
     "Dépôt de garantie, premier loyer ou frais d'installation.",
     "Guide des prestations CNAS", "late"),
    ("Secours FNAS", "fnas", "exceptional_help", 1000,
     "Agents d'un employeur adhérent au FNAS ; situation exceptionnelle et imprévue.",
     "Règlement des prestations FNAS", "all"),
    ("Aide aux frais de garde FNAS", "fnas", "grant", 400,
     "Parents d'enfants de moins de six ans gardés hors du domicile.",
     "Règlement des prestations FNAS", "all"),
    ("Aide à l'installation des personnels SRIAS", "srias", "grant", 900,
     "Agents de l'État nouvellement affectés dans la région ; premier logement.",
     "Circulaire de la SRIAS", "all"),
    ("Chèques emploi service universel SRIAS", "srias", "service", None,
     "Garde d'enfant ou aide à domicile, selon le quotient familial.",
     "Circulaire de la SRIAS", "all"),
    ("Aide aux impayés d'énergie", "caf", "grant", 500,
     "Fonds de solidarité pour le logement, volet énergie.", "Règlement intérieur du FSL",
     "all"),
    ("Aide au maintien dans le logement", "caf", "grant", 1000,
     "Impayés de loyer d'un locataire de bonne foi ; plan d'apurement avec le bailleur.",
     "Règlement intérieur du FSL", "all"),
    ("Colis alimentaire d'urgence", "other", "in_kind", None,
     "Épicerie solidaire partenaire, sur orientation de l'assistante sociale.", "", "all"),
    ("Aide d'urgence de l'association caritative", "other", "exceptional_help", 300,
     "Secours ponctuel d'une association partenaire, sur dossier.", "", "all"),
)  # fmt: skip
# An employer's own aid, for its largest employers (one in a hundred, at least one).
EMPLOYER_SCHEME = ("Aide sociale du personnel", "grant", 600,
                   "Agents de la collectivité ; quotient familial inférieur à 900 €.")  # fmt: skip
EMPLOYER_SCHEME_SHARE = 100

AMOUNTS = (150, 200, 250, 300, 350, 400, 450, 500, 600, 750, 800, 1000, 1200, 1500, 2000, 3000)
IN_KIND_AMOUNTS = (60, 80, 120, 150, 200)
JUSTIFICATIONS = (
    "Impayés de loyer après une baisse de revenus ; plan d'apurement proposé au bailleur.",
    "Facture d'énergie impayée, coupure annoncée ; démarches auprès du fournisseur engagées.",
    "Réparation du véhicule indispensable pour se rendre au travail.",
    "Dépôt de garantie pour un logement adapté à la composition du foyer.",
    "Frais d'obsèques d'un proche non couverts par une assurance.",
    "Dettes de vie courante après un arrêt de travail long, à demi-traitement.",
)
# The situations presented to the committee: the demo's (aid/demo.py), one wording.
SUMMARIES = tuple(demo.SUMMARIES)
REFUSALS = (
    "Ressources supérieures au barème.",
    "Situation relevant d'un autre dispositif, vers lequel l'agent est orienté.",
)
POSTPONEMENT = "Pièces complémentaires demandées (avis d'imposition, quittances)."
THIRD_PARTIES = (
    "Bailleur social",
    "Fournisseur d'énergie",
    "Garage automobile",
    "Agence immobilière",
    "Pompes funèbres",
)
COMMITTEE_MEMBERS_PER_TEAM = 2
