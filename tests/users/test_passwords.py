"""Password rules (CNIL 2022-100): what a person choosing a password is told, in French."""

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from polesocial.users.passwords import FRENCH_LIST
from tests.factories import OperatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def marie():
    OperatorFactory(name="Centre de gestion de la Marne")
    return UserFactory(first_name="Marie-Hélène", last_name="Durand", email="mh.durand@cdg51.fr")


def refusals(password: str, user) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password",
    [
        "azertyuiop12",
        "Azertyuiop12!",
        "AZERTYUIOP2025",
        "Qsdfghjklm!123",
        "Motdepasse2024!",
        "P@ssw0rd-2024!",
        "Marseille13!!xx",
        "!!Marseille2013",
        "SoleilSoleil1!",
        "JeTaimeNicolas75!",
        "Doudou-Loulou-2024",
        "Bonjour2026!!!",
        "1q2w3e4r5t6y7u",
    ],
)
def test_common_passwords_are_refused_even_decorated(marie, password):
    messages = refusals(password, marie)
    assert messages, f"{password} accepted"
    assert all("Ce mot de passe" in message for message in messages)


def test_a_keyboard_walk_with_digits_is_refused_as_too_common(marie):
    assert refusals("Azertyuiop12!", marie) == [
        "Ce mot de passe est trop courant : évitez les mots, prénoms, villes, suites de "
        "clavier (azerty…) et dates, même suivis de chiffres ou de symboles."
    ]


@pytest.mark.parametrize(
    ("password", "word"),
    [
        ("Durand#Grenier2025", "durand"),
        ("MarieHelene:Jardin7", "mariehelene"),
        ("mh.durand-Jardin-2025", "mhdurand"),
        ("Cdg51&Randonnee!", "cdg51"),
        ("PoleSocial-Jardin-9", "polesocial"),
        ("P0l3S0cial-Jardin-9", "polesocial"),
        ("Grenier!Marne2025x", "marne"),
    ],
)
def test_names_of_the_user_product_and_operator_are_refused(marie, password, word):
    assert refusals(password, marie)[-1:] == [
        f"Ce mot de passe contient « {word} », trop facile à deviner : évitez vos nom, prénom "
        "et adresse électronique, le nom du produit et celui de votre organisme."
    ]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (
            "jardinbleu2x",
            "Ce mot de passe est trop simple : avec 2 types de caractères, il doit compter au "
            "moins 16 caractères. Ajoutez des caractères d'autres types ou allongez-le (une "
            "phrase de passe convient).",
        ),
        (
            "Jardinbleu2xy",
            "Ce mot de passe est trop simple : avec 3 types de caractères, il doit compter au "
            "moins 14 caractères. Ajoutez des caractères d'autres types ou allongez-le (une "
            "phrase de passe convient).",
        ),
    ],
)
def test_short_passwords_need_several_kinds_of_characters(marie, password, message):
    assert refusals(password, marie) == [message]


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "une longue phrase de passe 2026",
        "Jardin-bleu#2x",
        "k7#Vq9!mZ2@x",
        "Tr0ub4dor&3-Lémurien",
        "les framboises du jardin sont mûres",
    ],
)
def test_strong_passwords_and_passphrases_are_accepted(marie, password):
    assert refusals(password, marie) == []


def test_the_rules_are_explained_in_french():
    help_texts = " ".join(password_validators_help_texts())
    assert "14 avec trois de ces types" in help_texts
    assert "Pas de mot de passe courant, même complété de chiffres" in help_texts
    assert "Ni vos nom, prénom ou adresse électronique" in help_texts


def test_the_french_list_ships_with_the_product():
    entries = [line for line in FRENCH_LIST.read_text().splitlines() if line[:1] != "#"]
    assert len(entries) > 2000
    assert {"azertyuiop", "motdepasse", "marseille", "jetaimenicolas"} <= set(entries)


def test_setting_a_password_by_e_mail_refuses_a_common_one(client, marie):
    uid = urlsafe_base64_encode(force_bytes(marie.pk))
    token = default_token_generator.make_token(marie)
    page = client.get(reverse("users:password_reset_confirm", args=[uid, token]))
    response = client.post(
        page.url, {"new_password1": "Azertyuiop12!", "new_password2": "Azertyuiop12!"}
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop courant" in response.content.decode()
    marie.refresh_from_db()
    assert not marie.check_password("Azertyuiop12!")
