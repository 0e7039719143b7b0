"""Who may read which annual report, and whether the disclosure control applies.

- a social worker: her own report (internal: exact counts);
- a counsellor: the teams she leads (or deputises) and their workers (internal), and
  the employers of those teams (always under disclosure control);
- an employer contact: the employers he is linked to (always under disclosure control);
- the national adviser: the operator's report (internal).
Any other scope answers 404, exactly as for an absent one.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from polesocial.reports.queries import Scope, resolve_scope
from polesocial.users.enums import Role


def _led_teams(user):
    from polesocial.organisations.models import Team

    return Team.objects.filter(Q(counsellor=user) | Q(deputy=user))


def allowed(user, kind: str, pk: int) -> bool | None:
    """None when `user` may not read this report; else whether it is controlled."""
    from polesocial.organisations.models import Employer, SocialWorker

    role = getattr(user, "role", None)
    if kind == "operator":
        return False if role == Role.NATIONAL_ADVISER and pk == 0 else None
    if kind == "worker":
        if role == Role.SOCIAL_WORKER and SocialWorker.objects.filter(pk=pk, user=user).exists():
            return False
        if (
            role == Role.COUNSELLOR
            and SocialWorker.objects.filter(pk=pk, team__in=_led_teams(user)).exists()
        ):
            return False
        return None
    if kind == "team":
        return (
            False if role == Role.COUNSELLOR and _led_teams(user).filter(pk=pk).exists() else None
        )
    if kind == "employer":
        if role == Role.EMPLOYER_CONTACT and user.employers.filter(pk=pk).exists():
            return True
        if (
            role == Role.COUNSELLOR
            and Employer.objects.filter(pk=pk, team__in=_led_teams(user)).exists()
        ):
            return True
        return None
    return None


def report_scope(user, kind: str, pk: int) -> tuple[Scope, bool]:
    """(scope, controlled) or Http404."""
    controlled = allowed(user, kind, pk)
    if controlled is None:
        raise Http404
    return resolve_scope(kind, pk or None), controlled


def available_scopes(user) -> list[tuple[str, int, str]]:
    """(kind, pk, label) of the reports the user may open, for the index page."""
    from polesocial.organisations.models import Employer, SocialWorker

    role = getattr(user, "role", None)
    if role == Role.NATIONAL_ADVISER:
        return [("operator", 0, "Bilan de l'opérateur")]
    if role == Role.SOCIAL_WORKER:
        worker = SocialWorker.objects.filter(user=user).first()
        return [("worker", worker.pk, "Mon bilan")] if worker else []
    if role == Role.EMPLOYER_CONTACT:
        return [("employer", e.pk, e.name) for e in user.employers.order_by("name")]
    if role == Role.COUNSELLOR:
        teams = list(_led_teams(user).order_by("name"))
        scopes = [("team", t.pk, f"Équipe {t.name}") for t in teams]
        workers = SocialWorker.objects.filter(team__in=teams).select_related("user")
        scopes += [("worker", w.pk, f"ASS {w.user.full_name}") for w in workers]
        employers = Employer.objects.filter(team__in=teams).order_by("name")
        scopes += [("employer", e.pk, f"Employeur {e.name}") for e in employers]
        return scopes
    return []
