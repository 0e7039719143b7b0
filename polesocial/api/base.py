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
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
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
from polesocial.api.serializers import ApiErrorSerializer
from polesocial.core.versioning import VersionConflict, Versioned, etag, parse_if_match

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


# --- Optimistic concurrency: ETag / If-Match (core.versioning) ------------------------------

# The methods that change a record in place: they need `If-Match` with the record's ETag.
IN_PLACE = ("PATCH", "PUT")
IF_MATCH_REQUIRED = (
    "En-tête If-Match obligatoire : relisez la ressource et renvoyez son ETag dans If-Match."
)
IF_MATCH_STALE = (
    "La ressource a été modifiée par une autre personne depuis votre lecture : relisez-la, "
    "reportez vos changements et renvoyez-les avec le nouvel ETag dans If-Match."
)


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = IF_MATCH_REQUIRED
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = IF_MATCH_STALE
    default_code = "precondition_failed"


class VersionedSchema(AutoSchema):
    """Documents `If-Match` (required) and the 412/428 answers of PATCH/PUT, and the
    `ETag` of a record's answers."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in IN_PLACE:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="L'ETag de la ressource lue (GET) : sans lui 428, périmé 412.",
                )
            )
        if self._is_versioned_detail():
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    response=[200],
                    description="La version de la ressource, à renvoyer dans If-Match.",
                )
            )
        return parameters

    def _is_versioned_detail(self) -> bool:
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        versioned = isinstance(model, type) and issubclass(model, Versioned)
        return versioned and "{" in self.path and not self._is_list_view()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in IN_PLACE:
            for code in ("412", "428"):
                responses[code] = self._get_response_for_code(ApiErrorSerializer, code)
        return responses


class ApiViewSet(ApiMixin, IdempotentWritesMixin, GenericViewSet):
    """Rows come from `visible_by(user)` of the `queryset`'s model, never from the queryset
    itself: a viewset that forgets its access rule shows nothing rather than everything.
    Its POSTs take an `Idempotency-Key` (see `api.idempotency`).

    Optimistic concurrency for every editable (`Versioned`) record: one read answers its
    `ETag`; a PATCH or PUT needs `If-Match` (428 without), is refused 412 when the record
    changed since (here, or in the update service's `check_version` for two writes at the
    same moment), and answers the new `ETag`.
    """

    schema = VersionedSchema()
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

    def initial(self, request, *args, **kwargs):
        self.if_match: list[int | None] | None = None
        self.versioned: Versioned | None = None
        super().initial(request, *args, **kwargs)
        # (A method the viewset does not route answers 405 before any precondition.)
        if request.method in IN_PLACE and hasattr(self, request.method.lower()):
            header = request.headers.get("If-Match", "")
            if not header.strip():
                raise PreconditionRequired()
            self.if_match = parse_if_match(header)
            if self.if_match is None:
                raise PreconditionFailed()

    def get_object(self):
        row = super().get_object()
        if isinstance(row, Versioned):
            if self.if_match is not None and None not in self.if_match:
                if row.version not in self.if_match:
                    raise PreconditionFailed()
            self.versioned = row
        return row

    def handle_exception(self, exc):
        if isinstance(exc, VersionConflict):  # another write won the race in the service
            exc = PreconditionFailed()
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        row = getattr(self, "versioned", None)
        if row is not None and status.is_success(response.status_code):
            if request.method not in ("GET", "HEAD"):  # the version the write made
                saved = type(row)._base_manager.filter(pk=row.pk)
                row.version = saved.values_list("version", flat=True).first() or row.version
            response["ETag"] = etag(row)
        return response

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
