"""The casework API: referrals, employees, cases and what a case holds.

Who may do what. `privacy.features` decides whether a role may use an endpoint at all
(403, whatever the object: the answer tells nothing), then every row comes from
`visible_by(user)` (out of scope: 404 like absent, and lists hold only visible rows):

- `referrals/` POST is open to `referral_send` (HR contacts, physicians, social workers,
  counsellors), for an employer the sender sees (`Employer.objects.visible_by`: an HR
  contact or a physician his own employers only; another is 404), and to integration
  tokens granted `referrals.create` (an HR system), which act with their owner's rights
  and reach nothing else. Whoever sends gets a receipt, never more: number, date and
  "received" (no id to probe, no status beyond "received"). `referrals/sent/` lists the
  sender's own receipts (`receipts_visible_by`), in the same three fields.
- `referrals/` GET, `referrals/{id}/`, `assess/` and `consent/` need `casework` (social
  workers): the referrals assigned to her, or to the colleague she replaces today.
- `employees/`, `cases/`, `interviews/`, `plan-objectives/`, `plan-actions/`,
  `orientations/` need `casework` for every method: the worker in charge and her active
  replacement see the rows (scope table), every other worker an empty list or 404. Other
  roles get 403 on the whole endpoint, as on the screens (the counsellor reads caseloads
  as metadata on her own screens; HR contacts, physicians and the rest see nothing).

Every read of nominative data writes one journal entry per request (a list: the ids
shown; a detail: the object), with the case as subject where there is one and
`replacement=True` when the reader holds a row as replacement. Receipts are not journaled:
they hold no identity, only what the sender himself sent. Writes go through
`casework.services`, which journal them; a service ValidationError answers a French 400.

What a case holds is listed one case at a time (`?case=` is required), so that every read
lands in that case's history tab.

Silent matching. The first assessment confirms the employee's identity and the service
links it, silently, to a record that may already exist. The answer is the referral as the
worker reads it, never the employee record (whose other fields might come from a
colleague), and the employee appears only as an opaque reference
(`serializers.employee_reference`), never as its database id (an old id would tell the
worker the person was known). Every identity field that a case snapshots is required, so
that the same request is accepted or refused alike whether the person was known or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings

from polesocial.api.base import DEFAULT_PERMISSIONS, ApiViewSet
from polesocial.api.permissions import FeaturePermission
from polesocial.api.serializers import ApiErrorSerializer
from polesocial.casework import rules
from polesocial.casework.enums import ReferralSource
from polesocial.casework.models import (
    Case,
    Consent,
    Employee,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
    Referral,
)
from polesocial.casework.serializers import (
    AssessmentInputSerializer,
    CaseCloseSerializer,
    CaseFilterSerializer,
    CaseOpenSerializer,
    CaseRecordFilterSerializer,
    CaseReopenSerializer,
    CaseSerializer,
    CaseSummarySerializer,
    CaseUpdateSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    EmployeeFilterSerializer,
    EmployeeSerializer,
    InterviewCreateSerializer,
    InterviewSerializer,
    OrientationCreateSerializer,
    OrientationResultSerializer,
    OrientationSerializer,
    PlanActionCreateSerializer,
    PlanActionFilterSerializer,
    PlanActionSerializer,
    PlanItemStatusSerializer,
    PlanObjectiveCreateSerializer,
    PlanObjectiveSerializer,
    ReferralCreateSerializer,
    ReferralReceiptSerializer,
    ReferralSerializer,
    employee_pk,
    persons_recorded_by,
)
from polesocial.casework.services import cases, records, referrals
from polesocial.organisations.api import IntegrationActionPermission, service_errors
from polesocial.organisations.models import Employer, Replacement
from polesocial.privacy.audit import audit_log
from polesocial.privacy.features import can_use
from polesocial.users.enums import Role

CASEWORK = "casework"
REFERRAL_SEND = "referral_send"

ERRORS = {401: ApiErrorSerializer, 403: ApiErrorSerializer}
NOT_FOUND = {404: ApiErrorSerializer}
INVALID = {400: ApiErrorSerializer}
WRITE_ERRORS = {**INVALID, **ERRORS, **NOT_FOUND}

# The source of a referral sent by these roles, unless they say otherwise.
DEFAULT_SOURCE = {
    Role.EMPLOYER_CONTACT: ReferralSource.EMPLOYER_HR,
    Role.PHYSICIAN: ReferralSource.OCCUPATIONAL_HEALTH,
}
NOT_ASSESSED = (
    "Enregistrez d'abord l'évaluation téléphonique : l'identité de l'agent n'est pas confirmée."
)


class ActionFeaturePermission(BasePermission):
    """The role needs one of the features the view names for the action.

    Otherwise 403 on a collection, but 404 on a URL naming one object: a case, an interview
    or an employee out of reach answers exactly like an absent one, whatever the role
    (issue 5: "404 for each" role trying a case by screen and by API).
    """

    message = FeaturePermission.message

    def has_permission(self, request, view) -> bool:
        if view.action is None:  # a method this view does not route: let it answer 405
            return True
        features = view.action_features.get(view.action, view.features)
        if any(can_use(request.user, feature) for feature in features):
            return True
        if view.lookup_url_kwarg or view.lookup_field in view.kwargs:
            raise Http404
        return False


def replaced_until(user) -> dict[int, dt.date]:
    """{absent worker id: last day} of the replacements `user` holds today."""
    rows = Replacement.objects.active_on(timezone.localdate()).filter(replacing__user=user)
    until: dict[int, dt.date] = {}
    for absent, ends_on in rows.values_list("absent_id", "ends_on"):
        until[absent] = max(ends_on, until.get(absent, ends_on))
    return until


class CaseworkViewSet(ApiViewSet):
    """Rows from `visible_by`, features per action, one journal entry per read."""

    permission_classes = [
        *DEFAULT_PERMISSIONS,
        # Before the role's features: an integration token hears that the token is the
        # reason, whatever its owner's role.
        IntegrationActionPermission,
        ActionFeaturePermission,
    ]
    lookup_value_converter = "int"
    features: ClassVar[tuple[str, ...]] = (CASEWORK,)
    action_features: ClassVar[dict[str, tuple[str, ...]]] = {}
    integration_actions: ClassVar[tuple[str, ...]] = ()
    filter_serializer_class: ClassVar[type | None] = None
    # Journal actions: "<audit_name>.list" and "<audit_name>.read".
    audit_name: ClassVar[str] = ""
    # The serializer shows the end of a replacement (the screens' banner).
    shows_replacement: ClassVar[bool] = False

    def get_queryset(self):
        model = self.queryset.model
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return model.objects.none()
        return self.related(model.objects.visible_by(self.request.user))

    def related(self, queryset):
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.shows_replacement and not getattr(self, "swagger_fake_view", False):
            context["replaced_until"] = replaced_until(self.request.user)
        return context

    def params(self) -> dict:
        if self.filter_serializer_class is None:
            return {}
        params = self.filter_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.audit(page, many=True)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        row = self.get_object()
        self.audit([row], many=False)
        return Response(self.get_serializer(row).data)

    # --- The journal -----------------------------------------------------------------

    def case_of(self, row) -> Case:
        """The case a row belongs to (its journal subject and its worker in charge)."""
        return row.case

    def subject_of(self, row):
        return self.case_of(row)

    def read_as_replacement(self, rows) -> bool:
        return any(self.is_replacement(self.case_of(row)) for row in rows)

    def is_replacement(self, case: Case) -> bool:
        return case.worker.user_id != self.request.user.pk

    def audit(self, rows: Sequence, *, many: bool) -> None:
        """One entry per request: a list names every row shown, a detail its one row."""
        subjects = {self.subject_of(row) for row in rows}
        audit_log(
            actor=self.request.user,
            action=f"{self.audit_name}.{'list' if many else 'read'}",
            targets=rows if many else None,
            target=None if many else rows[0],
            subject=subjects.pop() if len(subjects) == 1 else None,
            replacement=self.read_as_replacement(rows),
        )


def visible_or_404(model, user, *, related: tuple[str, ...] = (), **lookup):
    """The object, if `user` may see it; absent or out of scope: 404 alike."""
    return get_object_or_404(model.objects.visible_by(user).select_related(*related), **lookup)


def _case_for_write(user, pk: int) -> Case:
    return visible_or_404(Case, user, related=("worker", "employee"), pk=pk)


# --- Referrals ----------------------------------------------------------------------------

RECEIPT = {201: ReferralReceiptSerializer, **WRITE_ERRORS}
REFERRAL = {200: ReferralSerializer, **WRITE_ERRORS}


@extend_schema_view(
    list=extend_schema(
        summary="Mes saisines",
        description="Les saisines attribuées à l'ASS (ou à la collègue qu'elle remplace).",
        responses={200: ReferralSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une saisine", responses={200: ReferralSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class ReferralViewSet(CaseworkViewSet):
    queryset = Referral.objects.none()
    serializer_class = ReferralSerializer
    audit_name = "referral"
    shows_replacement = True
    action_features = {"create": (REFERRAL_SEND,), "sent": (REFERRAL_SEND,)}
    integration_scope = "referrals.create"
    integration_actions = ("create",)

    def related(self, queryset):
        related = queryset.select_related("employer", "assigned_to", "first_assessment")
        return related.prefetch_related("consents")

    def subject_of(self, row):
        return row

    def read_as_replacement(self, rows) -> bool:
        return any(row.assigned_to.user_id != self.request.user.pk for row in rows)

    @extend_schema(
        summary="Envoyer une saisine",
        description=(
            "Pour un employeur que l'on voit (le sien pour un·e correspondant·e RH ou un·e "
            "médecin ; sinon 404), désigné par son SIRET ou son id. La réponse est un accusé "
            "de réception (numéro, date, « reçue ») et rien d'autre. Ouvert aux jetons "
            "d'intégration « referrals.create »."
        ),
        request=ReferralCreateSerializer,
        responses=RECEIPT,
    )
    def create(self, request):
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "siret" in data:
            employer = visible_or_404(Employer, request.user, siret=data.pop("siret"))
        else:
            employer = visible_or_404(Employer, request.user, pk=data.pop("employer"))
        source = data.pop("source", None) or DEFAULT_SOURCE.get(request.user.role)
        if source is None:
            raise ValidationError({"source": ["Indiquez l'origine de la saisine."]})
        data["referrer_name"] = data.get("referrer_name") or request.user.full_name
        data["referrer_contact"] = data.get("referrer_contact") or request.user.email
        with service_errors():
            referral = referrals.referral_create(
                actor=request.user, employer=employer, source=source, **data
            )
        return Response(ReferralReceiptSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mes saisines envoyées",
        description="Accusés de réception des saisines que l'on a envoyées : numéro, date, "
        "« reçue ». Jamais ce qu'il en est advenu.",
        responses={200: ReferralReceiptSerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def sent(self, request):
        receipts = Referral.objects.receipts_visible_by(request.user)
        page = self.paginate_queryset(receipts.order_by("-received_at", "-pk"))
        return self.get_paginated_response(ReferralReceiptSerializer(page, many=True).data)

    @extend_schema(
        summary="Enregistrer l'évaluation téléphonique",
        description=(
            "Confirme l'identité de l'agent, rapprochée sans bruit d'une fiche existante "
            "(mêmes nom, prénom et date de naissance) : la réponse est la même dans les deux "
            "cas — la saisine, l'agent n'y figurant que par une référence opaque."
        ),
        request=AssessmentInputSerializer,
        responses=REFERRAL,
    )
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        referral = self.get_object()
        serializer = AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        identity = dict(data.pop("employee"))
        employer = identity.pop("employer", None)
        identity["employer"] = (
            visible_or_404(Employer, request.user, pk=employer) if employer else referral.employer
        )
        with service_errors():
            referrals.first_assessment_record(
                actor=request.user, referral=referral, employee=identity, **data
            )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Enregistrer l'adhésion de l'agent",
        description="Après l'évaluation téléphonique ; son id sert à ouvrir le dossier.",
        request=ConsentInputSerializer,
        responses={201: ConsentSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        referral = self.get_object()
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if referral.employee_id is None:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [NOT_ASSESSED]})
        with service_errors():
            consent = referrals.consent_record(
                actor=request.user,
                employee=referral.employee,
                referral=referral,
                **serializer.validated_data,
            )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


# --- Employees ----------------------------------------------------------------------------

REFERENCE = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description="Référence de l'agent."
)


@extend_schema_view(
    list=extend_schema(
        summary="Agents",
        description="Les agents de ses dossiers et saisines (et de ceux de la collègue "
        "remplacée) ; `q` cherche dans le nom et le prénom, accents et casse ignorés.",
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
    audit_name = "employee"
    filter_serializer_class = EmployeeFilterSerializer
    lookup_value_converter = "str"

    def related(self, queryset):
        return queryset.select_related("employer")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["persons"] = persons_recorded_by(self.request.user)
        return context

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

    def read_as_replacement(self, rows) -> bool:
        """Shown through a replaced colleague's case or referral only, not one of her own."""
        user, pks = self.request.user, [row.pk for row in rows]
        own = set(
            Case.objects.visible_by(user)
            .filter(employee__in=pks, worker__user=user)
            .values_list("employee", flat=True)
        )
        own |= set(
            Referral.objects.visible_by(user)
            .filter(employee__in=pks, assigned_to__user=user)
            .values_list("employee", flat=True)
        )
        return any(pk not in own for pk in pks)


