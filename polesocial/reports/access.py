"""Who may read which annual report, and whether the disclosure control applies.

- a social worker: her own report (internal: exact counts);
- a counsellor: the teams she leads (as counsellor or deputy, or today as the counsellor's
  interim) and their workers (internal), and the employers of those teams (always under
  disclosure control);
- an employer contact: the employers he is linked to (always under disclosure control);
- the national adviser: the operator's report (internal).
Any other scope answers 404, exactly as for an absent one.

The rows come from the scope table (privacy.scopes VIEW_SCOPES: Team "led", SocialWorker
and Employer "report"), so the index offers exactly what a report page opens.
"""

from __future__ import annotations

from django.http import Http404

from polesocial.privacy.access import rows_for
from polesocial.reports.queries import Scope, resolve_scope
from polesocial.users.enums import Role

# Whether a report of each kind is under disclosure control, and which purpose of the
# scope table says who reads it (the operator's has no row: see `allowed`).
CONTROLLED = {"worker": False, "team": False, "employer": True}
PURPOSES = {"worker": "report", "team": "led", "employer": "report"}


def _models() -> dict:
    from polesocial.organisations.models import Employer, SocialWorker, Team

    return {"worker": SocialWorker, "team": Team, "employer": Employer}


def _readable(user, kind: str):
    return rows_for(PURPOSES[kind], _models()[kind], user)


def allowed(user, kind: str, pk: int) -> bool | None:
    """None when `user` may not read this report; else whether it is controlled."""
    if kind == "operator":
        return False if getattr(user, "role", None) == Role.NATIONAL_ADVISER and pk == 0 else None
    if kind not in PURPOSES or not _readable(user, kind).filter(pk=pk).exists():
        return None
    return CONTROLLED[kind]


def report_scope(user, kind: str, pk: int) -> tuple[Scope, bool]:
    """(scope, controlled) or Http404."""
    controlled = allowed(user, kind, pk)
    if controlled is None:
        raise Http404
    return resolve_scope(kind, pk or None), controlled


def available_scopes(user) -> list[tuple[str, int, str]]:
    """(kind, pk, label) of the reports the user may open, for the index page."""
    role = getattr(user, "role", None)
    if role == Role.NATIONAL_ADVISER:
        return [("operator", 0, "Bilan de l'opérateur")]
    teams = _readable(user, "team").order_by("name")
    workers = _readable(user, "worker").select_related("user")
    employers = _readable(user, "employer").order_by("name")
    if role == Role.SOCIAL_WORKER:
        return [("worker", w.pk, "Mon bilan") for w in workers[:1]]
    if role == Role.EMPLOYER_CONTACT:
        return [("employer", e.pk, e.name) for e in employers]
    scopes = [("team", t.pk, f"Équipe {t.name}") for t in teams]
    scopes += [("worker", w.pk, f"ASS {w.user.full_name}") for w in workers]
    scopes += [("employer", e.pk, f"Employeur {e.name}") for e in employers]
    return scopes
