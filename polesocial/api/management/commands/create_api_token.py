from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.api.services import api_token_create
from polesocial.users.models import User


class Command(BaseCommand):
    help = (
        "Crée un jeton d'API pour un compte et l'affiche une seule fois. "
        "Jeton personnel par défaut (droits du compte) ; avec --integration, un jeton "
        "limité aux périmètres --scope. Exemple : create_api_token rh@exemple.fr "
        "--days 90 --integration --scope headcounts.create"
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="Adresse électronique du compte titulaire.")
        parser.add_argument(
            "--days", type=int, default=None, help="Durée de validité en jours (défaut : 30)."
        )
        parser.add_argument("--name", default="", help="Nom du jeton, pour le reconnaître.")
        parser.add_argument(
            "--integration",
            action="store_true",
            help="Jeton d'intégration, limité aux périmètres donnés par --scope.",
        )
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            dest="scopes",
            metavar="PERIMETRE",
            help="Périmètre accordé (répétable) : " + ", ".join(INTEGRATION_SCOPES) + ".",
        )

    def handle(self, *args, email, days, name, integration, scopes, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"Aucun compte avec l'adresse {email}.")
        kind = ApiTokenKind.INTEGRATION if integration else ApiTokenKind.PERSONAL
        try:
            token, key = api_token_create(
                actor=None,
                user=user,
                name=name or f"{kind.label} (ligne de commande)",
                kind=kind,
                days=days,
                scopes=scopes,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"Jeton « {token.name} » créé pour {user.email}, valable jusqu'au "
            f"{timezone.localtime(token.expires_at):%d/%m/%Y %H:%M}. Il ne sera plus affiché :"
        )
        self.stdout.write(key)