# --- Cases --------------------------------------------------------------------------------

CASE = {200: CaseSerializer, **WRITE_ERRORS}


@extend_schema_view(
    list=extend_schema(
        summary="Mes dossiers",
        description="Les dossiers dont l'ASS a la charge, et ceux de la collègue qu'elle "
        "remplace pendant le remplacement (`replacement_until`).",
        parameters=[CaseFilterSerializer],
        responses={200: CaseSummarySerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Un dossier", responses={200: CaseSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class CaseViewSet(CaseworkViewSet):
    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    audit_name = "case"
    shows_replacement = True
    filter_serializer_class = CaseFilterSerializer

    def get_serializer_class(self):
        return CaseSummarySerializer if self.action == "list" else CaseSerializer

    def related(self, queryset):
        related = queryset.select_related("employee", "worker__user", "consent")
        return related.prefetch_related("domains", "closures")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.params()
        if "status" in params:
            queryset = queryset.filter(status=params["status"])
        if "employee" in params:
            employees = Employee.objects.visible_by(self.request.user)
            queryset = queryset.filter(employee=employee_pk(employees, params["employee"]))
        return queryset

    def case_of(self, row):
        return row

    def _fresh(self, case: Case) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(
        summary="Ouvrir un dossier",
        description=(
            "Avec l'adhésion active de l'agent (son id) : sans elle, 400 et la raison. Le "
            "dossier revient à l'ASS de la saisine, ou à soi."
        ),
        request=CaseOpenSerializer,
        responses={201: CaseSerializer, **INVALID, **ERRORS},
    )
    def create(self, request):
        serializer = CaseOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consent = Consent.objects.visible_by(request.user).filter(pk=data["consent"])
        consent = consent.select_related("employee", "referral__assigned_to").first()
        with service_errors():
            if consent is None:  # absent or out of scope: no consent, the same 400
                rules.check_consent(None)
            case = cases.case_open(
                actor=request.user,
                employee=consent.employee,
                consent=consent,
                domains=data["domains"],
                opened_on=data.get("opened_on") or timezone.localdate(),
                assessment=data["assessment"],
                referral=consent.referral,
                worker=self._worker_of_referral(consent.referral),
            )
        response = self._fresh(case)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _worker_of_referral(self, referral: Referral | None):
        """The referral's worker when the caller handles that referral (or replaces her);
        otherwise None: the case goes to the caller (the service's default)."""
        if referral is None:
            return None
        if not Referral.objects.visible_by(self.request.user).filter(pk=referral.pk).exists():
            return None
        return referral.assigned_to

    @extend_schema(
        summary="Modifier les domaines ou le diagnostic",
        request=CaseUpdateSerializer,
        responses=CASE,
    )
    def partial_update(self, request, pk=None):
        case = self.get_object()
        serializer = CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            cases.case_update(
                actor=request.user,
                case=case,
                domains=data.get("domains", case.domain_codes),
                assessment=data.get("assessment", case.assessment),
                replacement=self.is_replacement(case),
            )
        return self._fresh(case)

    @extend_schema(
        summary="Clore un dossier",
        description="Possible même après retrait de l'adhésion ; jamais avant l'ouverture.",
        request=CaseCloseSerializer,
        responses=CASE,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        serializer = CaseCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            cases.case_close(
                actor=request.user,
                case=case,
                replacement=self.is_replacement(case),
                **serializer.validated_data,
            )
        return self._fresh(case)

    @extend_schema(
        summary="Rouvrir un dossier",
        description="Un dossier clos, avec une adhésion toujours active.",
        request=CaseReopenSerializer,
        responses=CASE,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case = self.get_object()
        serializer = CaseReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reopened_on = serializer.validated_data.get("reopened_on") or timezone.localdate()
        with service_errors():
            cases.case_reopen(
                actor=request.user,
                case=case,
                reopened_on=reopened_on,
                replacement=self.is_replacement(case),
            )
        return self._fresh(case)


# --- What a case holds --------------------------------------------------------------------


class CaseRecordViewSet(CaseworkViewSet):
    """Interviews, plan items and orientations: listed one case at a time."""

    filter_serializer_class = CaseRecordFilterSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return queryset.filter(case_id=self.params()["case"])


def _record_views(name: str, plural: str, serializer):
    return extend_schema_view(
        list=extend_schema(
            summary=plural,
            description="Ceux d'un dossier (`case`, obligatoire) dont on a la charge.",
            parameters=[CaseRecordFilterSerializer],
            responses={200: serializer(many=True), **INVALID, **ERRORS},
        ),
        retrieve=extend_schema(summary=name, responses={200: serializer, **ERRORS, **NOT_FOUND}),
    )


@_record_views("Un entretien", "Entretiens", InterviewSerializer)
class InterviewViewSet(CaseRecordViewSet):
    queryset = Interview.objects.none()
    serializer_class = InterviewSerializer
    audit_name = "interview"

    def related(self, queryset):
        return queryset.select_related("case__worker", "author")

    @extend_schema(
        summary="Enregistrer un entretien",
        description=(
            "Jamais dans le futur, 8 heures au plus, et avec l'adhésion active de l'agent : "
            "sinon 400 et la raison. La note personnelle n'est lisible que par son auteur·e."
        ),
        request=InterviewCreateSerializer,
        responses={201: InterviewSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = InterviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = _case_for_write(request.user, data.pop("case"))
        if "employer" in data:
            data["employer"] = visible_or_404(Employer, request.user, pk=data["employer"])
        with service_errors():
            interview = records.interview_record(
                actor=request.user, case=case, replacement=self.is_replacement(case), **data
            )
        body = self.get_serializer(self.get_queryset().get(pk=interview.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


@_record_views("Un objectif du plan", "Objectifs du plan", PlanObjectiveSerializer)
class PlanObjectiveViewSet(CaseRecordViewSet):
    queryset = PlanObjective.objects.none()
    serializer_class = PlanObjectiveSerializer
    audit_name = "plan_objective"

    def related(self, queryset):
        return queryset.select_related("case__worker")

    @extend_schema(
        summary="Ajouter un objectif au plan",
        request=PlanObjectiveCreateSerializer,
        responses={201: PlanObjectiveSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = PlanObjectiveCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = _case_for_write(request.user, serializer.validated_data["case"])
        with service_errors():
            objective = records.objective_add(
                actor=request.user,
                case=case,
                title=serializer.validated_data["title"],
                replacement=self.is_replacement(case),
            )
        return Response(self.get_serializer(objective).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Changer l'état d'un objectif",
        request=PlanItemStatusSerializer,
        responses={200: PlanObjectiveSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        return _set_status(self, request)


@extend_schema_view(
    list=extend_schema(
        summary="Actions du plan",
        description="Celles d'un dossier (`case`, obligatoire), d'un objectif au besoin.",
        parameters=[PlanActionFilterSerializer],
        responses={200: PlanActionSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une action du plan",
        responses={200: PlanActionSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class PlanActionViewSet(CaseRecordViewSet):
    queryset = PlanAction.objects.none()
    serializer_class = PlanActionSerializer
    audit_name = "plan_action"
    filter_serializer_class = PlanActionFilterSerializer

    def related(self, queryset):
        return queryset.select_related("objective__case__worker")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.params()
        queryset = queryset.filter(objective__case_id=params["case"])
        if "objective" in params:
            queryset = queryset.filter(objective_id=params["objective"])
        return queryset

    def case_of(self, row):
        return row.objective.case

    @extend_schema(
        summary="Ajouter une action à un objectif",
        request=PlanActionCreateSerializer,
        responses={201: PlanActionSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = PlanActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        objective = visible_or_404(
            PlanObjective, request.user, related=("case__worker",), pk=data.pop("objective")
        )
        with service_errors():
            plan_action = records.action_add(
                actor=request.user,
                objective=objective,
                replacement=self.is_replacement(objective.case),
                **data,
            )
        return Response(self.get_serializer(plan_action).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Changer l'état d'une action",
        request=PlanItemStatusSerializer,
        responses={200: PlanActionSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        return _set_status(self, request)


def _set_status(view: CaseRecordViewSet, request) -> Response:
    item = view.get_object()
    serializer = PlanItemStatusSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    with service_errors():
        records.plan_item_set_status(
            actor=request.user,
            item=item,
            status=serializer.validated_data["status"],
            replacement=view.is_replacement(view.case_of(item)),
        )
    return Response(view.get_serializer(item).data)


@_record_views("Une orientation", "Orientations", OrientationSerializer)
class OrientationViewSet(CaseRecordViewSet):
    queryset = Orientation.objects.none()
    serializer_class = OrientationSerializer
    audit_name = "orientation"

    def related(self, queryset):
        return queryset.select_related("case__worker", "partner")

    @extend_schema(
        summary="Orienter vers un partenaire",
        request=OrientationCreateSerializer,
        responses={201: OrientationSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        serializer = OrientationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = _case_for_write(request.user, data.pop("case"))
        with service_errors():
            orientation = records.orientation_record(
                actor=request.user, case=case, replacement=self.is_replacement(case), **data
            )
        return Response(self.get_serializer(orientation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Noter le résultat d'une orientation",
        request=OrientationResultSerializer,
        responses={200: OrientationSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        orientation = self.get_object()
        serializer = OrientationResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            records.orientation_set_result(
                actor=request.user,
                orientation=orientation,
                result=serializer.validated_data["result"],
                replacement=self.is_replacement(orientation.case),
            )
        return Response(self.get_serializer(orientation).data)
