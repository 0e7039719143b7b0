"""Unknown template variables fail the suite, in our own templates.

Django renders an unknown `{{ variable }}` as an empty string, so a renamed context key or a
typo silently blanks part of a page. In the tests, `string_if_invalid` is the object below:
when one of our templates (under polesocial/) shows, passes on (`{% include … with %}`,
`{% url %}` arguments, `{% blocktranslate %}`) or filters a variable that does not exist, it
raises `UnknownTemplateVariable` naming the variable and the template.

What stays lenient, as in production:
- `{% if variable %}`, `{% for … in variable %}` and `{% firstof %}`: Django resolves them
  without calling `string_if_invalid`, so an optional variable says so with `{% if %}`;
- a lookup whose object raises a "silent" error (a missing reverse one-to-one relation):
  Django puts `string_if_invalid` itself in its place, which renders "" and is false;
- third-party templates (django-dsfr): the object then behaves exactly as "".

Unknown variables are also recorded, so that one swallowed by code catching every exception
(a background task, say) still fails the test (see `tests/conftest.py`).
"""

import sys
from pathlib import Path

OUR_TEMPLATES = str(Path(__file__).resolve().parent.parent / "polesocial")

# Unknown variables met since the test began: "<variable> in <template>".
seen: list[str] = []


class UnknownTemplateVariable(Exception):
    pass


def _template_being_rendered(frame) -> str:
    """The file of the innermost template node on the stack ("" when there is none)."""
    from django.template.base import Node

    while frame is not None:
        node = frame.f_locals.get("self")
        if isinstance(node, Node):
            return getattr(node.origin, "name", "") or ""
        frame = frame.f_back
    return ""


class RaiseOnUnknownVariable(str):
    """`string_if_invalid` for the tests: its value is "" and it raises only when used."""

    def __bool__(self) -> bool:
        # Django's `FilterExpression.resolve` calls `string_if_invalid % name` only when the
        # object is true; everywhere else it must be as false as "" (`{% if a.b %}` with a
        # missing relation). Only our templates take the raising path.
        from django.template.base import FilterExpression

        caller = sys._getframe(1)
        if caller.f_code is not FilterExpression.resolve.__code__:
            return False
        return _template_being_rendered(caller).startswith(OUR_TEMPLATES)

    def __contains__(self, text: object) -> bool:
        return text == "%s"

    def __mod__(self, name: object) -> str:
        template = _template_being_rendered(sys._getframe(1))
        if not template.startswith(OUR_TEMPLATES):
            return ""
        where = f"{name} in {template.removeprefix(OUR_TEMPLATES + '/')}"
        seen.append(where)
        raise UnknownTemplateVariable(f"unknown template variable {where}")
