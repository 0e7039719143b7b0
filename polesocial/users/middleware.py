import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

SIGNED_IN_AT = "signed_in_at"


class SessionLifetimeMiddleware:
    """Ends a session 8 hours after sign-in, however active (idle expiry is the cookie's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT, 0)
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A session without a verified second factor is not a session: sign in again.

    Sign-in only calls `login()` after the TOTP step, so this guards every other way a
    session could come to exist (a bug, a future sign-in method).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            logout(request)
        return self.get_response(request)
