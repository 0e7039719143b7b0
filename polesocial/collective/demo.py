"""Demo collective work: a year of collective actions, body meetings, a few alerts.

Over the employers and workers of `organisations.demo`; the alerts go to the demo HR
contact of Saint-Aubin-des-Prés. Partners are those of `directory.demo` when loaded
(looked up by name; absent ones are skipped). Employees are not needed: no text names
anyone. Fixed values only: loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from polesocial.collective.models import ActionEmployer, Alert, BodyMeeting, CollectiveAction
from polesocial.directory.models import Partner
from polesocial.notifications.models import Notification
from polesocial.organisations.demo import after, on_or_before, siret_for
from polesocial.organisations.models import Employer, SocialWorker
from polesocial.users.models import User

CLAIRE = "claire.martin@demo.polesocial.fr"
NADIA = "nadia.benali@demo.polesocial.fr"
SOPHIE = "sophie.lefebvre@demo.polesocial.fr"
THOMAS = "thomas.girard@demo.polesocial.fr"
HR_CONTACT = "celine.rousseau@demo.polesocial.fr"

PARTNERS = {
    "carsat": "CARSAT Centre-Arnon — agence retraite de Valmont",
    "udaf": "UDAF du Val-d'Arnon — point conseil budget",
    "caf": "CAF du Val-d'Arnon",
    "adil": "ADIL du Val-d'Arnon",
    "cpam": "CPAM du Val-d'Arnon",
    "cnas": "CNAS — délégation du Val-d'Arnon",
}

# fmt: off
# (worker, title, kind, theme, (month, day), last day or None, minutes, preparation,
#  [(employer index in organisations.demo.EMPLOYERS, attendance)], categories A/B/C,
#  satisfaction, evaluation, partners). Attendance None: not held yet at the reference date.
ACTIONS = [
    (CLAIRE, "Préparer sa retraite", "information_meeting", "retirement", (2, 12), None, 150, 120,
     [(0, 24)], (3, 5, 16), "satisfied",
     "Fortes attentes sur le calcul de la pension et les carrières longues : une permanence "
     "de la CARSAT sera proposée sur site au printemps.", ["carsat"]),
    (CLAIRE, "Gérer son budget au quotidien", "information_meeting", "budget", (3, 19), None,
     120, 90, [(0, 14), (1, 21)], (None, None, None), "very_satisfied",
     "Beaucoup de questions sur le crédit renouvelable ; un atelier en petit groupe est "
     "demandé pour l'automne.", ["udaf"]),
    (CLAIRE, "Parentalité et vie professionnelle", "discussion_group", "parenthood", (4, 9),
     None, 120, 60, [(1, 11)], (None, None, None), "satisfied",
     "Échanges riches sur la garde des jeunes enfants en horaires décalés.", ["caf"]),
    (CLAIRE, "Prévention des risques psychosociaux — encadrants", "training",
     "psychosocial_risks", (5, 26), (5, 27), 720, 240, [(2, 16)], (6, 10, 0), "very_satisfied",
     "Les encadrants souhaitent une suite sur l'entretien de reprise après un arrêt long.",
     []),
    (CLAIRE, "Accès au logement social", "information_meeting", "housing", (9, 22), None, 90,
     60, [(0, 9), (1, 13), (2, 6)], (None, None, None), "mixed",
     "Information utile mais délais d'attribution décourageants ; relais vers l'ADIL.",
     ["adil"]),
    (CLAIRE, "Préparer sa retraite (session d'automne)", "information_meeting", "retirement",
     (12, 3), None, 150, 90, [(0, None)], (None, None, None), "", "", ["carsat"]),
    (NADIA, "Addictions : repérer et orienter", "training", "addiction", (3, 5), None, 360,
     180, [(6, 18)], (4, 9, 5), "satisfied",
     "Demande d'un protocole écrit pour les situations de travail à risque.", ["cpam"]),
    (NADIA, "Santé et travail de nuit", "prevention", "health", (6, 16), None, 120, 60,
     [(3, 12), (4, 7)], (None, None, None), "satisfied", "", ["cpam"]),
    (NADIA, "Groupe d'échange des aidants familiaux", "discussion_group", "other", (10, 8),
     None, 120, 30, [(6, 9)], (None, None, None), "very_satisfied",
     "Le groupe souhaite se réunir chaque trimestre.", []),
    (SOPHIE, "Handicap et maintien dans l'emploi", "information_meeting", "disability",
     (2, 24), None, 120, 90, [(7, 15), (9, 22)], (None, None, None), "satisfied", "", []),
    (SOPHIE, "Prévenir et gérer les conflits", "training", "conflict", (6, 2), (6, 3), 600,
     180, [(8, 14)], (2, 5, 7), "very_satisfied",
     "Une séance de suivi à six mois est prévue avec le même groupe.", []),
    (SOPHIE, "Budget et surendettement", "information_meeting", "budget", (11, 5), None, 90,
     60, [(9, 17)], (None, None, None), "satisfied", "", ["udaf"]),
    (THOMAS, "Préparer sa retraite", "information_meeting", "retirement", (4, 14), None, 150,
     60, [(11, 31)], (None, None, None), "satisfied", "", ["carsat", "cnas"]),
    (THOMAS, "Risques psychosociaux : écoute et orientation", "prevention",
     "psychosocial_risks", (9, 29), None, 180, 120, [(11, 26), (14, 8)], (None, None, None),
     "mixed", "Une partie des équipes de garde n'a pas pu se libérer.", []),
]

# (worker, employer index, body, (month, day), minutes, preparation, topics, follow-ups)
MEETINGS = [
    (CLAIRE, 0, "internal_committee", (2, 5), 90, 30,
     "Installation de l'instance pluridisciplinaire : composition, fréquence, règles de "
     "confidentialité.", "Réunion tous les trois mois."),
    (CLAIRE, 0, "social_committee", (3, 31), 180, 60,
     "Présentation du bilan annuel du service social et des actions collectives prévues.",
     "Le bilan sera joint au rapport social unique."),
    (CLAIRE, 0, "internal_committee", (5, 7), 90, 30,
     "Point sur les situations de reprise après arrêt long (sans les nommer) et sur les "
     "aménagements de poste en attente.", ""),
    (CLAIRE, 0, "health_safety", (6, 9), 150, 45,
     "Conditions de travail en période de fortes chaleurs ; plan de prévention.",
     "Proposition d'horaires d'été pour les équipes extérieures."),
    (CLAIRE, 2, "aid_committee", (4, 23), 120, 60,
     "Quatre demandes d'aide examinées sous numéro de dossier.", ""),
    (CLAIRE, 0, "internal_committee", (9, 10), 90, 30,
     "Suivi des mesures prises après le regroupement des services techniques.", ""),
    (CLAIRE, 0, "internal_committee", (11, 5), 90, 30,
     "Préparation du plan d'action sociale de l'année suivante.", ""),
    (NADIA, 6, "clas", (3, 12), 120, 45,
     "Programmation des actions collectives et du budget d'action sociale.", ""),
    (NADIA, 6, "medical_board", (5, 20), 180, 60,
     "Participation au conseil médical en qualité d'expert du service social.", ""),
    (NADIA, 6, "job_retention", (10, 15), 120, 45,
     "Revue des situations de maintien dans l'emploi en cours.", ""),
    (SOPHIE, 8, "management_committee", (1, 27), 120, 30,
     "Présentation de l'offre du service social aux directeurs.", ""),
    (SOPHIE, 9, "health_safety", (9, 17), 150, 45,
     "Document unique : volet risques psychosociaux.", "Groupe de travail à constituer."),
    (THOMAS, 11, "social_committee", (6, 25), 180, 60,
     "Bilan social et plan de prévention des risques psychosociaux.", ""),
    (THOMAS, 14, "internal_committee", (10, 2), 90, 30,
     "Organisation des permanences du service social sur site.", ""),
]

# (worker, employer index, (month, day), risk, description, follow-up): to the HR contact.
ALERTS = [
    (CLAIRE, 0, (3, 6), "reorganisation",
     "Le projet de regroupement des services techniques sur un site unique suscite de fortes "
     "inquiétudes : plusieurs agents évoquent des trajets allongés et le manque d'information "
     "sur les futurs postes. Une réunion d'information des équipes avant l'été permettrait "
     "de limiter les tensions.",
     "Réunion d'information des équipes organisée le 14 avril par la direction générale ; le "
     "service social y a participé."),
    (CLAIRE, 0, (6, 30), "working_conditions",
     "Les fortes chaleurs de juin ont rendu difficiles les conditions de travail des équipes "
     "des espaces verts et de l'entretien des écoles (pauses insuffisantes, locaux non "
     "ventilés). Plusieurs agents ont consulté le service social à ce sujet.",
     "Horaires d'été mis en place pour les équipes extérieures ; ventilateurs installés dans "
     "les écoles."),
    (CLAIRE, 0, (10, 20), "psychosocial",
     "Dans un service administratif, les absences successives non remplacées entraînent une "
     "surcharge durable et des signes d'épuisement. Un point sur l'organisation du travail et "
     "la charge de chacun est recommandé.",
     ""),
]

# fmt: on


def load(reference_date: dt.date) -> None:
    """The rows' days fall in the year up to the reference date: what was held is dated on
    or before it, what is still planned (attendance unknown) after it."""
    employers = [Employer.objects.get(siret=siret_for(i)) for i in range(15)]
    workers = {w.user.email: w for w in SocialWorker.objects.select_related("user")}
    partners = {
        key: partner
        for key, name in PARTNERS.items()
        if (partner := Partner.objects.filter(name=name).first()) is not None
    }
    for row in ACTIONS:
        _action(row, reference_date, workers, employers, partners)
    for worker, index, body, (month, day), minutes, preparation, topics, follow_ups in MEETINGS:
        BodyMeeting.objects.get_or_create(
            worker=workers[worker],
            employer=employers[index],
            body=body,
            held_on=on_or_before(reference_date, month, day),
            defaults={
                "duration_minutes": minutes,
                "preparation_minutes": preparation,
                "topics": topics,
                "follow_ups": follow_ups,
            },
        )
    contact = User.objects.get(email=HR_CONTACT)
    for worker, index, (month, day), risk, description, follow_up in ALERTS:
        _alert(
            workers[worker],
            employers[index],
            on_or_before(reference_date, month, day),
            risk,
            description,
            follow_up,
            contact,
        )


def _action(row, reference_date, workers, employers, partners) -> None:
    (
        worker,
        title,
        kind,
        theme,
        (month, day),
        last_day,
        minutes,
        preparation,
        shares,
        categories,
        satisfaction,
        evaluation,
        partner_keys,
    ) = row
    counts = [count for _, count in shares]
    total = sum(counts) if None not in counts else None  # type: ignore[arg-type]
    starts_on = (on_or_before if total is not None else after)(reference_date, month, day)
    action, _ = CollectiveAction.objects.get_or_create(
        worker=workers[worker],
        title=title,
        starts_on=starts_on,
        defaults={
            "kind": kind,
            "theme": theme,
            "ends_on": starts_on.replace(month=last_day[0], day=last_day[1]) if last_day else None,
            "duration_minutes": minutes,
            "preparation_minutes": preparation,
            "attendance": total,
            "attendance_category_a": categories[0],
            "attendance_category_b": categories[1],
            "attendance_category_c": categories[2],
            "satisfaction": satisfaction,
            "evaluation": evaluation,
        },
    )
    for index, count in shares:
        ActionEmployer.objects.get_or_create(
            action=action, employer=employers[index], defaults={"attendance": count}
        )
    action.partners.add(*(partners[key] for key in partner_keys if key in partners))


def _alert(worker, employer, raised_on, risk, description, follow_up, contact) -> None:
    alert, _ = Alert.objects.get_or_create(
        worker=worker,
        employer=employer,
        raised_on=raised_on,
        risk=risk,
        defaults={"description": description, "follow_up": follow_up},
    )
    alert.addressees.add(contact)
    # As alert_create notifies (same key), without sending demo e-mails.
    Notification.objects.get_or_create(
        recipient=contact,
        key=f"collective_alert:{alert.pk}",
        defaults={
            "title": f"Alerte de vigilance sociale — {employer}",
            "body": (
                f"Le service social du travail vous adresse une alerte du "
                f"{raised_on:%d/%m/%Y} ({alert.get_risk_display().lower()})."
            ),
            "url": reverse("collective:alert_detail", args=[alert.pk]),
        },
    )
