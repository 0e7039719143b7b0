import datetime as dt
import math

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker.providers.person.fr_FR import Provider as PersonProvider

from polesocial.users.enums import Role
from polesocial.users.models import User

PASSWORD = "correct horse battery staple"

# Staff names are drawn in turn from Faker's French lists, minus every name the tests use
# for employees or as a secret they look for on a page: "the worker's name is not shown"
# and "Dupont is not on the HR contact's page" must not pass or fail by chance.
_TEST_NAMES = {
    "Anne",
    "Bonnet",
    "Claire",
    "Céline",
    "Delorme",
    "Dubois",
    "Dupont",
    "Dupré",
    "Durand",
    "Garnier",
    "Hélène",
    "Jeanne",
    "Julie",
    "Lefèvre",
    "Lemoine",
    "Lucie",
    "Marc",
    "Marchand",
    "Martin",
    "Martine",
    "Mercier",
    "Paris",
    "Paul",
    "Petit",
    "Petitjean",
    "Renaud",
    "Rousseau",
    "Sophie",
    "Zoé",
    "Léa",
    "Éloïse",
}


def _free(name: str) -> bool:
    """Neither a test name nor containing one: "Martins" is found by a search for "Martin"."""
    return not any(test.casefold() in name.casefold() for test in _TEST_NAMES)


_FIRST_NAMES = sorted(
    n
    for n in set(PersonProvider.first_names_female) | set(PersonProvider.first_names_male)
    if _free(n)
)
# A last name that is also a first name ("Vincent") could be found in another user's name.
_LAST_NAMES = sorted(n for n in set(PersonProvider.last_names) - set(_FIRST_NAMES) if _free(n))


def _in_turn(names: list[str], stride: int):
    """The n-th name of a walk through every name: a stride prime to the list's length."""
    while math.gcd(stride, len(names)) != 1:
        stride += 1
    return lambda n: names[n * stride % len(names)]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    # In turn rather than at random: two users of one test never share a name.
    first_name = factory.Sequence(_in_turn(_FIRST_NAMES, 7))
    last_name = factory.Sequence(_in_turn(_LAST_NAMES, 13))
    role = Role.SOCIAL_WORKER
    password = factory.django.Password(PASSWORD)

    class Params:
        with_totp = factory.Trait(
            totp=factory.RelatedFactory("tests.factories.TotpDeviceFactory", "user")
        )


class TotpDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Test"
    confirmed = True


def siret_with_key(prefix13: str) -> str:
    """A valid SIRET: 13 digits followed by the Luhn key."""
    from polesocial.organisations.validators import luhn_valid

    return next(prefix13 + str(k) for k in range(10) if luhn_valid(prefix13 + str(k)))


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Operator"
        django_get_or_create = ("name",)

    name = "Centre de gestion de la fonction publique territoriale de l'Aube"
    kind = "management_centre"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Team"

    operator = factory.SubFactory(OperatorFactory)
    name = factory.Sequence(lambda n: f"Équipe {n:05d}")
    counsellor = factory.SubFactory(UserFactory, role=Role.COUNSELLOR)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Employer"

    operator = factory.SubFactory(OperatorFactory)
    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Commune n° {n:05d}")
    kind = "commune"
    siret = factory.Sequence(lambda n: siret_with_key(f"2{n:012d}"))


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Convention"

    employer = factory.SubFactory(EmployerFactory)
    billing_mode = "hourly"
    hourly_rate = "60.00"
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)

    class Params:
        active = factory.Trait(status="active", signed_on=factory.SelfAttribute("starts_on"))


class SocialWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.SocialWorker"

    user = factory.SubFactory(UserFactory, role=Role.SOCIAL_WORKER)
    team = factory.SubFactory(TeamFactory)
    fte = "1.00"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Partner"

    name = factory.Sequence(lambda n: f"CAF de l'Arnon {n:05d}")
    kind = "caf"


EMPLOYEE_IDENTITY = {
    "last_name": "Dupont-Lefèvre",
    "first_name": "Éloïse",
    "birth_date": dt.date(1979, 4, 12),
    "sex": "F",
    "status": "titulaire",
    "category": "C",
    "family_situation": "single_parent",
    "children_count": 2,
    "job": "Agente d'entretien",
}


def open_case_for(worker, *, employer=None, identity=None, opened_on=dt.date(2026, 3, 2)):
    """A case opened through the services, as the worker would: referral → case."""
    from polesocial.casework.services import cases, referrals

    employer = employer or EmployerFactory(team=worker.team)
    referral = referrals.referral_create(
        actor=None,
        employer=employer,
        source="employer_hr",
        reason="Difficultés financières signalées par le service RH.",
        person_last_name=(identity or EMPLOYEE_IDENTITY)["last_name"],
        person_first_name=(identity or EMPLOYEE_IDENTITY)["first_name"],
    )
    referrals.referral_assign(actor=worker.user, referral=referral, worker=worker)
    assessment = referrals.first_assessment_record(
        actor=worker.user,
        referral=referral,
        assessed_on=opened_on,
        outcome="open_case",
        employee={**(identity or EMPLOYEE_IDENTITY), "employer": employer},
    )
    employee = assessment.referral.employee
    consent = referrals.consent_record(
        actor=worker.user, employee=employee, given_on=opened_on, form="oral", referral=referral
    )
    return cases.case_open(
        actor=worker.user,
        employee=employee,
        consent=consent,
        domains=["budget", "housing"],
        opened_on=opened_on,
        assessment="Dettes de loyer, deux enfants à charge.",
        referral=referral,
    )
