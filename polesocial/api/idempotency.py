"""`Idempotency-Key` on the API's writes: a retry answers the first outcome, creates nothing.

A client that lost the connection while its POST was being committed cannot know whether the
row exists. Sent with an `Idempotency-Key` header (any string of its choice, one per
intended write), the first request runs and its outcome is recorded in the same transaction
as the write (a crash never records a key without its row, nor a row without its key); a
retry with the same key and the same request answers the same status and the same object,
read again from the database and serialised afresh, without running the write again. The
same key with another request is refused (422); a retry arriving while the first request
still runs waits for it on PostgreSQL (the key's unique index) and is answered like any
retry once it commits.

Stored (`IdempotencyKey`): a hash of the key scoped to the user (two people never share a
key), a hash of the request (method, path, body), the status and the written row's model,
id and serializer. Never the response body, which names people. Rows older than
`RETENTION` are purged on the next recorded key and by `purge_idempotency_keys --wet-run`.

Every POST of an `ApiViewSet` takes the header, unless its action is listed in the view's
`idempotency_exempt_actions` (a token's creation: its secret is shown once, never again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response

from polesocial.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
RETENTION = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Visible ASCII: what an HTTP header carries without ambiguity (UUIDs, ULIDs, …).
KEY_PATTERN = re.compile(rf"[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}")

INVALID_KEY = (
    f"En-tête {HEADER} invalide : de 1 à {MAX_KEY_LENGTH} caractères ASCII visibles, "
    "sans espace (un UUID, par exemple)."
)
KEY_REUSED = (
    f"Cette clé {HEADER} a déjà servi pour une autre requête dans les dernières 24 heures : "
    "utilisez une nouvelle clé pour une nouvelle opération."
)
IN_PROGRESS = (
    f"Une requête avec la même clé {HEADER} est encore en cours : réessayez dans un instant."
)
GONE = (
    f"L'objet créé par la première requête portant cette clé {HEADER} n'existe plus : "
    "rien n'a été refait."
)

PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Clé choisie par le client, une par opération voulue (un UUID, par exemple ; "
        f"{MAX_KEY_LENGTH} caractères ASCII visibles au plus). Pendant 24 heures, une "
        "nouvelle tentative avec la même clé et la même requête reçoit la même réponse "
        "(même statut, même objet relu en base) sans rien créer de nouveau ; la même clé "
        "avec une autre requête est refusée (422). Seules des empreintes sont conservées."
    ),
)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = KEY_REUSED
    default_code = "idempotency_key_reused"


class KeyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = IN_PROGRESS
    default_code = "idempotency_key_in_progress"


class CreatedObjectGone(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = GONE
    default_code = "idempotency_object_gone"


def _sha256(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        # Length-prefixed: no two different sequences of parts hash alike.
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def key_hash(user, key: str) -> str:
    """The key's hash, scoped to its user: another person's same key is another key."""
    return _sha256("user", str(user.pk), key)


def request_hash(request) -> str:
    """Hash of the method, the path with its query string, and the raw body."""
    django_request = getattr(request, "_request", request)
    return _sha256(request.method, django_request.get_full_path(), django_request.body)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the keys older than `RETENTION`; how many."""
    deleted, _ = expired(now).delete()
    return deleted


def expired(now: dt.datetime | None = None):
    """The keys older than `RETENTION`."""
    return IdempotencyKey.objects.filter(created_at__lt=(now or timezone.now()) - RETENTION)


class IdempotentWritesMixin:
    """For `ApiViewSet`: a POST with an `Idempotency-Key` runs through `idempotent_call`."""

    # POST actions that never take the header (their answer cannot be given twice).
    idempotency_exempt_actions: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method != "POST" or HEADER not in request.headers:
            return
        if getattr(self, "action", None) in self.idempotency_exempt_actions:
            return
        handler = self.post  # type: ignore[attr-defined]
        key = request.headers[HEADER]

        def post(request, *args, **kwargs):
            return idempotent_call(self, handler, key, request, *args, **kwargs)

        self.post = post  # dispatch looks the handler up after `initial`


