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
