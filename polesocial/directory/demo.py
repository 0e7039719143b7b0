"""Demo partners: the organisations the demo social workers orient employees to.

Every name, address and number is fictional (the Val-d'Arnon does not exist); e-mail
addresses use the reserved domain example.org, so that no message can reach anyone.
Fixed values only: loading twice changes nothing (a partner is looked up by its name).
"""

from __future__ import annotations

import datetime as dt

from polesocial.directory import services
from polesocial.directory.enums import PartnerKind as K
from polesocial.directory.models import Partner

# key (used by the case-work demo), name, kind, phone, e-mail, address, area, notes
PARTNERS = [
    (
        "caf",
        "CAF du Val-d'Arnon",
        K.CAF,
        "02 48 41 20 00",
        "partenaires@caf-valdarnon.example.org",
        "12 avenue de la Gare, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Ligne réservée aux travailleurs sociaux, du lundi au vendredi de 9 h à 12 h.",
    ),
    (
        "cpam",
        "CPAM du Val-d'Arnon",
        K.CPAM,
        "02 48 41 36 10",
        "service-social@cpam-valdarnon.example.org",
        "3 rue Pasteur, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Service social de l'Assurance maladie : arrêts longs, prévention de la "
        "désinsertion professionnelle.",
    ),
    (
        "carsat",
        "CARSAT Centre-Arnon — agence retraite de Valmont",
        K.CARSAT,
        "02 48 41 52 30",
        "retraite.valmont@carsat-centre-arnon.example.org",
        "25 boulevard Carnot, 18000 Valmont-sur-Arnon",
        "Région Centre-Arnon",
        "Rendez-vous retraite sur demande écrite ; délais d'environ six semaines.",
    ),
    (
        "cnas",
        "CNAS — délégation du Val-d'Arnon",
        K.CNAS,
        "02 48 41 60 45",
        "delegation.valdarnon@cnas.example.org",
        "8 place du Marché, 18000 Valmont-sur-Arnon",
        "Employeurs adhérents du Val-d'Arnon",
        "Prêts sociaux et aides exceptionnelles pour les agents des employeurs adhérents.",
    ),
    (
        "ccas_valmont",
        "CCAS de Valmont-sur-Arnon",
        K.CCAS,
        "02 48 42 10 15",
        "accueil@ccas-valmont.example.org",
        "Hôtel de ville, 18000 Valmont-sur-Arnon",
        "Valmont-sur-Arnon",
        "Aides facultatives, épicerie sociale, domiciliation.",
    ),
    (
        "cias_etang",
        "CIAS du Pays de l'Étang",
        K.CCAS,
        "02 48 43 22 80",
        "cias@pays-etang.example.org",
        "14 rue de l'Étang, 18150 Saint-Éloi",
        "Pays de l'Étang (Sud)",
        "",
    ),
    (
        "arnon_habitat",
        "Arnon Habitat (office public de l'habitat)",
        K.SOCIAL_LANDLORD,
        "02 48 44 31 00",
        "accompagnement@arnon-habitat.example.org",
        "40 rue des Tanneurs, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Conseillères sociales : impayés de loyer, mutations, accès au logement.",
    ),
    (
        "logis_etang",
        "Logis de l'Étang (entreprise sociale pour l'habitat)",
        K.SOCIAL_LANDLORD,
        "02 48 43 45 12",
        "gestion-locative@logis-etang.example.org",
        "2 allée des Saules, 18150 Saint-Éloi",
        "Sud du Val-d'Arnon",
        "",
    ),
    (
        "banque_de_france",
        "Banque de France — commission de surendettement du Val-d'Arnon",
        K.OVER_INDEBTEDNESS,
        "02 48 45 70 00",
        "surendettement.valdarnon@banque-france.example.org",
        "1 rue de la Banque, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Dépôt des dossiers en ligne ou à l'accueil ; accueil sur rendez-vous.",
    ),
    (
        "restos",
        "Les Restaurants du Cœur — antenne de Valmont-sur-Arnon",
        K.ASSOCIATION,
        "02 48 42 88 19",
        "valmont@restos-valdarnon.example.org",
        "5 rue des Jardins, 18000 Valmont-sur-Arnon",
        "Valmont-sur-Arnon et alentours",
        "Inscriptions le mardi matin, sur justificatifs de ressources.",
    ),
    (
        "cidff",
        "CIDFF du Val-d'Arnon",
        K.ASSOCIATION,
        "02 48 42 54 33",
        "contact@cidff-valdarnon.example.org",
        "17 rue Jeanne-d'Arc, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Information juridique (droit de la famille), accompagnement des femmes "
        "victimes de violences.",
    ),
    (
        "france_victimes",
        "France Victimes — association d'aide aux victimes du Val-d'Arnon",
        K.ASSOCIATION,
        "02 48 42 61 07",
        "accueil@aide-victimes-valdarnon.example.org",
        "Palais de justice, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Permanences au tribunal et au commissariat.",
    ),
    (
        "udaf_pcb",
        "UDAF du Val-d'Arnon — point conseil budget",
        K.ASSOCIATION,
        "02 48 42 73 50",
        "pcb@udaf-valdarnon.example.org",
        "9 rue Victor-Hugo, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Accompagnement budgétaire gratuit, aide au dossier de surendettement.",
    ),
    (
        "adil",
        "ADIL du Val-d'Arnon",
        K.ASSOCIATION,
        "02 48 42 95 40",
        "conseil@adil-valdarnon.example.org",
        "6 rue de la Préfecture, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Conseil juridique sur le logement : bail, expulsion, aides au logement.",
    ),
    (
        "mds_valmont",
        "Maison départementale des solidarités de Valmont",
        K.DEPARTMENTAL_SOCIAL_SERVICE,
        "02 48 46 12 00",
        "mds.valmont@valdarnon.example.org",
        "30 avenue Jean-Jaurès, 18000 Valmont-sur-Arnon",
        "Nord du Val-d'Arnon",
        "Service social départemental : FSL, protection de l'enfance, aide sociale.",
    ),
    (
        "mds_saint_eloi",
        "Maison départementale des solidarités de Saint-Éloi",
        K.DEPARTMENTAL_SOCIAL_SERVICE,
        "02 48 46 34 20",
        "mds.sainteloi@valdarnon.example.org",
        "11 place de l'Église, 18150 Saint-Éloi",
        "Sud du Val-d'Arnon",
        "",
    ),
    (
        "cmp",
        "Centre médico-psychologique adultes de Valmont",
        K.HEALTH,
        "02 48 47 20 60",
        "cmp.adultes@ch-valmont.example.org",
        "Centre hospitalier, 18000 Valmont-sur-Arnon",
        "Nord du Val-d'Arnon",
        "Premier rendez-vous infirmier sous deux semaines.",
    ),
    (
        "csapa",
        "CSAPA du Val-d'Arnon",
        K.HEALTH,
        "02 48 47 38 91",
        "csapa@addictions-valdarnon.example.org",
        "4 rue Gambetta, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "Consultations anonymes et gratuites ; antenne à Saint-Éloi le jeudi.",
    ),
    (
        "mdph",
        "MDPH du Val-d'Arnon",
        K.OTHER,
        "02 48 46 50 50",
        "accueil@mdph-valdarnon.example.org",
        "Hôtel du Département, 18000 Valmont-sur-Arnon",
        "Département du Val-d'Arnon",
        "RQTH, orientation professionnelle, prestation de compensation du handicap.",
    ),
    (
        "tribunal",
        "Tribunal judiciaire de Valmont-sur-Arnon — accueil du justiciable",
        K.JUSTICE,
        "02 48 48 10 00",
        "sauj.valmont@justice.example.org",
        "Palais de justice, 18000 Valmont-sur-Arnon",
        "Ressort du tribunal de Valmont",
        "Juge des contentieux de la protection, juge aux affaires familiales.",
    ),
    (
        "commissaires",
        "Étude Arnon Commissaires de justice",
        K.JUSTICE,
        "02 48 48 27 35",
        "etude@arnon-cj.example.org",
        "19 rue du Palais, 18000 Valmont-sur-Arnon",
        "Ressort du tribunal de Valmont",
        "Négociation d'échéanciers avant saisie ; demander le service recouvrement.",
    ),
    (
        "france_services",
        "France services de Brissac-la-Forêt",
        K.OTHER,
        "02 48 49 05 66",
        "franceservices@brissac.example.org",
        "Mairie, 18300 Brissac-la-Forêt",
        "Brissac-la-Forêt et communes voisines",
        "Aide aux démarches en ligne (impôts, retraite, CAF, ANTS).",
    ),
    (
        "point_justice",
        "Point-justice de Saint-Éloi",
        K.JUSTICE,
        "02 48 43 70 24",
        "",
        "Maison France services, 18150 Saint-Éloi",
        "Sud du Val-d'Arnon",
        "Permanences d'avocats et de conciliateurs, sur rendez-vous.",
    ),
]

PARTNER_NAMES = {row[0]: row[1] for row in PARTNERS}


def load(reference_date: dt.date) -> None:
    """Create the demo partners that are missing (through the service, journaled)."""
    existing = set(Partner.objects.values_list("name", flat=True))
    for _key, name, kind, phone, email, address, area, notes in PARTNERS:
        if name in existing:
            continue
        services.partner_create(
            actor=None,
            name=name,
            kind=kind,
            phone=phone,
            email=email,
            address=address,
            area=area,
            notes=notes,
        )
