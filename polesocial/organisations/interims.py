"""The counsellor's interim in the journal: reads made through it are marked as such.

A counsellor in interim reaches a team's queue, caseloads and replacements only between
the interim's dates (`Team.objects.led_by`). The journal's `replacement` flag, which marks
a worker's access as a colleague's replacement, marks these reads too: the rule below is
registered with `privacy.audit` by OrganisationsConfig.ready, so the caller never says so.
"""

from __future__ import annotations

from django.db import models

from polesocial.users.enums import Role

# How each kind of file a counsellor reaches leads to its team.
TEAM_PATHS: dict[str, str] = {
    "casework.Case": "worker__team",
    "casework.Referral": "employer__team",
    "organisations.SocialWorker": "team",
    "organisations.Replacement": "absent__team",
    "organisations.FteShare": "worker__team",
    "billing.TimeEntry": "worker__team",
    "billing.FtePlanValidation": "worker__team",
}

_CACHE = "_interim_team_ids"


def interim_team_ids(user) -> set[int]:
    """The teams `user` leads today only as an interim; cached on the user object, which
    lives as long as the request (one query per request, none for other roles)."""
    from polesocial.organisations.models import Team

    if getattr(user, "role", None) != Role.COUNSELLOR:
        return set()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = set(Team.objects.in_interim_of(user).values_list("pk", flat=True))
        setattr(user, _CACHE, cached)
    return cached


def reads_in_interim(user, *files: models.Model) -> bool:
    """True when `user` reaches one of `files` through a counsellor's interim active today
    (not as the team's own counsellor or deputy)."""
    teams = interim_team_ids(user)
    if not teams:
        return False
    by_model: dict[type[models.Model], list] = {}
    for file in files:
        if file._meta.label in TEAM_PATHS:
            by_model.setdefault(type(file), []).append(file.pk)
    return any(
        model._base_manager.filter(
            pk__in=pks, **{f"{TEAM_PATHS[model._meta.label]}__in": teams}
        ).exists()
        for model, pks in by_model.items()
    )