def idempotent_call(view, handler, key: str, request, *args, **kwargs) -> Response:
    """Run `handler` once per (user, key); a retry of the same request answers the same."""
    if not KEY_PATTERN.fullmatch(key):
        raise exceptions.ValidationError({HEADER: [INVALID_KEY]})
    scoped_key = key_hash(request.user, key)
    fingerprint = request_hash(request)
    with transaction.atomic():
        recorded = _recorded(scoped_key)
        if recorded is not None:
            return _replay(view, recorded, fingerprint)
        try:
            # On PostgreSQL a concurrent first request holds this unique value until it
            # commits: this insert waits, then fails, and the retry answers its outcome.
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    key_hash=scoped_key, request_hash=fingerprint
                )
        except IntegrityError:
            recorded = _recorded(scoped_key)
            if recorded is None:
                raise KeyInProgress() from None
            return _replay(view, recorded, fingerprint)
        response = handler(request, *args, **kwargs)
        if not status.is_success(response.status_code):
            record.delete()  # an answer that is not a success is not replayed
            return response
        record.status = response.status_code
        row, serializer = _written(response)
        if row is not None:
            record.object_type = row._meta.label_lower
            record.object_id = row.pk
            record.serializer = f"{type(serializer).__module__}.{type(serializer).__qualname__}"
        record.save(update_fields=["status", "object_type", "object_id", "serializer"])
        transaction.on_commit(purge_expired)
    return response


def _recorded(scoped_key: str) -> IdempotencyKey | None:
    """The key's record if still fresh; an expired one is deleted (the key is free again)."""
    record = IdempotencyKey.objects.filter(key_hash=scoped_key).first()
    if record is not None and record.created_at < timezone.now() - RETENTION:
        record.delete()
        return None
    return record


def _written(response: Response):
    """(row, serializer) behind the response's body, when a model serializer made it."""
    serializer = getattr(response.data, "serializer", None)
    row = getattr(serializer, "instance", None)
    if serializer is None or row is None or getattr(row, "_meta", None) is None:
        return None, None
    return row, serializer


def _replay(view, record: IdempotencyKey, fingerprint: str) -> Response:
    if record.request_hash != fingerprint:
        raise KeyReused()
    if record.status is None:
        raise KeyInProgress()
    if not record.object_type:
        return Response(status=record.status)
    row = _reread(view, record)
    if row is None:
        raise CreatedObjectGone()
    serializer_class = import_string(record.serializer)
    data = serializer_class(row, context=view.get_serializer_context()).data
    return Response(data, status=record.status)


def _reread(view, record: IdempotencyKey):
    """The written row, through the view's own rows when it is one (joins, annotations,
    and the journal of a read), else by its id: the same person wrote it with this key."""
    model = apps.get_model(record.object_type)
    queryset = getattr(view, "queryset", None)
    if queryset is not None and queryset.model is model:
        row = view.get_queryset().filter(pk=record.object_id).first()
        if row is not None:
            if hasattr(view, "audit"):  # casework: every read is journaled
                view.audit([row], many=False)
            return row
    return model._default_manager.filter(pk=record.object_id).first()


def document_idempotency_key(result, generator, request, public):
    """drf-spectacular post-processing hook: the header on every POST that takes it."""
    taking = set()
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        if method != "POST" or not isinstance(view, IdempotentWritesMixin):
            continue
        if getattr(view, "action", None) not in view.idempotency_exempt_actions:
            taking.add(path)
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
        "description": PARAMETER.description,
    }
    for path, operations in result.get("paths", {}).items():
        operation = operations.get("post")
        if operation is None or path not in taking:
            continue
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == HEADER for p in parameters):
            parameters.append(dict(parameter))
            operation.setdefault("responses", {}).setdefault(
                "422",
                {
                    "description": KEY_REUSED,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}
                    },
                },
            )
    return result
