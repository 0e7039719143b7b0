"""The name check: does a text meant for readers outside the social service name a person?

Collective texts (alerts, meeting minutes, action reports) and the analysis written beside
an annual report are read by employers or service heads: before they are saved, they are
checked for the first and last names of the employees the writer follows, accents and case
ignored. A match is shown as one warning that names nothing; the writer rephrases or
confirms. Only the writer's own people are looked for: a yes or no about anyone else would
tell her that a colleague knows the person she named (silent matching).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from polesocial.core.text import normalise

# Shown beside the text when it holds the name of a known employee. It names nothing and
# counts nothing: the worker learns only that the text must be rephrased or confirmed.
NAME_WARNING = (
    "Ce texte semble contenir le prénom et le nom d'un agent. Une alerte, un compte rendu "
    "ou un bilan lu par l'employeur ne doit désigner personne : reformulez-le, ou cochez "
    "la case de confirmation si aucun agent n'y est désigné."
)
NAMES_CONFIRMATION = "Je confirme que ce texte ne désigne aucun agent"
# The longest name we look for, in words ("marie claire de la fontaine" is 5).
MAX_NAME_WORDS = 8
K = TypeVar("K")


def employee_names(reader) -> frozenset[str]:
    """The normalised "first last" and "last first" of the employees `reader` follows.

    Her own cases and referrals (and those of the colleague she replaces today), through
    `visible_by`, whatever their employer: naming any of them in a text an employer reads
    is what the check stops. Never the employees she does not follow: the check's yes or
    no would tell her that a colleague knows the person she named (silent matching).
    """
    from polesocial.casework.models import Employee

    names: set[str] = set()
    rows = Employee.objects.visible_by(reader).values_list("first_name", "last_name")
    for first, last in rows.iterator(chunk_size=2000):
        first, last = normalise(first), normalise(last)
        if first and last:
            names.add(f"{first} {last}")
            names.add(f"{last} {first}")
    return frozenset(names)


def mentions_a_name(texts: Iterable[str], names: frozenset[str]) -> bool:
    """True when a text holds one of `names` as whole words, accents and case ignored.

    Every run of 2 to MAX_NAME_WORDS consecutive words of the normalised text is looked up
    in the set: "Martine Dupont" does not match "Martin Dupont".
    """
    if not names:
        return False
    for text in texts:
        words = normalise(text).split()
        for start in range(len(words)):
            for end in range(start + 2, min(start + MAX_NAME_WORDS, len(words)) + 1):
                if " ".join(words[start:end]) in names:
                    return True
    return False


def names_found(*, reader, texts: Iterable[str]) -> bool:
    """Does any of `texts` name an employee `reader` follows?"""
    return field_naming(reader=reader, texts=dict(enumerate(texts))) is not None


def field_naming(*, reader, texts: Mapping[K, str]) -> K | None:
    """The first of `texts` ({field: text}) that names an employee `reader` follows, or None."""
    filled = {key: text for key, text in texts.items() if text}
    if not filled:
        return None
    names = employee_names(reader)
    return next((key for key, text in filled.items() if mentions_a_name([text], names)), None)
