"""The organisations API: employers, headcounts, conventions, teams and FTE shares.

Who may do what. `privacy.features` decides whether a role may use an area at all (403),
then every row comes from `visible_by(user)`, whose table in `privacy.scopes` decides
which rows (out of scope: 404, like absent):

- employers, conventions, headcounts are read by the `organisations_read` roles and by
  employer contacts (`my_employer`); the scope table gives a contact his own employer(s)
  and their conventions and headcounts, nothing else. Physicians are linked to employers
  in that table too, but no feature opens the register to them (as on the screens): 403.
- employers and conventions are written by `organisations_manage`.
- headcounts are posted by `organisations_manage` and by employer contacts, for their own
  employers only (visible_by: another employer is 404). An integration token granted
  `headcounts.create` (an HR system) may post headcounts, nothing else; it acts with its
  owner's rights, so a billing officer's token reaches every employer, an HR contact's his
  own.
- teams and FTE shares are read by `organisations_read`; FTE shares are written by
  `teams_manage`. Teams are read-only here: `organisations.services` has no team service.

Writes go through `organisations.services`; a service ValidationError answers 400.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from polesocial.api.base import ReadWriteViewSet
from polesocial.api.serializers import ERRORS, INVALID, NOT_FOUND
from polesocial.organisations import services
from polesocial.organisations.models import (
    Convention,
    Employer,
    FteShare,
    Headcount,
    Operator,
    SocialWorker,
    Team,
)
from polesocial.organisations.serializers import (
    HEADCOUNT_FIGURES,
    ConventionAmendInputSerializer,
    ConventionAmendmentSerializer,
    ConventionCreateSerializer,
    ConventionFilterSerializer,
    ConventionSerializer,
    ConventionSignSerializer,
    ConventionTerminateSerializer,
    EmployerFilterSerializer,
    EmployerSerializer,
    FteShareFilterSerializer,
    FteShareInputSerializer,
    FteShareSerializer,
    FteShareWrittenSerializer,
    HeadcountFilterSerializer,
    HeadcountInputSerializer,
    HeadcountSerializer,
    TeamSerializer,
)
from polesocial.privacy.access import visible_or_404

READ = "organisations_read"
MANAGE = "organisations_manage"
MY_EMPLOYER = "my_employer"
TEAMS = "teams_manage"


def _created_or_replaced(existed: bool) -> int:
    return status.HTTP_200_OK if existed else status.HTTP_201_CREATED


@extend_schema_view(
    list=extend_schema(
        summary="Employeurs",
        description="Les employeurs visibles : tous pour le pôle, ceux de son équipe pour "
        "une ASS, le sien pour un·e correspondant·e RH.",
        parameters=[EmployerFilterSerializer],
        responses={200: EmployerSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Un employeur", responses={200: EmployerSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = Employer.objects.none()
    serializer_class = EmployerSerializer
    read_features = (READ, MY_EMPLOYER)
    write_features = (MANAGE,)
    filter_serializer_class = EmployerFilterSerializer
    filters = {"kind": "kind", "team": "team_id"}

    @extend_schema(
        summary="Créer un employeur",
        request=EmployerSerializer,
        responses={201: EmployerSerializer, **INVALID, **ERRORS},
    )
    def create(self, request):
        serializer = EmployerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # One operator per installation (as on the screens).
        operator = Operator.objects.order_by("pk").first()
        if operator is None:
            raise ValidationError(services.NO_OPERATOR)
        employer = services.employer_create(
            actor=request.user, operator=operator, **serializer.validated_data
        )
        return Response(EmployerSerializer(employer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier un employeur",
        request=EmployerSerializer,
        responses={200: EmployerSerializer, **INVALID, **ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        employer = self.get_object()
        serializer = EmployerSerializer(employer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.employer_update(actor=request.user, employer=employer, **serializer.validated_data)
        return Response(EmployerSerializer(employer).data)


@extend_schema_view(
    list=extend_schema(
        summary="Effectifs",
        parameters=[HeadcountFilterSerializer],
        responses={200: HeadcountSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Un effectif", responses={200: HeadcountSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class HeadcountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = Headcount.objects.none()
    serializer_class = HeadcountSerializer
    read_features = (READ, MY_EMPLOYER)
    write_features = (MANAGE, MY_EMPLOYER)
    integration_scope = "headcounts.create"
    integration_actions = ("create",)
    filter_serializer_class = HeadcountFilterSerializer
    filters = {"employer": "employer_id", "year": "year"}

    @extend_schema(
        summary="Enregistrer l'effectif d'une année",
        description=(
            "L'employeur est désigné par son SIRET ou son id. L'effectif de l'année est "
            "remplacé en entier s'il existait (200), créé sinon (201) ; une répartition "
            "absente est enregistrée comme inconnue. Ouvert aux jetons d'intégration "
            "« headcounts.create » ; un employeur hors de portée est introuvable (404)."
        ),
        request=HeadcountInputSerializer,
        responses={
            201: HeadcountSerializer,
            200: HeadcountSerializer,
            **INVALID,
            **ERRORS,
            **NOT_FOUND,
        },
    )
    def create(self, request):
        serializer = HeadcountInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "siret" in data:
            employer = visible_or_404(Employer, request.user, siret=data["siret"])
        else:
            employer = visible_or_404(Employer, request.user, pk=data["employer"])
        year = data["year"]
        figures = {name: data.get(name) for name in HEADCOUNT_FIGURES}
        existed = Headcount.objects.filter(employer=employer, year=year).exists()
        headcount = services.headcount_set(
            actor=request.user, employer=employer, year=year, **figures
        )
        return Response(HeadcountSerializer(headcount).data, status=_created_or_replaced(existed))


CONVENTION = {200: ConventionSerializer, **INVALID, **ERRORS, **NOT_FOUND}


@extend_schema_view(
    list=extend_schema(
        summary="Conventions",
        parameters=[ConventionFilterSerializer],
        responses={200: ConventionSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une convention", responses={200: ConventionSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class ConventionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = Convention.objects.none()
    serializer_class = ConventionSerializer
    read_features = (READ, MY_EMPLOYER)
    write_features = (MANAGE,)
    filter_serializer_class = ConventionFilterSerializer
    filters = {"status": "status", "employer": "employer_id"}

    @extend_schema(
        summary="Créer une convention (brouillon)",
        request=ConventionCreateSerializer,
        responses={201: ConventionSerializer, **INVALID, **ERRORS, **NOT_FOUND},
    )
    def create(self, request):
        serializer = ConventionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        employer = visible_or_404(Employer, request.user, pk=fields.pop("employer"))
        convention = services.convention_create(actor=request.user, employer=employer, **fields)
        return Response(ConventionSerializer(convention).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une convention",
        description="Le statut change par les actions signer, activer, résilier.",
        request=ConventionSerializer,
        responses=CONVENTION,
    )
    def partial_update(self, request, pk=None):
        convention = self.get_object()
        serializer = ConventionSerializer(convention, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.convention_update(
            actor=request.user, convention=convention, **serializer.validated_data
        )
        return Response(ConventionSerializer(convention).data)

    @extend_schema(
        summary="Signer une convention",
        description="Brouillon → signée. Le document signé se dépose sur l'interface.",
        request=ConventionSignSerializer,
        responses=CONVENTION,
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        convention = self.get_object()
        serializer = ConventionSignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        convention = services.convention_sign(
            actor=request.user, convention=convention, **serializer.validated_data
        )
        return Response(ConventionSerializer(convention).data)

    @extend_schema(
        summary="Mettre une convention en vigueur",
        description="Signée → en vigueur.",
        request=None,
        responses=CONVENTION,
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        convention = self.get_object()
        convention = services.convention_activate(actor=request.user, convention=convention)
        return Response(ConventionSerializer(convention).data)

    @extend_schema(
        summary="Résilier une convention",
        description="Signée ou en vigueur → résiliée, à une date qui ne précède pas le début.",
        request=ConventionTerminateSerializer,
        responses=CONVENTION,
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        convention = self.get_object()
        serializer = ConventionTerminateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        convention = services.convention_terminate(
            actor=request.user, convention=convention, **serializer.validated_data
        )
        return Response(ConventionSerializer(convention).data)

    @extend_schema(
        summary="Avenants d'une convention",
        description="Les avenants, par numéro : l'historique des tarifs.",
        responses={200: ConventionAmendmentSerializer(many=True), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def amendments(self, request, pk=None):
        convention = self.get_object()
        page = self.paginate_queryset(convention.amendments.order_by("number"))
        return self.get_paginated_response(ConventionAmendmentSerializer(page, many=True).data)

    @extend_schema(
        summary="Enregistrer un avenant",
        description=(
            "Nouveaux tarifs à compter de `effective_from`, sur une convention signée ou en "
            "vigueur ; refusé (400) hors de la convention ou avant la fin d'une période "
            "déjà facturée. L'avenant signé se dépose sur l'interface."
        ),
        request=ConventionAmendInputSerializer,
        responses={201: ConventionAmendmentSerializer, **INVALID, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        convention = self.get_object()
        serializer = ConventionAmendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        amendment = services.convention_amend(
            actor=request.user, convention=convention, **serializer.validated_data
        )
        return Response(
            ConventionAmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    list=extend_schema(summary="Équipes", responses={200: TeamSerializer(many=True), **ERRORS}),
    retrieve=extend_schema(
        summary="Une équipe", responses={200: TeamSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = Team.objects.none()
    serializer_class = TeamSerializer
    read_features = (READ,)

    def get_queryset(self):
        # Team has no visible_by: it holds no data about employees, only the team's name
        # and its counsellors, which the employer screens show to the same roles.
        return Team.objects.select_related("counsellor", "deputy")


@extend_schema_view(
    list=extend_schema(
        summary="Quotes-parts d'ETP",
        description="Toutes pour le pôle et la facturation, les siennes pour une ASS.",
        parameters=[FteShareFilterSerializer],
        responses={200: FteShareSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une quote-part d'ETP",
        responses={200: FteShareSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class FteShareViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadWriteViewSet):
    queryset = FteShare.objects.none()
    serializer_class = FteShareSerializer
    read_features = (READ,)
    write_features = (TEAMS,)
    filter_serializer_class = FteShareFilterSerializer
    filters = {"year": "year", "worker": "worker_id", "employer": "employer_id"}

    def related(self, queryset):
        return queryset.select_related("worker__user")

    @extend_schema(
        summary="Fixer une quote-part d'ETP",
        description=(
            "Crée (201) ou remplace (200) la part de l'ASS chez l'employeur pour l'année ; "
            "`warning` signale un total de l'ASS au-delà de 0,8."
        ),
        request=FteShareInputSerializer,
        responses={
            201: FteShareWrittenSerializer,
            200: FteShareWrittenSerializer,
            **INVALID,
            **ERRORS,
            **NOT_FOUND,
        },
    )
    def create(self, request):
        serializer = FteShareInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        worker = visible_or_404(SocialWorker, request.user, pk=data["worker"])
        employer = visible_or_404(Employer, request.user, pk=data["employer"])
        existed = FteShare.objects.filter(worker=worker, employer=employer, year=data["year"])
        existed = existed.exists()
        fte_share, warning = services.fte_share_set(
            actor=request.user,
            worker=worker,
            employer=employer,
            year=data["year"],
            share=data["share"],
        )
        fte_share.warning = warning
        body = FteShareWrittenSerializer(fte_share).data
        return Response(body, status=_created_or_replaced(existed))
