"""Load the demo data: fixed seed and a reference date, so running it twice changes nothing.

The reference date is the demo's « today »: a year of activity up to it (and two earlier,
closed years of case work, so that employers' three-year reports have years to pool),
« Mon temps » and waiting times counted to it. It is the day of the first load (so that
nothing in the demo lies in the future of whoever looks at it), kept for later loads,
unless the settings fix it (DEMO_REFERENCE_DATE: the tests, whose figures are pinned to
that day).
"""

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import formats, timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.aid import demo as aid_demo
from polesocial.appointments import demo as appointments_demo
from polesocial.billing import demo as billing_demo
from polesocial.casework import demo as casework_demo
from polesocial.collective import demo as collective_demo
from polesocial.core.scale import SCALES, generate
from polesocial.directory import demo as directory_demo
from polesocial.organisations import demo as organisations_demo
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users import services as users
from polesocial.users.enums import Role
from polesocial.users.models import User
from polesocial.users.totp import demo_totp_key

# Each domain app's demo loader, in dependency order; each takes the reference date.
DEMO_LOADERS = [
    organisations_demo.load,
    directory_demo.load,
    casework_demo.load,
    collective_demo.load,
    appointments_demo.load,
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
    ("lucie.perrin@demo.polesocial.fr", "Lucie", "Perrin", Role.MOBILITY_ADVISER),
    ("admin@demo.polesocial.fr", "Karim", "Haddad", Role.ADMIN),
    ("yves.perrin@demo.polesocial.fr", "Yves", "Perrin", Role.COMMITTEE_MEMBER),
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            help=(
                "Au lieu de la démonstration, remplit une base vide aux volumes d'un service "
                "national (2 000 employeurs, 300 000 dossiers) ou régional (un dixième)."
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Graine du tirage (même graine, mêmes données)."
        )

    def handle(self, *args, **options):
        if options.get("scale"):
            self._scale(options["scale"], options["seed"])
            return
        if not getattr(settings, "DEMO_TOTP_SEED", None):
            raise CommandError("Les données de démonstration exigent les réglages de démo.")
        reference_date = demo_reference_date()
        with transaction.atomic():
            for email, first, last, role in DEMO_ACCOUNTS:
                self._account(email, first, last, role)
            for loader in DEMO_LOADERS:
                loader(reference_date)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        day = formats.date_format(reference_date, "d/m/Y")
        self.stdout.write(
            f"Date de référence (le « aujourd'hui » de la démonstration) : {day}. Pour une "
            "démonstration datée du jour : base vide (rm db.sqlite3), puis make demo."
        )
        self.stdout.write(f"Mot de passe de tous les comptes : {DEMO_PASSWORD}")
        for email, first, last, role in DEMO_ACCOUNTS:
            name = f"{first} {last}"
            self.stdout.write(f"  {Role(role).label:<40} {name:<20} {email}")
        self.stdout.write(
            "Code à usage unique d'un compte : python manage.py demo_totp ADRESSE "
            "(ou make demo-code EMAIL=ADRESSE)."
        )

    def _scale(self, name: str, seed: int) -> None:
        started = time.monotonic()

        def progress(label: str, done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"[{elapsed:6.0f} s] {label} : {done}/{total}")

        try:
            counts = generate(name, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Volumes « {name} » créés :"))
        for table, rows in sorted(counts.items()):
            self.stdout.write(f"  {table:<32} {rows:>12,}".replace(",", "\u202f"))
        self.stdout.write(f"Durée : {time.monotonic() - started:.0f} s")

    def _account(self, email, first, last, role) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:  # as `setup` and the administration screen create accounts
            user = users.user_create(
                actor=None,
                email=email,
                first_name=first,
                last_name=last,
                role=role,
                password=DEMO_PASSWORD,
            )
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Démo",
            defaults={"key": demo_totp_key(email), "confirmed": True},
        )
        return user


# The reference date of demos loaded before it followed the day of loading.
FORMER_REFERENCE_DATE = "2026-11-16"


def demo_reference_date() -> dt.date:
    """The settings' DEMO_REFERENCE_DATE if set; else the date of the demo already loaded
    (kept in its journal entry); else today."""
    if fixed := getattr(settings, "DEMO_REFERENCE_DATE", ""):
        return dt.date.fromisoformat(fixed)
    loaded = AuditEntry.objects.filter(action=AuditAction.DEMO_LOAD).order_by("sequence").first()
    if loaded is not None:
        return dt.date.fromisoformat(loaded.detail.get("reference_date", FORMER_REFERENCE_DATE))
    return timezone.localdate()
