from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from polesocial.api import services
from polesocial.api.base import DEFAULT_PERMISSIONS, ApiMixin, ApiView, ApiViewSet
from polesocial.api.models import ApiToken
from polesocial.api.permissions import SessionOnlyPermission
from polesocial.api.serializers import (
    ApiErrorSerializer,
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    MeSerializer,
)


class SchemaView(ApiMixin, SpectacularAPIView):
    """The OpenAPI document, for signed-in people and personal tokens, like the rest."""

    permission_classes = DEFAULT_PERMISSIONS


class NotFoundView(ApiView):
    """Any other path under /api/v1/: the API's French JSON 404, whatever the method.

    Without it an unknown path (`/api/v1/employers/abc/`: ids are numbers) fell to Django's
    404, an HTML page under DEBUG. Nothing to authenticate or permit for an absent page.
    """

    authentication_classes = ()
    permission_classes = ()
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        raise NotFound()


class MeView(ApiView):
    """The account behind the request (session or token)."""

    serializer_class = MeSerializer

    @extend_schema(
        responses=MeSerializer,
        summary="Mon compte",
        description="Le compte derrière la requête (session ou jeton).",
    )
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, ApiViewSet):
    """One's own API tokens: list, create (session + TOTP code), revoke."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()
    feature = "account"
    # The secret is shown once: a retry could not answer it again.
    idempotency_exempt_actions = ("create",)

    def get_permissions(self):
        if self.action == "create":
            return [permission() for permission in [*DEFAULT_PERMISSIONS, SessionOnlyPermission]]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ApiToken.objects.none()
        return ApiToken.objects.owned_by(self.request.user).select_related("user")

    @extend_schema(
        summary="Mes jetons d'API",
        description="Mes jetons, actifs, expirés ou révoqués ; jamais leur secret.",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Créer un jeton personnel",
        description=(
            "Session ouverte avec le second facteur uniquement (pas avec un jeton) ; "
            "le code TOTP actuel confirme la demande. Le jeton n'est renvoyé qu'une fois."
        ),
        request=ApiTokenCreateSerializer,
        responses={201: ApiTokenCreatedSerializer, 400: ApiErrorSerializer},
        auth=[{"session": []}],  # type: ignore[list-item] # stubs say str; dicts are right
    )
    def create(self, request):
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = services.api_token_create_personal(
            user=request.user,
            name=data["name"],
            days=data.get("days"),
            otp_code=data["otp_code"],
        )
        token.token = key
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Révoquer un de mes jetons",
        description="Le jeton cesse aussitôt de fonctionner ; un jeton d'autrui est introuvable.",
        responses={204: None, 404: ApiErrorSerializer},
    )
    def destroy(self, request, *args, **kwargs):
        services.api_token_revoke(actor=request.user, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
