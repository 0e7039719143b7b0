"""The classes every API view of the project inherits.

They open the view to LoginRequiredMiddleware (the API answers 401 in JSON rather than
redirecting to the sign-in page; DRF authenticates) and set the default permissions:
authenticated, integration tokens limited to the view's `integration_scope`, and the
role's `feature` when the view names one. Rows still come from `visible_by(user)`.

Viewsets pick how roles are granted: `ReadWriteViewSet` by reads and writes (records that
name no one), `casework.api.base.CaseworkViewSet` by action (and it journals every read).
A service's refusal (django's ValidationError) is answered by `api.exceptions`: views call
services bare.
"""

from typing import ClassVar

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from polesocial.api.idempotency import IdempotentWritesMixin
from polesocial.api.permissions import (
    FeaturePermission,
    IntegrationActionPermission,
    IntegrationScopePermission,
    ReadWriteFeaturePermission,
)

DEFAULT_PERMISSIONS = [IsAuthenticated, IntegrationScopePermission, FeaturePermission]


class ApiMixin:
    permission_classes = DEFAULT_PERMISSIONS
    # The scope an integration token needs here (see api.enums.INTEGRATION_SCOPES);
    # None: integration tokens get 403.
    integration_scope: str | None = None
    # A privacy.features name, for areas some roles may not use at all.
    feature: str | None = None

    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)  # type: ignore[misc]
        # Errors answer JSON even where the view renders something else (the schema's
        # YAML, a future CSV export).
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class ApiView(ApiMixin, APIView):
    pass


class ApiViewSet(ApiMixin, IdempotentWritesMixin, GenericViewSet):
    """Rows come from `visible_by(user)` of the `queryset`'s model, never from the queryset
    itself: a viewset that forgets its access rule shows nothing rather than everything.
    Its POSTs take an `Idempotency-Key` (see `api.idempotency`)."""

    # The actions an integration token granted `integration_scope` reaches (others: 403).
    integration_actions: ClassVar[tuple[str, ...]] = ()
    # Validates the query parameters of a list (`params()`): a bad value is a French 400.
    filter_serializer_class: ClassVar[type | None] = None

    def get_queryset(self):
        model = self.queryset.model
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return model.objects.none()
        return self.related(model.objects.visible_by(self.request.user))

    def related(self, queryset):
        """Joins and prefetches for the serializer (the rows are already the visible ones)."""
        return queryset

    def params(self) -> dict:
        """The list's query parameters, validated by `filter_serializer_class`."""
        if self.filter_serializer_class is None:
            return {}
        params = self.filter_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data


class ReadWriteViewSet(ApiViewSet):
    """Roles granted by reads and writes, lists filtered by a table; reads not journaled.

    For records that name no one (organisations, collective work, billing): reads need one
    of `read_features`, writes one of `write_features`; an integration token reaches only
    `integration_actions`. A list is filtered by `filters` (query parameter -> lookup) on
    the parameters `filter_serializer_class` validated.
    """

    permission_classes = [
        *DEFAULT_PERMISSIONS,
        ReadWriteFeaturePermission,
        IntegrationActionPermission,
    ]
    lookup_value_converter = "int"
    read_features: ClassVar[tuple[str, ...]] = ()
    write_features: ClassVar[tuple[str, ...]] = ()
    filters: ClassVar[dict[str, str]] = {}

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return queryset.filter(**{self.filters[name]: v for name, v in self.params().items()})
