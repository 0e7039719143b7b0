"""First run of a real installation: the operator and the first administrator.

Interactive by default; `--no-input` for scripts, with options or environment variables
(an option wins over its variable). Running it again changes nothing: an operator already
recorded and an account that already exists are left as they are.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from polesocial.organisations import services as organisations
from polesocial.organisations.enums import OperatorKind
from polesocial.organisations.validators import validate_siret
from polesocial.users import services as users
from polesocial.users.enums import Role
from polesocial.users.models import User

# option -> (environment variable, French prompt, required)
OPERATOR_FIELDS = {
    "operator_name": ("POLESOCIAL_OPERATOR_NAME", "Nom de l'opérateur", True),
    "operator_kind": ("POLESOCIAL_OPERATOR_KIND", "Nature de l'opérateur", True),
    "operator_siret": ("POLESOCIAL_OPERATOR_SIRET", "SIRET de l'opérateur (14 chiffres)", True),
    "operator_address": ("POLESOCIAL_OPERATOR_ADDRESS", "Adresse postale", False),
    "operator_email": ("POLESOCIAL_OPERATOR_EMAIL", "Adresse électronique du service", False),
    "operator_phone": ("POLESOCIAL_OPERATOR_PHONE", "Téléphone du service", False),
    "operator_logo": ("POLESOCIAL_OPERATOR_LOGO", "Chemin du fichier du logo", False),
}
ADMIN_FIELDS = {
    "admin_email": ("POLESOCIAL_ADMIN_EMAIL", "Adresse électronique de l'administrateur", True),
    "admin_first_name": ("POLESOCIAL_ADMIN_FIRST_NAME", "Prénom de l'administrateur", True),
    "admin_last_name": ("POLESOCIAL_ADMIN_LAST_NAME", "Nom de l'administrateur", True),
}
PASSWORD_VARIABLE = "POLESOCIAL_ADMIN_PASSWORD"  # noqa: S105 (a variable name)


def _check_kind(value: str) -> None:
    if value not in OperatorKind.values:
        raise ValidationError(f"Nature inconnue ; valeurs possibles : {', '.join(OperatorKind)}.")


def _check_logo(value: str) -> None:
    path = Path(value)
    if not path.is_file():
        raise ValidationError(f"Fichier introuvable : {value}.")
    if path.suffix.lower() not in {".png", ".jpg", ".jpeg", ".svg"}:
        raise ValidationError("Le logo est une image PNG, JPEG ou SVG.")


CHECKS = {
    "operator_kind": _check_kind,
    "operator_siret": validate_siret,
    "operator_logo": _check_logo,
    "operator_email": validate_email,
    "admin_email": validate_email,
}


class Command(BaseCommand):
    help = (
        "Première mise en service : enregistre l'opérateur et crée le premier compte "
        "d'administration. Sans effet si c'est déjà fait."
    )

    def add_arguments(self, parser):
        for option, (variable, prompt, _required) in {**OPERATOR_FIELDS, **ADMIN_FIELDS}.items():
            parser.add_argument(
                f"--{option.replace('_', '-')}", dest=option, help=f"{prompt} (ou {variable})"
            )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ne rien demander (scripts) ; le mot de passe vient de {PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, interactive: bool, **options):
        self.interactive = interactive
        self.options = options
        with transaction.atomic():
            self._operator()
            admin = self._admin()
        if admin is not None:
            self.stdout.write(
                "Double authentification : à sa première connexion, l'administrateur "
                "saisit son adresse et son mot de passe, puis un QR code s'affiche ; il le "
                "scanne avec une application d'authentification (FreeOTP, Aegis, Google "
                "Authenticator…) et saisit le code à 6 chiffres qu'elle affiche."
            )

    # --- Reading values ---------------------------------------------------------------

    def _value(self, option: str, variable: str, prompt: str, required: bool) -> str:
        """The option, else its environment variable, else (interactively) the answer."""
        value = self.options.get(option) or os.environ.get(variable, "")
        check = CHECKS.get(option)
        while True:
            value = value.strip()
            if not value and self.interactive:
                suffix = "" if required else " (facultatif)"
                if option == "operator_kind":
                    suffix += f" [{', '.join(OperatorKind)}]"
                value = self._ask(f"{prompt}{suffix} : ").strip()
            if not value:
                if required:
                    if not self.interactive:
                        raise CommandError(
                            f"{prompt} manquant : option --{option.replace('_', '-')} "
                            f"ou variable {variable}."
                        )
                    self.stderr.write(f"{prompt} : valeur obligatoire.")
                    continue
                return ""
            if check is not None:
                try:
                    check(value)
                except ValidationError as error:
                    message = f"{prompt} : {' '.join(error.messages)}"
                    if not self.interactive:
                        raise CommandError(message) from None
                    self.stderr.write(message)
                    value = ""
                    continue
            return value

    def _ask(self, prompt: str) -> str:
        try:
            return input(prompt)
        except EOFError:  # no terminal (a script, a container): say what to do instead
            raise CommandError(
                "Aucune réponse possible sans terminal : relancez avec --no-input et les "
                "options ou variables d'environnement (voir --help)."
            ) from None

    def _password(self, values: dict[str, str]) -> str:
        password = os.environ.get(PASSWORD_VARIABLE, "")
        # The validators refuse a password made of the person's names or address.
        probe = User(role=Role.ADMIN, **values)
        while True:
            if not password:
                if not self.interactive:
                    raise CommandError(
                        f"Mot de passe de l'administrateur manquant : variable {PASSWORD_VARIABLE}."
                    )
                password = getpass.getpass("Mot de passe de l'administrateur : ")
                if password != getpass.getpass("Le même mot de passe, à nouveau : "):
                    self.stderr.write("Les deux mots de passe diffèrent.")
                    password = ""
                    continue
            try:
                validate_password(password, probe)
            except ValidationError as error:
                message = "Mot de passe refusé : " + " ".join(error.messages)
                if not self.interactive:
                    raise CommandError(message) from None
                self.stderr.write(message)
                password = ""
                continue
            return password

    # --- Writing ----------------------------------------------------------------------

    def _operator(self) -> None:
        operator = organisations.operator_current()
        if operator is not None:
            self.stdout.write(f"Opérateur déjà enregistré : « {operator.name} » (inchangé).")
            return
        values = {
            option.removeprefix("operator_"): self._value(option, *spec)
            for option, spec in OPERATOR_FIELDS.items()
        }
        logo_path = values.pop("logo")
        try:
            if logo_path:
                with open(logo_path, "rb") as handle:
                    values["logo"] = File(handle, name=Path(logo_path).name)
                    operator = organisations.operator_save(actor=None, **values)
            else:
                operator = organisations.operator_save(actor=None, **values)
        except ValidationError as error:
            raise CommandError("Opérateur refusé : " + " ".join(error.messages)) from None
        self.stdout.write(f"Opérateur enregistré : « {operator.name} », SIRET {operator.siret}.")

    def _admin(self) -> User | None:
        """The first administrator; None when an account already exists."""
        given = self.options.get("admin_email") or os.environ.get("POLESOCIAL_ADMIN_EMAIL", "")
        if given.strip():
            existing = User.objects.filter(email__iexact=given.strip()).first()
        else:
            existing = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
        if existing is not None:
            self.stdout.write(
                f"Compte d'administration déjà présent : {existing.email} (inchangé)."
            )
            return None
        values = {
            option.removeprefix("admin_"): self._value(option, *spec)
            for option, spec in ADMIN_FIELDS.items()
        }
        password = self._password(values)
        try:
            admin = users.user_create(actor=None, role=Role.ADMIN, password=password, **values)
        except ValidationError as error:
            raise CommandError("Compte refusé : " + " ".join(error.messages)) from None
        self.stdout.write(f"Compte d'administration créé : {admin.email}.")
        return admin
