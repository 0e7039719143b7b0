from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import AuthenticationFailed

from polesocial.api.models import ApiToken, hash_key
from polesocial.api.services import api_token_record_use

INVALID_TOKEN = "Jeton invalide ou expiré."  # noqa: S105 - a message, not a secret


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
    """`Authorization: Bearer <token>`, personal or integration; request.auth is the ApiToken.

    No header: not this scheme (the session may still authenticate). A header with an
    unknown, expired or revoked token, or one of a deactivated account: 401, one message.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(INVALID_TOKEN)
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(INVALID_TOKEN) from error
        token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_key(key))
        token = token.first()
        if token is None:
            raise AuthenticationFailed(INVALID_TOKEN)
        api_token_record_use(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
