"""Demo organisations: one fictional centre de gestion, two teams, fifteen employers.

Fixed values and the reference date only (no randomness): loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from polesocial.organisations import services
from polesocial.organisations.enums import BillingMode, ConventionStatus, OperatorKind
from polesocial.organisations.models import (
    Convention,
    ConventionAmendment,
    Employer,
    FteShare,
    Headcount,
    Operator,
    SocialWorker,
    Team,
)
from polesocial.organisations.validators import luhn_valid
from polesocial.users.models import User

OPERATOR_NAME = "Centre de gestion de la fonction publique territoriale du Val-d'Arnon (fictif)"

# name, kind, team, city, headcount 2026, billing mode, status
EMPLOYERS = [
    (
        "Commune de Saint-Aubin-des-Prés",
        "commune",
        "Nord",
        "Saint-Aubin-des-Prés",
        412,
        "hourly",
        "active",
    ),
    (
        "Commune de Valmont-sur-Arnon",
        "commune",
        "Nord",
        "Valmont-sur-Arnon",
        1268,
        "fte_share",
        "active",
    ),
    (
        "Communauté de communes du Pays d'Arnon",
        "epci",
        "Nord",
        "Valmont-sur-Arnon",
        356,
        "hourly",
        "active",
    ),
    (
        "CCAS de Valmont-sur-Arnon",
        "ccas_cias",
        "Nord",
        "Valmont-sur-Arnon",
        148,
        "sessions",
        "active",
    ),
    (
        "Commune de Brissac-la-Forêt",
        "commune",
        "Nord",
        "Brissac-la-Forêt",
        64,
        "sessions",
        "active",
    ),
    (
        "Syndicat des eaux de la Vallée",
        "public_body",
        "Nord",
        "Lignières",
        38,
        "sessions",
        "signed",
    ),
    (
        "Département du Val-d'Arnon",
        "departement",
        "Nord",
        "Valmont-sur-Arnon",
        2890,
        "fte_share",
        "active",
    ),
    (
        "Commune de Châteaumeillant-le-Haut",
        "commune",
        "Sud",
        "Châteaumeillant-le-Haut",
        227,
        "hourly",
        "active",
    ),
    (
        "Communauté d'agglomération de l'Étang",
        "epci",
        "Sud",
        "Saint-Éloi",
        914,
        "fte_share",
        "active",
    ),
    ("Commune de Saint-Éloi", "commune", "Sud", "Saint-Éloi", 583, "hourly", "active"),
    ("CIAS du Pays de l'Étang", "ccas_cias", "Sud", "Saint-Éloi", 96, "sessions", "active"),
    (
        "Service départemental d'incendie et de secours",
        "public_body",
        "Sud",
        "Saint-Éloi",
        441,
        "hourly",
        "active",
    ),
    ("Commune de Neuvy-les-Vignes", "commune", "Sud", "Neuvy-les-Vignes", 41, "hourly", "draft"),
    ("Région Centre-Arnon", "region", "Sud", "Valmont-sur-Arnon", 1720, "hourly", "terminated"),
    (
        "Direction départementale des territoires",
        "state_service",
        "Sud",
        "Valmont-sur-Arnon",
        182,
        "hourly",
        "active",
    ),
]

# (worker e-mail, team, FTE, [(employer index, share)]) for the reference year
WORKERS = [
    ("claire.martin@demo.polesocial.fr", "Nord", "1.00", [(0, "0.25"), (1, "0.35"), (2, "0.20")]),
    ("nadia.benali@demo.polesocial.fr", "Nord", "0.80", [(6, "0.50"), (3, "0.15"), (4, "0.15")]),
    ("sophie.lefebvre@demo.polesocial.fr", "Sud", "1.00", [(7, "0.20"), (8, "0.40"), (9, "0.20")]),
    ("thomas.girard@demo.polesocial.fr", "Sud", "0.50", [(10, "0.30"), (11, "0.40"), (14, "0.20")]),
]


def siret_for(index: int) -> str:
    prefix = f"2{18000 + index:05d}{index:07d}"
    return next(prefix + str(k) for k in range(10) if luhn_valid(prefix + str(k)))


def operator_siret() -> str:
    """A fictitious SIRET with a valid key (no employer's: theirs start with 218…), so that
    invoices carry the issuer's number and the national synthesis can be exported."""
    prefix = "2000100000001"
    return next(prefix + str(k) for k in range(10) if luhn_valid(prefix + str(k)))


def on_or_before(reference: dt.date, month: int, day: int) -> dt.date:
    """The last `day`/`month` not after the reference date: what has happened by then."""
    date = dt.date(reference.year, month, day)
    return date if date <= reference else date.replace(year=reference.year - 1)


def after(reference: dt.date, month: int, day: int) -> dt.date:
    """The next `day`/`month` after the reference date: what is still planned."""
    date = dt.date(reference.year, month, day)
    return date if date > reference else date.replace(year=reference.year + 1)


def load(reference_date: dt.date) -> None:
    """The operator, its teams and workers through the services an administrator uses
    (setup and the administration screens), journaled as such; employers and conventions
    with their past dates and statuses."""
    operator = _operator()
    teams = {name: _team(name) for name in ("Nord", "Sud")}
    employers = [
        _employer(operator, teams, index, row, reference_date)
        for index, row in enumerate(EMPLOYERS)
    ]
    _link_accounts(employers)
    for email, team, fte, shares in WORKERS:
        worker = _worker(User.objects.get(email=email), teams[team], Decimal(fte))
        for index, share in shares:
            FteShare.objects.get_or_create(
                worker=worker,
                employer=employers[index],
                year=reference_date.year,
                defaults={"share": Decimal(share)},
            )


def _admin() -> User:
    return User.objects.get(email="admin@demo.polesocial.fr")


def _operator() -> Operator:
    operator = services.operator_current()
    if operator is None:
        operator = services.operator_save(
            actor=_admin(),
            name=OPERATOR_NAME,
            kind=OperatorKind.MANAGEMENT_CENTRE,
            address="1 rue des Tilleuls, Valmont-sur-Arnon",
            siret=operator_siret(),
        )
    elif not operator.siret:  # a demo loaded before the operator had these
        operator = services.operator_save(actor=_admin(), siret=operator_siret())
    if not operator.iban:
        # The example IBAN of the French banking standard, no one's account.
        operator = services.operator_billing_save(
            actor=User.objects.get(email="paul.lambert@demo.polesocial.fr"),
            iban="FR7630006000011234567890189",
            bic="AGRIFRPP",
            payment_terms="À 30 jours à réception, par virement",
        )
    return operator


def _team(name: str) -> Team:
    team = Team.objects.filter(name=name).first()
    if team is not None:
        return team
    return services.team_create(
        actor=_admin(),
        name=name,
        counsellor=User.objects.get(email="isabelle.moreau@demo.polesocial.fr"),
        deputy=User.objects.get(email="julien.roux@demo.polesocial.fr"),
    )


def _worker(user: User, team: Team, fte: Decimal) -> SocialWorker:
    worker = SocialWorker.objects.filter(user=user).first()
    if worker is not None:
        return worker
    return services.social_worker_create(actor=_admin(), user=user, team=team, fte=fte)


def _employer(operator, teams, index, row, reference_date) -> Employer:
    name, kind, team, city, headcount, mode, status = row
    employer, _ = Employer.objects.get_or_create(
        siret=siret_for(index),
        defaults={
            "operator": operator,
            "team": teams[team],
            "name": name,
            "kind": kind,
            "street": f"{index + 1} place de la Mairie",
            "postcode": f"18{index:03d}",
            "city": city,
            "hr_contact_name": "Service des ressources humaines",
            "hr_contact_email": f"rh{index + 1}@employeur{index + 1}.demo.fr",
        },
    )
    for year, figure in (
        (reference_date.year - 1, round(headcount * 0.97)),
        (reference_date.year, headcount),
    ):
        category_c = round(figure * 0.78)
        category_b = round(figure * 0.14)
        Headcount.objects.get_or_create(
            employer=employer,
            year=year,
            defaults={
                "total": figure,
                "category_a": figure - category_c - category_b,
                "category_b": category_b,
                "category_c": category_c,
            },
        )
    convention = _convention(employer, index, mode, status, reference_date)
    if index == 0 and reference_date >= dt.date(reference_date.year, 7, 1):
        _amendment(convention, reference_date.year)
    return employer


def _amendment(convention: Convention, year: int) -> None:
    """The first employer's hourly rate rises by amendment on 1 July: the demo's third
    quarter is billed at the new rate, the first two at the former one."""
    ConventionAmendment.objects.get_or_create(
        convention=convention,
        number=1,
        defaults={
            "signed_on": dt.date(year, 6, 15),
            "effective_from": dt.date(year, 7, 1),
            "hourly_rate": Decimal("61.37"),
            "reason": "Revalorisation du taux horaire votée par le conseil d'administration",
        },
    )


def _convention(employer, index, mode, status, reference_date) -> Convention:
    start = (
        dt.date(reference_date.year - 2, 1, 1)
        if index % 3
        else dt.date(reference_date.year - 1, 4, 1)
    )
    amounts = {
        BillingMode.HOURLY: {"hourly_rate": Decimal("60.00")},
        BillingMode.SESSIONS: {"session_rate": Decimal("180.00")},
        BillingMode.FTE_SHARE: {"fte_yearly_amount": Decimal("24000.00")},
    }[BillingMode(mode)]
    contribution = Decimal("450.00") if mode == BillingMode.HOURLY and index % 2 == 0 else None
    convention, _ = Convention.objects.get_or_create(
        employer=employer,
        reference=f"CONV-{start.year}-{index + 1:03d}",
        defaults={
            "billing_mode": mode,
            **amounts,
            "membership_contribution": contribution,
            "starts_on": start,
            "ends_on": dt.date(start.year, 12, 31),
            "tacit_renewal": True,
            "premises_provided": index % 2 == 0,
            "internal_committee_created": index % 4 == 0,
            "status": status,
            "signed_on": start - dt.timedelta(days=20)
            if status != ConventionStatus.DRAFT
            else None,
            "terminated_on": on_or_before(reference_date, 6, 30)
            if status == ConventionStatus.TERMINATED
            else None,
        },
    )
    return convention


def _link_accounts(employers: list[Employer]) -> None:
    contact = User.objects.get(email="celine.rousseau@demo.polesocial.fr")
    physician = User.objects.get(email="dr.marc.bonnet@demo.polesocial.fr")
    employers[0].accounts.add(contact)
    for employer in employers[:4]:
        employer.accounts.add(physician)
