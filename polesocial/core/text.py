"""Text normalisation for search and silent matching (accents and case ignored)."""

import re
import unicodedata

_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """'  Éloïse  DUPONT-Lefèvre ' -> 'eloise dupont lefevre'.

    SQLite has no `unaccent`, so searchable columns store this form and queries use it too.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NOT_LETTERS.sub(" ", ascii_text).strip()
