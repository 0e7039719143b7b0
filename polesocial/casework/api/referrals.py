"""Referrals: senders post one and get a receipt; the worker assesses it and records consent.

A sender (HR contact, physician, an integration token of an HR system) reaches `create`
and `sent` only, and reads receipts, never what became of the referral. The worker reads
the referrals assigned to her (or to the colleague she replaces).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from polesocial.casework.api.base import (
    ERRORS,
    NOT_FOUND,
    REFERRAL_SEND,
    WRITE_ERRORS,
    CaseworkViewSet,
    visible_or_404,
)
from polesocial.casework.enums import ReferralSource
from polesocial.casework.models import Referral
from polesocial.casework.serializers import (
    AssessmentInputSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    ReferralCreateSerializer,
    ReferralReceiptSerializer,
    ReferralSerializer,
)
from polesocial.casework.services import referrals
from polesocial.organisations.models import Employer
from polesocial.privacy.access import rows_for
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role

# The source of a referral sent by these roles, unless they say otherwise.
DEFAULT_SOURCE = {
    Role.EMPLOYER_CONTACT: ReferralSource.EMPLOYER_HR,
    Role.PHYSICIAN: ReferralSource.OCCUPATIONAL_HEALTH,
}
NOT_ASSESSED = (
    "Enregistrez d'abord l'évaluation téléphonique : l'identité de l'agent n'est pas confirmée."
)

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
    audit_actions = (AuditAction.REFERRAL_LIST, AuditAction.REFERRAL_READ)
    shows_replacement = True
    action_features = {"create": (REFERRAL_SEND,), "sent": (REFERRAL_SEND,)}
    integration_scope = "referrals.create"
    integration_actions = ("create",)

    def related(self, queryset):
        related = queryset.select_related("employer", "assigned_to", "first_assessment")
        return related.prefetch_related("consents")

    def subject_of(self, row):
        return row

    @extend_schema(
        summary="Envoyer une saisine",
        description=(
            "Pour un employeur que l'on peut saisir (le sien pour un·e correspondant·e RH ou "
            "un·e médecin, ceux des équipes qu'on encadre pour un·e conseiller·ère ; sinon "
            "404), désigné par son SIRET ou son id. La réponse est un accusé "
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
        # The employers the form offers (privacy.scopes Employer "referral"); others: 404.
        sendable = rows_for("referral", Employer, request.user)
        if "siret" in data:
            employer = visible_or_404(sendable, request.user, siret=data.pop("siret"))
        else:
            employer = visible_or_404(sendable, request.user, pk=data.pop("employer"))
        source = data.pop("source", None) or DEFAULT_SOURCE.get(request.user.role)
        if source is None:
            raise ValidationError({"source": ["Indiquez l'origine de la saisine."]})
        data["referrer_name"] = data.get("referrer_name") or request.user.full_name
        data["referrer_contact"] = data.get("referrer_contact") or request.user.email
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
        referrals.first_assessment_record(
            actor=request.user,
            referral=referral,
            employee=identity,
            **data,
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
        consent = referrals.consent_record(
            actor=request.user,
            employee=referral.employee,
            referral=referral,
            **serializer.validated_data,
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)
