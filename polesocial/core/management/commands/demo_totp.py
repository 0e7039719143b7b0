from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.users.totp import current_code


class Command(BaseCommand):
    help = "Affiche le code à usage unique courant d'un compte de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique du compte de démonstration")

    def handle(self, *args, email, **options):
        device = TOTPDevice.objects.filter(
            user__email=email.lower(), name="Démo", confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"Aucun compte de démonstration pour {email}.")
        self.stdout.write(current_code(device.key))
