from rest_framework.authentication import BaseAuthentication, SessionAuthentication


class SecondFactorSessionAuthentication(SessionAuthentication):
    """Session authentication for people signed in with their second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if not request._request.user.is_verified():
            return None
        return user, auth


class TokenAuthentication(BaseAuthentication):
    """Bearer tokens (personal or integration). Provisional: tokens come with the API base."""

    keyword = "Bearer"

    def authenticate(self, request):
        return None

    def authenticate_header(self, request):
        return self.keyword
