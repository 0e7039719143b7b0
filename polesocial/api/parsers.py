"""The API's JSON parser: DRF's, with the nesting of a body bounded.

Python's json module recurses once per level: a body of 100,000 opening brackets ended in a
RecursionError (a server error) instead of a refusal. No body of this API nests more than a
few levels, so a body nested deeper than MAX_DEPTH is refused in French, whether the parser
gives up on its depth or reads it whole.
"""

import codecs
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

MAX_DEPTH = 20
TOO_DEEP = f"Requête mal formée : le JSON s'imbrique sur plus de {MAX_DEPTH} niveaux."


# JSON strings (their brackets nest nothing), possessive: no backtracking.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_INNERMOST = re.compile(r"[\[{][\]}]")
_OPENINGS = re.compile(r"[\[{]{" + str(MAX_DEPTH + 1) + "}")


class FrenchParseError(ParseError):
    """A refusal of the parser whose message is ours, in French (DRF's are English)."""


def nests_deeper_than(text: str, limit: int) -> bool:
    """Whether the (valid) JSON `text` nests arrays and objects deeper than `limit`.

    Regular expressions rather than a loop in Python: a body of 2 MB takes milliseconds.
    Each round takes the innermost pairs away; what is left after `limit` rounds nests
    deeper.
    """
    if text.count("[") + text.count("{") <= limit:  # the usual body: nothing to count
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if _OPENINGS.search(brackets):
        return True
    for _ in range(limit):
        brackets = _INNERMOST.sub("", brackets)
        if not brackets:
            return False
    return True


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = codecs.getreader(get_encoding(parser_context or {}))(stream).read()
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError as error:
            raise FrenchParseError(TOO_DEEP) from error
        except ValueError as error:  # not JSON, or not text in that encoding
            raise ParseError(f"JSON parse error - {error}") from error
        if nests_deeper_than(text, MAX_DEPTH):
            raise FrenchParseError(TOO_DEEP)
        return data
