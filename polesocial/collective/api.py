"""The collective-work API: collective actions, body meetings, vigilance alerts.

Who may do what. `privacy.features` decides whether a role may use an endpoint at all
(403): reads need `collective_read` (social workers, counsellors, employer contacts), writes
`collective` (social workers). Every row comes from `visible_by(user)`, whose table in
`privacy.scopes` decides which: a worker her team's, the counsellor her teams', an employer
contact his employer's actions and meetings and the alerts addressed to him (out of scope:
404, like absent). A record is changed by the worker who recorded it, or the colleague
replacing her today (`collective.permissions.can_edit`; otherwise 403, the record being
visible). An employer contact reads his own employer's attendance only.

Writes go through `collective.services`: a ValidationError answers a French 400 by field.
The name check answers 400 beside the text, naming nothing, until `names_confirmed` is
true; each such refusal is journaled (as on the screens). Documents are on the screens only.
These records name no one: reads are not journaled, writes are (by the services).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from polesocial.api.base import ReadWriteViewSet
from polesocial.api.serializers import ERRORS, INVALID, NOT_FOUND
from polesocial.collective import permissions, rules, services
from polesocial.collective.models import Alert, BodyMeeting, CollectiveAction
from polesocial.collective.serializers import (
    AlertFilterSerializer,
    AlertInputSerializer,
    AlertSerializer,
    BodyMeetingFilterSerializer,
    BodyMeetingInputSerializer,
    BodyMeetingSerializer,
    CollectiveActionFilterSerializer,
    CollectiveActionInputSerializer,
    CollectiveActionSerializer,
)
from polesocial.directory.models import Partner
from polesocial.organisations.models import Employer
from polesocial.privacy.access import visible_or_404
from polesocial.users.enums import Role

READ = "collective_read"
WRITE = "collective"

WRITTEN = {**INVALID, **ERRORS, **NOT_FOUND}
NOT_EDITABLE = "Seul·e l'ASS qui l'a enregistré (ou qui la remplace) peut le modifier."
NO_WORKER = "Votre compte n'est rattaché à aucune équipe : demandez-le à votre conseiller·ère."


@contextmanager
def checked_write(actor, employers) -> Iterator[None]:
    """A refusal by the name check is journaled, then answers its 400 like any other."""
    try:
        yield
    except DjangoValidationError as error:
        if rules.NAME_WARNING in error.messages:
            services.name_warning_log(actor=actor, employers=employers())
        raise


class CollectiveViewSet(ReadWriteViewSet):
    read_features = (READ,)
    write_features = (WRITE,)

    def related(self, queryset):
        return queryset.with_related()

    def worker(self):
        worker = permissions.worker_of(self.request.user)
        if worker is None:
            raise PermissionDenied(NO_WORKER)
        return worker

    def editable(self):
        record = self.get_object()
        if not permissions.can_edit(self.request.user, record):
            raise PermissionDenied(NOT_EDITABLE)
        return record

    def employer(self, pk: int) -> Employer:
        return visible_or_404(Employer, self.request.user, pk=pk)


# --- Collective actions --------------------------------------------------------------------


def _partners(ids: list[int]) -> list[Partner]:
    partners = list(Partner.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {p.pk for p in partners})
    if missing:
        raise ValidationError({"partners": [f"Partenaire inconnu : n° {missing[0]}."]})
    return partners


@extend_schema_view(
    list=extend_schema(
        summary="Actions collectives",
        description="Celles de son équipe pour une ASS, de ses équipes pour un·e conseiller·ère, "
        "de son employeur pour un·e correspondant·e RH.",
        parameters=[CollectiveActionFilterSerializer],
        responses={200: CollectiveActionSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une action collective",
        responses={200: CollectiveActionSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class CollectiveActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CollectiveViewSet):
    queryset = CollectiveAction.objects.none()
    serializer_class = CollectiveActionSerializer
    filter_serializer_class = CollectiveActionFilterSerializer
    filters = {"employer": "employers", "kind": "kind", "theme": "theme", "year": "starts_on__year"}

    def get_serializer(self, *args, **kwargs):
        rows = args[0] if args else None
        if rows is not None:
            for action in rows if kwargs.get("many") else [rows]:
                self._shown(action)
        return super().get_serializer(*args, **kwargs)

    def _shown(self, action: CollectiveAction) -> None:
        """What the serializer shows of the employers (`shown_shares`, `hides_totals`)."""
        shares = shown = list(action.employer_shares.all())
        if self.request.user.role == Role.EMPLOYER_CONTACT:
            own = {e.pk for e in self.request.user.employers.all()}
            shown = [s for s in shares if s.employer_id in own]
        action.shown_shares = shown  # type: ignore[attr-defined]
        action.hides_totals = len(shown) < len(shares)  # type: ignore[attr-defined]

    def _write_arguments(self, data: dict) -> dict:
        data = dict(data)
        if "employers" in data:
            data["employers"] = [
                (self.employer(row["employer"]), row.get("attendance")) for row in data["employers"]
            ]
        if "partners" in data:
            data["partners"] = _partners(data["partners"])
        return data

    def _answer(self, action: CollectiveAction, code: int = status.HTTP_200_OK) -> Response:
        action = CollectiveAction.objects.with_related().get(pk=action.pk)
        return Response(self.get_serializer(action).data, status=code)

    @extend_schema(
        summary="Enregistrer une action collective",
        description="Pour les employeurs de son équipe. Avec un seul employeur, ses "
        "participants sont le total ; avec plusieurs, leurs participants s'additionnent. "
        "Aucun nombre ne dépasse l'effectif déclaré de l'année.",
        request=CollectiveActionInputSerializer,
        responses={201: CollectiveActionSerializer, **WRITTEN},
    )
    def create(self, request):
        worker = self.worker()
        serializer = CollectiveActionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = self._write_arguments(serializer.validated_data)
        employers = [employer for employer, _ in data["employers"]]
        with checked_write(request.user, lambda: employers):
            action = services.collective_action_create(actor=request.user, worker=worker, **data)
        return self._answer(action, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une action collective",
        description="Par l'ASS qui l'a enregistrée. `employers` et `partners`, s'ils sont "
        "donnés, remplacent les listes.",
        request=CollectiveActionInputSerializer,
        responses={200: CollectiveActionSerializer, **WRITTEN},
    )
    def partial_update(self, request, pk=None):
        action = self.editable()
        serializer = CollectiveActionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = self._write_arguments(serializer.validated_data)

        def employers():
            if "employers" in data:
                return [employer for employer, _ in data["employers"]]
            return list(action.employers.all())

        with checked_write(request.user, employers):
            services.collective_action_update(actor=request.user, action=action, **data)
        return self._answer(action)


# --- Body meetings -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Séances d'instances",
        description="Celles de son équipe pour une ASS, de ses équipes pour un·e conseiller·ère, "
        "de son employeur pour un·e correspondant·e RH.",
        parameters=[BodyMeetingFilterSerializer],
        responses={200: BodyMeetingSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une séance d'instance",
        responses={200: BodyMeetingSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class BodyMeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CollectiveViewSet):
    queryset = BodyMeeting.objects.none()
    serializer_class = BodyMeetingSerializer
    filter_serializer_class = BodyMeetingFilterSerializer
    filters = {"employer": "employer_id", "body": "body", "year": "held_on__year"}

    @extend_schema(
        summary="Enregistrer une séance d'instance",
        request=BodyMeetingInputSerializer,
        responses={201: BodyMeetingSerializer, **WRITTEN},
    )
    def create(self, request):
        worker = self.worker()
        serializer = BodyMeetingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["employer"] = self.employer(data["employer"])
        with checked_write(request.user, lambda: [data["employer"]]):
            meeting = services.body_meeting_create(actor=request.user, worker=worker, **data)
        return Response(BodyMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une séance d'instance",
        description="Par l'ASS qui l'a enregistrée.",
        request=BodyMeetingInputSerializer,
        responses={200: BodyMeetingSerializer, **WRITTEN},
    )
    def partial_update(self, request, pk=None):
        meeting = self.editable()
        serializer = BodyMeetingInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "employer" in data:
            data["employer"] = self.employer(data["employer"])
        employer = data.get("employer", meeting.employer)
        with checked_write(request.user, lambda: [employer]):
            meeting = services.body_meeting_update(actor=request.user, meeting=meeting, **data)
        return Response(BodyMeetingSerializer(meeting).data)


# --- Alerts --------------------------------------------------------------------------------


def _addressees(employer: Employer, ids: list[int]) -> list:
    """The accounts named, if every one is an HR contact of the employer (one message for
    an unknown account and another employer's, so that ids cannot be probed)."""
    users = list(services.alert_recipients(employer).filter(pk__in=ids))
    if len(users) != len(set(ids)):
        raise ValidationError(
            {
                "addressees": [
                    f"Une alerte n'est adressée qu'aux correspondant·e·s RH de {employer}."
                ]
            }
        )
    return users


@extend_schema_view(
    list=extend_schema(
        summary="Alertes de vigilance sociale",
        description="Celles de son équipe pour une ASS, de ses équipes pour un·e "
        "conseiller·ère ; pour un·e correspondant·e RH, celles qui lui sont adressées.",
        parameters=[AlertFilterSerializer],
        responses={200: AlertSerializer(many=True), **INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Une alerte", responses={200: AlertSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CollectiveViewSet):
    queryset = Alert.objects.none()
    serializer_class = AlertSerializer
    filter_serializer_class = AlertFilterSerializer
    filters = {"employer": "employer_id", "risk": "risk", "year": "raised_on__year"}

    def _answer(self, alert: Alert, code: int = status.HTTP_200_OK) -> Response:
        alert = Alert.objects.with_related().get(pk=alert.pk)
        return Response(AlertSerializer(alert).data, status=code)

    @extend_schema(
        summary="Adresser une alerte de vigilance sociale",
        description="À un ou plusieurs correspondant·e·s RH de l'employeur, notifié·e·s. "
        "Le texte ne doit désigner personne (voir `names_confirmed`).",
        request=AlertInputSerializer,
        responses={201: AlertSerializer, **WRITTEN},
    )
    def create(self, request):
        worker = self.worker()
        serializer = AlertInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        employer = self.employer(data.pop("employer"))
        data["addressees"] = _addressees(employer, data["addressees"])
        with checked_write(request.user, lambda: [employer]):
            alert = services.alert_create(
                actor=request.user, worker=worker, employer=employer, **data
            )
        return self._answer(alert, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une alerte",
        description="Par l'ASS qui l'a adressée ; l'employeur ne change pas. Les "
        "destinataires ajoutés sont notifiés.",
        request=AlertInputSerializer,
        responses={200: AlertSerializer, **WRITTEN},
    )
    def partial_update(self, request, pk=None):
        alert = self.editable()
        serializer = AlertInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("employer", alert.employer_id) != alert.employer_id:
            raise ValidationError({"employer": ["L'employeur d'une alerte ne change pas."]})
        if "addressees" in data:
            data["addressees"] = _addressees(alert.employer, data["addressees"])
        with checked_write(request.user, lambda: [alert.employer]):
            alert = services.alert_update(actor=request.user, alert=alert, **data)
        return self._answer(alert)
