"""`manage.py setup`: the first run of a real installation, without the demo loader."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from polesocial.organisations.models import Operator
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from polesocial.users.models import User
from tests.factories import siret_with_key

pytestmark = pytest.mark.django_db

SIRET = siret_with_key("2510000000012")
PASSWORD = "Violette marche sous la pluie de novembre"
OPTIONS = {
    "operator_name": "Centre de gestion de l'Arnon",
    "operator_kind": "management_centre",
    "operator_siret": SIRET,
    "operator_address": "2 place de la Mairie, 18000 Bourges",
    "operator_email": "social@cdg-arnon.example",
    "operator_phone": "02 48 00 00 00",
    "admin_email": "Admin@CDG-Arnon.example",
    "admin_first_name": "Alice",
    "admin_last_name": "Martin",
}


def run_setup(**options) -> str:
    out = StringIO()
    call_command("setup", interactive=False, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_setup_records_the_operator_and_an_administrator_who_can_sign_in(monkeypatch):
    monkeypatch.setenv("POLESOCIAL_ADMIN_PASSWORD", PASSWORD)
    output = run_setup(**OPTIONS)
    operator = Operator.objects.get()
    assert (operator.name, operator.siret, operator.phone) == (
        "Centre de gestion de l'Arnon",
        SIRET,
        "02 48 00 00 00",
    )
    admin = User.objects.get()
    assert (admin.email, admin.role, admin.is_active) == ("admin@cdg-arnon.example", "admin", True)
    assert admin.check_password(PASSWORD)
    # How to enrol the second factor, in French.
    assert "QR code" in output and "code à 6 chiffres" in output
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "operator.create",
        "user.create",
    }


def test_running_setup_twice_changes_nothing(monkeypatch):
    monkeypatch.setenv("POLESOCIAL_ADMIN_PASSWORD", PASSWORD)
    run_setup(**OPTIONS)
    admin = User.objects.get()
    output = run_setup(**{**OPTIONS, "operator_name": "Un autre nom"})
    assert Operator.objects.get().name == "Centre de gestion de l'Arnon"
    assert list(User.objects.all()) == [admin]
    assert AuditEntry.objects.count() == 2
    assert "déjà enregistré" in output and "inchangé" in output
    assert "QR code" not in output


def test_setup_reads_environment_variables_for_scripts(monkeypatch):
    for option, value in OPTIONS.items():
        monkeypatch.setenv(f"POLESOCIAL_{option.upper()}", value)
    monkeypatch.setenv("POLESOCIAL_ADMIN_PASSWORD", PASSWORD)
    run_setup()
    assert Operator.objects.get().siret == SIRET
    assert User.objects.get().email == "admin@cdg-arnon.example"


def test_setup_refuses_a_wrong_siret_in_french_and_records_nothing(monkeypatch):
    monkeypatch.setenv("POLESOCIAL_ADMIN_PASSWORD", PASSWORD)
    wrong = SIRET[:-1] + str((int(SIRET[-1]) + 1) % 10)
    with pytest.raises(CommandError, match="clé de contrôle ne correspond pas"):
        run_setup(**{**OPTIONS, "operator_siret": wrong})
    assert not Operator.objects.exists()
    assert not User.objects.exists()


def test_setup_without_a_password_for_a_script_says_which_variable_to_set(monkeypatch):
    monkeypatch.delenv("POLESOCIAL_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="POLESOCIAL_ADMIN_PASSWORD"):
        run_setup(**OPTIONS)
    # Nothing half done: the operator is not recorded without its administrator.
    assert not Operator.objects.exists()


def test_setup_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("POLESOCIAL_ADMIN_PASSWORD", "azerty")
    with pytest.raises(CommandError, match="Mot de passe refusé"):
        run_setup(**OPTIONS)
    assert not User.objects.exists()


def test_setup_asks_its_questions_again_after_a_wrong_answer(monkeypatch):
    answers = iter(
        [
            "Centre de gestion de l'Arnon",
            "centre",  # unknown kind: asked again
            "management_centre",
            "123",  # not a SIRET: asked again
            SIRET,
            "",
            "",
            "",
            "",
            "admin@cdg-arnon.example",
            "Alice",
            "Martin",
        ]
    )
    passwords = iter([PASSWORD, PASSWORD])
    monkeypatch.delenv("POLESOCIAL_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    err = StringIO()
    call_command("setup", stdout=StringIO(), stderr=err)
    assert Operator.objects.get().kind == "management_centre"
    assert User.objects.get(role=Role.ADMIN).check_password(PASSWORD)
    assert "Nature inconnue" in err.getvalue()
    assert "Le SIRET compte 14 chiffres." in err.getvalue()


def test_setup_without_a_terminal_says_how_to_run_it_for_scripts(monkeypatch):
    def no_terminal(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    with pytest.raises(CommandError, match="--no-input"):
        call_command("setup", stdout=StringIO(), stderr=StringIO())
    assert not Operator.objects.exists()
