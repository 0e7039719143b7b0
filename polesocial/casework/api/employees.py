"""Employees: those of the worker's cases and referrals, named by an opaque reference.

Each one is shown as the reader recorded them (`casework.person`), never as the shared row
silent matching links colleagues to.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from polesocial.casework.api.base import ERRORS, INVALID, NOT_FOUND, CaseworkViewSet
from polesocial.casework.models import Employee
from polesocial.casework.models.employees import by_name
from polesocial.casework.serializers import (
    EmployeeFilterSerializer,
    EmployeeSerializer,
    employee_pk,
    persons_recorded_by,
)
from polesocial.privacy.enums import AuditAction

REFERENCE = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description="Référence de l'agent."
)


@extend_schema_view(
    list=extend_schema(
        summary="Agents",
        description="Les agents de ses dossiers et saisines (et de ceux de la collègue "
        "remplacée), triés par nom au sein de chaque page ; `q` cherche des mots entiers "
        "du nom et du prénom, accents et casse ignorés.",
        parameters=[EmployeeFilterSerializer],
        responses={200: EmployeeSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Un agent",
        parameters=[REFERENCE],
        responses={200: EmployeeSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class EmployeeViewSet(CaseworkViewSet):
    queryset = Employee.objects.none()
    serializer_class = EmployeeSerializer
    audit_actions = (AuditAction.EMPLOYEE_LIST, AuditAction.EMPLOYEE_READ)
    filter_serializer_class = EmployeeFilterSerializer
    lookup_value_converter = "str"

    def related(self, queryset):
        return queryset.select_related("employer")

    def get_serializer(self, *args, **kwargs):
        """With the reader's records of the employees shown, and of those alone."""
        if args and not getattr(self, "swagger_fake_view", False):
            rows = args[0] if kwargs.get("many") else [args[0]]
            persons = persons_recorded_by(self.request.user, employee_ids=[row.pk for row in rows])
            kwargs["context"] = {**self.get_serializer_context(), "persons": persons}
        return super().get_serializer(*args, **kwargs)

    def paginate_queryset(self, queryset):
        """A page chosen in an order that means nothing (names are encrypted, ids would
        date the record), then sorted by name once decrypted."""
        page = super().paginate_queryset(queryset)
        return None if page is None else by_name(page)

    def filter_queryset(self, queryset):
        text = self.params().get("q", "") if self.action == "list" else ""
        return queryset.search(text) if text.strip() else queryset

    def get_object(self):
        queryset = self.get_queryset()
        pk = employee_pk(queryset, self.kwargs["pk"])
        if pk is None:
            raise Http404
        return queryset.get(pk=pk)

    def subject_of(self, row):
        return row
