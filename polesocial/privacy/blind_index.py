"""Blind indexes: equality on a secret value without storing it, with a key of their own.

A blind index is a keyed HMAC-SHA256 of a normalised value. The database can compare two of
them (silent matching, whole-word name search) but learns nothing from one without the key:
never a plain or unkeyed hash, which anyone could recompute from a list of common names and
birth dates. The key, `settings.BLIND_INDEX_KEY`, is apart from the encryption keys and from
the audit journal's key.

Rotation: put the new key in BLIND_INDEX_KEY and the old one in BLIND_INDEX_PREVIOUS_KEY,
restart, run `manage.py rotate_blind_index --wet-run` (it recomputes every index with the
new key), then remove the previous key. In between, lookups try both keys, so matching and
search keep working while the rows are recomputed.

Each purpose ("match-key", "name-word") gives unrelated digests for the same text, so a
word's index never equals a person's. Keep these functions stable: the migrations that
build the indexes call them.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from polesocial.core.text import normalise

# A key shorter than this is refused by the deploy check (`manage.py check --deploy`).
MIN_KEY_LENGTH = 32


def _current_key() -> str:
    key = getattr(settings, "BLIND_INDEX_KEY", "")
    if not key:
        raise ImproperlyConfigured("BLIND_INDEX_KEY doit être défini.")
    return key


def _keys() -> list[str]:
    """The current key, then the previous one while a rotation is under way."""
    previous = getattr(settings, "BLIND_INDEX_PREVIOUS_KEY", "")
    current = _current_key()
    return [current, previous] if previous and previous != current else [current]


def _digest(key: str, purpose: str, text: str) -> str:
    message = purpose.encode("ascii") + b"\x00" + text.encode("utf-8")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def blind_index(text: str, *, purpose: str) -> str:
    """The index of `text` for `purpose` under the current key (64 hexadecimal digits)."""
    return _digest(_current_key(), purpose, text)


def blind_indexes(text: str, *, purpose: str) -> list[str]:
    """The indexes a stored row may hold for `text`: current key first, then the previous."""
    return [_digest(key, purpose, text) for key in _keys()]


WORD = "name-word"


def words(text: str) -> list[str]:
    """The distinct normalised words of `text`, in order ("Dupont-Lefèvre" gives two)."""
    return list(dict.fromkeys(normalise(text).split()))


def word_index(text: str) -> str:
    """One index per distinct word of `text`, space-separated with a space at each end, so
    that a whole word is found with `contains=f" {index} "` (see `word_lookups`)."""
    digests = sorted({blind_index(word, purpose=WORD) for word in words(text)})
    return f" {' '.join(digests)} " if digests else ""


def word_lookups(word: str) -> list[str]:
    """What `contains` looks for in a `word_index` column to find the (normalised) `word`."""
    return [f" {digest} " for digest in blind_indexes(word, purpose=WORD)]
