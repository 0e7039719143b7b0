"""Load the demo data: fixed seed and reference date, so running it twice changes nothing."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.aid import demo as aid_demo
from polesocial.billing import demo as billing_demo
from polesocial.casework import demo as casework_demo
from polesocial.collective import demo as collective_demo
from polesocial.directory import demo as directory_demo
from polesocial.organisations import demo as organisations_demo
from polesocial.users.enums import Role
from polesocial.users.models import User
from polesocial.users.totp import demo_totp_key

# Each domain app's demo loader, in dependency order; each takes the reference date.
DEMO_LOADERS = [
    organisations_demo.load,
    directory_demo.load,
    casework_demo.load,
    collective_demo.load,
    billing_demo.load,
    aid_demo.load,
]

DEMO_PASSWORD = "demo-pole-social-2026"  # noqa: S105 - public demo accounts only

# (e-mail, first name, last name, role): one of every role, several social workers.
DEMO_ACCOUNTS = [
    ("claire.martin@demo.polesocial.fr", "Claire", "Martin", Role.SOCIAL_WORKER),
    ("nadia.benali@demo.polesocial.fr", "Nadia", "Benali", Role.SOCIAL_WORKER),
    ("sophie.lefebvre@demo.polesocial.fr", "Sophie", "Lefebvre", Role.SOCIAL_WORKER),
    ("thomas.girard@demo.polesocial.fr", "Thomas", "Girard", Role.SOCIAL_WORKER),
    ("isabelle.moreau@demo.polesocial.fr", "Isabelle", "Moreau", Role.COUNSELLOR),
    ("julien.roux@demo.polesocial.fr", "Julien", "Roux", Role.COUNSELLOR),
    ("martine.fournier@demo.polesocial.fr", "Martine", "Fournier", Role.SECRETARY),
    ("paul.lambert@demo.polesocial.fr", "Paul", "Lambert", Role.BILLING),
    ("celine.rousseau@demo.polesocial.fr", "Céline", "Rousseau", Role.EMPLOYER_CONTACT),
    ("dr.marc.bonnet@demo.polesocial.fr", "Marc", "Bonnet", Role.PHYSICIAN),
    ("anne.dupuis@demo.polesocial.fr", "Anne", "Dupuis", Role.NATIONAL_ADVISER),
    ("helene.garnier@demo.polesocial.fr", "Hélène", "Garnier", Role.DPO),
    ("admin@demo.polesocial.fr", "Karim", "Haddad", Role.ADMIN),
    ("yves.perrin@demo.polesocial.fr", "Yves", "Perrin", Role.COMMITTEE_MEMBER),
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_TOTP_SEED", None):
            raise CommandError("Les données de démonstration exigent les réglages de démo.")
        reference_date = dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE)
        with transaction.atomic():
            for email, first, last, role in DEMO_ACCOUNTS:
                self._account(email, first, last, role)
            for loader in DEMO_LOADERS:
                loader(reference_date)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Mot de passe de tous les comptes : {DEMO_PASSWORD}")
        for email, first, last, role in DEMO_ACCOUNTS:
            name = f"{first} {last}"
            self.stdout.write(f"  {Role(role).label:<40} {name:<20} {email}")
        self.stdout.write(
            "Code à usage unique d'un compte : python manage.py demo_totp ADRESSE "
            "(ou make demo-code EMAIL=ADRESSE)."
        )

    def _account(self, email, first, last, role) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "role": role}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Démo",
            defaults={"key": demo_totp_key(email), "confirmed": True},
        )
        return user
