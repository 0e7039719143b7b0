"""The sign-in steps shared by the password-and-code views and the ProConnect return: the
account waiting for its second factor, and the end of a sign-in (session, journal, page)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from polesocial.users import services

# The account whose password (or ProConnect identity) is checked, until its second factor is.
PENDING_USER = "pending_user_id"


def safe_next(request) -> str | None:
    """The `next` page to open after sign-in, if it is one of ours (never another site)."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


def complete_sign_in(request, user, device, detail: dict | None = None):
    """The second factor is verified (`device`): open the session and go on."""
    request.session.pop(PENDING_USER, None)
    services.sign_in_complete(request=request, user=user, device=device, detail=detail)
    return redirect(safe_next(request) or "core:home")
