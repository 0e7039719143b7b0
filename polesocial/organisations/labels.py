"""The operator's labels for the product's fixed codes, read wherever a label is shown.

Five reference lists may be relabelled (support domains, interview places, referral
sources, closure reasons, collective-action kinds): `label(list, code)` gives the
operator's label when there is one, the product's otherwise; `choices(list)` the same for
a form. The overrides are read once per request, whatever the number of labels shown.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db import models

from polesocial.casework.enums import ClosureReason, Domain, InterviewPlace, ReferralSource
from polesocial.collective.enums import ActionKind

# list key -> (French name, the product's codes). The keys are stored: never rename them.
LISTS: dict[str, tuple[str, type[models.TextChoices]]] = {
    "domain": ("Domaines d'accompagnement", Domain),
    "interview_place": ("Lieux d'entretien", InterviewPlace),
    "referral_source": ("Origines des saisines", ReferralSource),
    "closure_reason": ("Motifs de clôture", ClosureReason),
    "collective_action_kind": ("Natures d'action collective", ActionKind),
}

# Within a request: {"rows": the overrides, or None until first read}. Outside: None, and
# every read asks the database (a job may run for long; a stale label would stay).
_request_cache: ContextVar[dict | None] = ContextVar("label_overrides", default=None)


def overrides() -> dict[tuple[str, str], str]:
    """{(list, code): the operator's label}, read at most once per request."""
    from polesocial.organisations.models import LabelOverride

    scope = _request_cache.get()
    if scope is not None and scope["rows"] is not None:
        return scope["rows"]
    rows = LabelOverride.objects.values_list("code_list", "code", "label")
    loaded = {(code_list, code): text for code_list, code, text in rows}
    if scope is not None:
        scope["rows"] = loaded
    return loaded


def request_begins(**_kwargs) -> None:
    _request_cache.set({"rows": None})


def request_ends(**_kwargs) -> None:
    _request_cache.set(None)


def forget() -> None:
    """After a change: read the overrides again at next use, within this request too."""
    scope = _request_cache.get()
    if scope is not None:
        scope["rows"] = None


def label(code_list: str, code: str | None) -> str:
    """The label shown for `code` of `code_list`: the operator's, else the product's; the
    code itself for one the product no longer has, "" for none."""
    if not code:
        return ""
    own = overrides().get((code_list, code))
    if own:
        return own
    enum = LISTS[code_list][1]
    return enum(code).label if code in enum.values else code


def choices(code_list: str) -> list[tuple[str, str]]:
    """The choices of a form field over `code_list`, with the operator's labels."""
    return [(code, label(code_list, code)) for code in LISTS[code_list][1].values]
