"""Demo material aid: the catalogue, memberships, budgets, one committee with three members,
four sessions of the year (three held, one to come) and a year of requests on demo cases.

Over the employers of `organisations.demo` and the budget or housing cases of
`casework.demo` (their consent is extended to the committee). Rows are written directly,
dated in the past, like the case-work demo (the services would date their journal "now");
the journal gets one entry. Loading twice changes nothing (it stops when the committee
exists). No summary names anyone.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

from polesocial.aid.models import (
    AidBudget,
    AidDecision,
    AidPayment,
    AidRequest,
    AidScheme,
    Committee,
    CommitteeSession,
    ConfidentialityUndertaking,
    LoanInstalment,
    Membership,
    Provider,
)
from polesocial.aid.services import loan_schedule
from polesocial.casework.models import Case, Consent
from polesocial.core.numbering import next_number
from polesocial.organisations.models import Employer
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users import services as users
from polesocial.users.enums import Role
from polesocial.users.models import User

COMMITTEE = "Commission d'aides matérielles du centre de gestion"
MEMBER = "yves.perrin@demo.polesocial.fr"
OTHER_MEMBERS = [
    ("odile.marchand@demo.polesocial.fr", "Odile", "Marchand"),
    ("bruno.caron@demo.polesocial.fr", "Bruno", "Caron"),
]
COUNSELLOR = "isabelle.moreau@demo.polesocial.fr"
SEED = 17

# (name, funder, kind, ceiling, conditions, reference)
SCHEMES = [
    ("Secours exceptionnel", "operator", "exceptional_help", "1500",
     "Difficulté soudaine mettant en péril le budget du foyer ; examen en commission.",
     "Délibération du conseil d'administration n° 2024-31"),
    ("Prêt social sans intérêt", "operator", "loan", "3000",
     "Remboursable en 36 mensualités au plus ; reste à vivre suffisant après échéance.",
     "Délibération du conseil d'administration n° 2024-32"),
    ("Aide exceptionnelle CNAS", "cnas", "exceptional_help", "1200",
     "Agents d'un employeur adhérent au CNAS ; dossier présenté par l'assistante sociale.",
     "Guide des prestations CNAS 2026"),
    ("Aide au logement CNAS", "cnas", "grant", "800",
     "Dépôt de garantie, premier loyer ou frais d'installation.",
     "Guide des prestations CNAS 2026"),
    ("Chèques-vacances CNAS", "cnas", "service", None,
     "Épargne bonifiée selon le quotient familial.", "Guide des prestations CNAS 2026"),
    ("Allocation de rentrée scolaire CNAS", "cnas", "grant", "150",
     "Par enfant scolarisé de 6 à 18 ans.", "Guide des prestations CNAS 2026"),
    ("Aide aux impayés d'énergie", "caf", "grant", "500",
     "Fonds de solidarité pour le logement, volet énergie.", "Règlement intérieur du FSL"),
    ("Colis alimentaire d'urgence", "other", "in_kind", None,
     "Épicerie solidaire partenaire, sur orientation de l'assistante sociale.", ""),
]  # fmt: skip
SUMMARIES = [
    "Parent isolé, deux enfants ; arriérés de loyer de trois mois après une baisse de revenus.",
    "Couple avec un enfant ; facture d'énergie impayée, coupure annoncée.",
    "Personne seule ; frais de réparation du véhicule indispensable pour se rendre au travail.",
    "Famille de quatre personnes ; dépôt de garantie pour un logement adapté.",
    "Parent isolé ; frais d'obsèques d'un proche non couverts.",
    "Personne seule en reprise après un arrêt long ; dettes de vie courante.",
]
INCOMES = [("Salaire", 1380), ("Prestations familiales", 240), ("Aide au logement", 180)]
EXPENSES = [("Loyer", 610), ("Énergie", 140), ("Assurances", 65), ("Crédit", 190)]


def load(reference_date: dt.date) -> None:
    """Load the aid demo (once: it stops if the committee exists)."""
    if Committee.objects.filter(name=COMMITTEE).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    employers = list(Employer.objects.order_by("pk"))
    schemes = _catalogue(employers, reference_date)
    committee = _committee()
    sessions = _sessions(committee, reference_date)
    counts = _requests(rng, schemes, sessions, reference_date)
    audit_log(actor=None, action=AuditAction.DEMO_LOAD, detail={"loader": "aid", **counts})


def _catalogue(employers, reference_date) -> list[AidScheme]:
    year = reference_date.year
    schemes = [
        AidScheme.objects.create(
            name=name, funder=funder, kind=kind, ceiling=ceiling, conditions=conditions,
            reference=reference, valid_from=dt.date(year - 1, 1, 1),
        )
        for name, funder, kind, ceiling, conditions, reference in SCHEMES
    ]  # fmt: skip
    if employers:
        first = employers[0]
        schemes.append(
            AidScheme.objects.create(
                name=f"Aide sociale du personnel — {first.name}", funder="employer",
                kind="grant", ceiling="600", employer=first,
                conditions="Agents de la collectivité ; quotient familial inférieur à 900 €.",
            )
        )  # fmt: skip
        AidBudget.objects.create(funder="employer", year=year, employer=first, allocated="4000")
    for index, employer in enumerate(employers):
        Membership.objects.create(
            employer=employer, body="cnas", starts_on=dt.date(2015 + index % 8, 1, 1),
            employees_covered=None,
        )  # fmt: skip
        if index % 2 == 0:
            Membership.objects.create(
                employer=employer, body="welfare_insurance", body_name="Contrat groupe prévoyance",
                starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2028, 12, 31),
            )  # fmt: skip
        if index < 3:
            Provider.objects.create(
                employer=employer, name="Épicerie solidaire du Val-d'Arnon",
                service="Colis alimentaires sur orientation", phone="02 48 00 11 22",
            )  # fmt: skip
    AidBudget.objects.create(funder="operator", year=year, allocated="15000")
    AidBudget.objects.create(funder="cnas", year=year, allocated="8000")
    return schemes


def _committee() -> Committee:
    counsellor = User.objects.filter(email=COUNSELLOR).first()
    members = [user for user in [User.objects.filter(email=MEMBER).first()] if user]
    for email, first, last in OTHER_MEMBERS:
        # Accounts through the service an administrator uses (journaled), as for all staff.
        user = User.objects.filter(email=email).first() or users.user_create(
            actor=None, email=email, first_name=first, last_name=last, role=Role.COMMITTEE_MEMBER
        )
        members.append(user)
    for user in members:
        ConfidentialityUndertaking.objects.get_or_create(
            user=user, defaults={"signed_on": dt.date(2026, 1, 15)}
        )
    committee = Committee.objects.create(name=COMMITTEE, scope="operator")
    committee.members.set(members + ([counsellor] if counsellor else []))
    return committee


def _sessions(committee, reference_date) -> list[CommitteeSession]:
    """Four sittings: three held in the months before the reference date, one to come."""
    days = [reference_date - dt.timedelta(days=back) for back in (280, 175, 63)]
    days.append(reference_date + dt.timedelta(days=10))
    members = list(committee.members.all())
    sessions = []
    for day in days:
        session = CommitteeSession.objects.create(committee=committee, held_on=day, quorum=3)
        session.members.set(members)
        if day <= reference_date:
            session.present.set(members[:3])
            session.closed_on = day
            session.save(update_fields=["closed_on"])
        sessions.append(session)
    return sessions


def _cases(reference_date) -> list[Case]:
    since = reference_date - dt.timedelta(days=330)
    return list(
        Case.objects.filter(
            domains__domain__in=["budget", "housing"],
            opened_on__gte=since,
            opened_on__lte=reference_date,
        )
        .select_related("worker__user", "consent")
        .distinct()
        .order_by("opened_on", "pk")[:26]
    )


def _budget(rng) -> str:
    incomes = [[label, f"{amount + rng.randint(-60, 60)}.{rng.randint(0, 99):02d}"]
               for label, amount in INCOMES]  # fmt: skip
    expenses = [[label, f"{amount + rng.randint(-40, 40)}.{rng.randint(0, 99):02d}"]
                for label, amount in EXPENSES]  # fmt: skip
    return json.dumps({"incomes": incomes, "expenses": expenses}, ensure_ascii=False)


def _requests(rng, schemes, sessions, reference_date) -> dict[str, int]:
    cases = _cases(reference_date)
    for consent in Consent.objects.filter(cases__in=cases).distinct():
        consent.scope = sorted({*consent.scope, "aid_committee"})
        consent.save(update_fields=["scope"])
    usable = [s for s in schemes if s.ceiling is not None]
    outcomes = ["granted", "partly_granted", "granted", "refused", "granted", "postponed"]
    made = 0
    taken = dict.fromkeys(range(len(sessions)), 0)
    leftovers = 0
    for index, case in enumerate(cases):
        session = _session_for(case, sessions, taken)
        if session is None:
            leftovers += 1
            if leftovers > 3:
                continue
        submitted = (
            session.held_on - dt.timedelta(days=7)
            if session
            else reference_date - dt.timedelta(days=5)
        )
        submitted = min(max(submitted, case.opened_on), reference_date)
        is_draft = session is None and leftovers == 1
        scheme = usable[index % len(usable)]
        amount = min(Decimal(rng.choice([250, 300, 450, 600, 800])), Decimal(str(scheme.ceiling)))
        request = AidRequest.objects.create(
            case=case, scheme=scheme, amount_requested=amount,
            justification="Difficultés budgétaires détaillées dans le diagnostic du dossier.",
            budget_data=_budget(rng), adults=1 + index % 2, children=index % 3,
            committee_summary=SUMMARIES[index % len(SUMMARIES)], urgent=session is None,
            created_by=case.worker.user, status="submitted", submitted_on=submitted,
            committee_number=None if is_draft else _number(submitted),
        )  # fmt: skip
        made += 1
        created = dt.datetime.combine(submitted - dt.timedelta(days=3), dt.time(10), tzinfo=dt.UTC)
        AidRequest.objects.filter(pk=request.pk).update(created_at=created)
        if is_draft:  # still being prepared
            AidRequest.objects.filter(pk=request.pk).update(status="draft", submitted_on=None)
            continue
        if session is None and leftovers == 2:  # urgent: decided by written procedure
            decided = min(submitted + dt.timedelta(days=2), reference_date)
            _decide(request, None, "granted", amount, decided, reference_date)
            continue
        if session is None:  # submitted, waiting for the next session
            continue
        if session.held_on > reference_date:
            AidRequest.objects.filter(pk=request.pk).update(status="on_agenda", session=session)
            continue
        outcome = outcomes[index % len(outcomes)]
        granted = amount if outcome == "granted" else (
            (amount * Decimal("0.6")).quantize(Decimal("1")) if outcome == "partly_granted"
            else Decimal("0")
        )  # fmt: skip
        AidRequest.objects.filter(pk=request.pk).update(session=session)
        _decide(request, session, outcome, granted, session.held_on, reference_date)
    return {"aid_requests": made}


def _session_for(case, sessions, taken):
    """The first session a week or more after the case opened, with room (5 files)."""
    for index, session in enumerate(sessions):
        if session.held_on >= case.opened_on + dt.timedelta(days=7) and taken[index] < 5:
            taken[index] += 1
            return session
    return None


def _number(day: dt.date) -> str:
    return f"{day.year}-{next_number(sequence='aid_committee', year=day.year):03d}"


def _decide(request, session, outcome, amount, day, today: dt.date) -> None:
    AidDecision.objects.create(
        request=request, session=session, outcome=outcome, amount=amount, decided_on=day,
        written_procedure=session is None, recorded_by=request.created_by,
        motive="" if outcome != "refused" else "Ressources supérieures au barème.",
    )  # fmt: skip
    if outcome == "postponed":
        AidRequest.objects.filter(pk=request.pk).update(status="submitted", session=None)
        return
    status = "decided" if amount else "closed"
    if amount:
        paid_on = min(day + dt.timedelta(days=12), today)
        AidPayment.objects.create(
            request=request, paid_on=paid_on, amount=amount, mode="transfer",
            payee="third_party" if request.scheme.kind != "loan" else "employee",
            payee_name="Bailleur social du Val-d'Arnon" if request.scheme.kind != "loan" else "",
            recorded_by=request.created_by,
        )  # fmt: skip
        status = "paid"
        if request.scheme.kind == "loan":
            LoanInstalment.objects.bulk_create(
                LoanInstalment(request=request, due_on=due, amount=part)
                for due, part in loan_schedule(amount, 10, paid_on + dt.timedelta(days=30))
            )
    AidRequest.objects.filter(pk=request.pk).update(status=status, amount_granted=amount)
