import datetime as dt

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.users.enums import Role
from polesocial.users.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
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
    name = factory.Sequence(lambda n: f"Équipe {n}")
    counsellor = factory.SubFactory(UserFactory, role=Role.COUNSELLOR)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Employer"

    operator = factory.SubFactory(OperatorFactory)
    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Commune n° {n}")
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
