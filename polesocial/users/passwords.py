"""Password rules (CNIL deliberation 2022-100), offline: no call to any breach service.

Three validators complete Django's (length, similarity, common list, all digits):

- `VarietyValidator`: about 80 bits of entropy in the CNIL's sense, as its examples set
  them — 12 characters of the four kinds (lower case, upper case, digits, others), 14 of
  three, 16 of two, 20 of one (a passphrase). The second factor and the sign-in throttling
  would allow less; a stolen password database must still resist.
- `CommonPatternValidator`: refuses a common password even when decorated. Django's list
  only matches whole passwords (`azertyuiop` but not `azertyuiop12`); here the password is
  stripped of the digits and symbols around it, read back from l33t (`p@ssw0rd`), and
  compared with Django's list and with a French one shipped in `data/`, alone, repeated
  (`soleilsoleil`) or as two words (`jetaimenicolas`).
- `ContextValidator`: refuses the user's names and e-mail address, the product's name and
  the operator's, inside the password (Django's similarity check only catches passwords
  that look like them as a whole).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

FRENCH_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-fr.txt"
PRODUCT_NAMES = ("Pôle social",)
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Lengths for about 80 bits with 4, 3, 2 or 1 kinds of characters (CNIL's examples).
MIN_LENGTH_BY_KINDS = {4: 12, 3: 14, 2: 16, 1: 20}
# Parts of a word shorter than this are too common to refuse inside a password.
MIN_PART = 4
# No common password is longer; the checks below cost the square of the length.
MAX_COMMON_LENGTH = 64
# A common word of 6 letters or more with up to this many characters around it.
MAX_NOISE = 4


def plain(text: str) -> str:
    """Lower case, without accents: « Hélène » → « helene »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def compact(text: str) -> str:
    """Letters and digits only, plain: « Pôle social » → « polesocial »."""
    return re.sub(r"[^a-z0-9]", "", plain(text))


def kinds(password: str) -> int:
    """How many of the four kinds of characters the password uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class VarietyValidator:
    """Short passwords need several kinds of characters; long passphrases need none."""

    def validate(self, password: str, user=None) -> None:
        used = kinds(password)
        needed = MIN_LENGTH_BY_KINDS[max(used, 1)]
        # Below 12, MinimumLengthValidator already says what is missing.
        if len(password) >= min(MIN_LENGTH_BY_KINDS.values()) and len(password) < needed:
            raise ValidationError(
                f"Ce mot de passe est trop simple : avec {needed_kinds(used)}, il doit compter "
                f"au moins {needed} caractères. Ajoutez des caractères d'autres types ou "
                "allongez-le (une phrase de passe convient).",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return (
            "Au moins 12 caractères mêlant minuscules, majuscules, chiffres et caractères "
            "spéciaux, 14 avec trois de ces types, 16 avec deux, ou une phrase de passe "
            "d'au moins 20 caractères."
        )


def needed_kinds(used: int) -> str:
    return "un seul type de caractères" if used <= 1 else f"{used} types de caractères"


@cache
def common_words() -> frozenset[str]:
    """Django's list of common passwords and ours (French), compacted."""
    words = {compact(word) for word in CommonPasswordValidator().passwords}
    with FRENCH_LIST.open(encoding="utf-8") as lines:
        words |= {compact(line) for line in lines if not line.startswith("#")}
    return frozenset(word for word in words if len(word) >= MIN_PART)


def core(password: str) -> str:
    """The password without the digits and symbols around it, read back from l33t."""
    text = plain(password).strip()
    text = re.sub(r"^[^a-z]+|[^a-z]+$", "", text)
    return compact(text.translate(LEET))


def is_common(word: str, words: frozenset[str]) -> bool:
    """A common word (with a little noise around it), that word repeated, or two common
    words side by side."""
    if not MIN_PART <= len(word) <= MAX_COMMON_LENGTH:
        return False
    if word in words or _with_noise(word, words):
        return True
    period = next(n for n in range(1, len(word) + 1) if word == word[:n] * (len(word) // n))
    if period < len(word) and word[:period] in words:
        return True
    return any(
        word[:cut] in words and word[cut:] in words
        for cut in range(MIN_PART, len(word) - MIN_PART + 1)
    )


def _with_noise(word: str, words: frozenset[str]) -> bool:
    """`marseille13xx`: all but a few characters are one common word of 6 or more."""
    shortest = max(6, len(word) - MAX_NOISE)
    return any(
        word[start : start + size] in words
        for size in range(shortest, len(word))
        for start in range(len(word) - size + 1)
    )


class CommonPatternValidator:
    """Common passwords, even surrounded by digits and symbols or written in l33t."""

    def validate(self, password: str, user=None) -> None:
        words = common_words()
        readings = (compact(password), compact(plain(password).translate(LEET)), core(password))
        if any(is_common(reading, words) for reading in readings):
            raise ValidationError(
                "Ce mot de passe est trop courant : évitez les mots, prénoms, villes, suites "
                "de clavier (azerty…) et dates, même suivis de chiffres ou de symboles.",
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return "Pas de mot de passe courant, même complété de chiffres ou de symboles."


def context_words(user=None) -> set[str]:
    """What the password must not contain: names of the product, of the operator, and the
    user's names and e-mail address (local part and domain, and their pieces)."""
    from polesocial.organisations.models import Operator

    names = [*PRODUCT_NAMES, settings.OTP_TOTP_ISSUER]
    names += list(Operator.objects.values_list("name", flat=True))
    found = {compact(name) for name in names}
    for name in names:
        found |= {compact(word) for word in re.split(r"[\s'’-]+", name) if len(word) > MIN_PART}
    if user is not None:
        email = getattr(user, "email", "") or ""
        local, _, domain = email.partition("@")
        parts = [
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
            local,
            domain.split(".")[0],
        ]
        parts += re.split(r"[._+-]+", local)
        found |= {compact(part) for part in parts if part}
    return {word for word in found if len(word) >= MIN_PART}


class ContextValidator:
    """No name of the user, of the product or of the operator inside the password."""

    def validate(self, password: str, user=None) -> None:
        readings = {compact(password), compact(plain(password).translate(LEET))}
        for word in sorted(context_words(user), key=len, reverse=True):
            if any(word in reading for reading in readings):
                raise ValidationError(
                    f"Ce mot de passe contient « {word} », trop facile à deviner : évitez vos "
                    "nom, prénom et adresse électronique, le nom du produit et celui de "
                    "votre organisme.",
                    code="password_has_context",
                )

    def get_help_text(self) -> str:
        return (
            "Ni vos nom, prénom ou adresse électronique, ni le nom du produit ou de votre "
            "organisme."
        )
