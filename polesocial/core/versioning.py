"""Optimistic concurrency: every editable record carries a version its updates increment.

A screen carries the version the user saw in a hidden field, the API in `ETag`/`If-Match`
(api.base); the update service calls `check_version(record, expected)` before it writes.
The check is one conditional UPDATE (`version = expected` → `expected + 1`), so of two
writers that saw the same version exactly one goes on and the other is refused with
`VersionConflict`, whatever the locks of the service: no change is lost silently.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models


class Versioned(models.Model):
    """An editable record: `version` counts its updates (1 when created)."""

    version = models.PositiveIntegerField("version", default=1, editable=False)

    # What a person hears when someone else saved the record during her input.
    conflict_message: ClassVar[str] = (
        "Cette fiche a été modifiée par une autre personne pendant votre saisie."
    )

    class Meta:
        abstract = True


class VersionConflict(ValidationError):
    """Another person saved the record since `expected`; `current` is the record as saved."""

    def __init__(self, current: Versioned, expected: int):
        super().__init__(current.conflict_message, code="version_conflict")
        self.current = current
        self.expected = expected


def check_version(instance: Versioned, expected: int | None) -> None:
    """Claim the next version of `instance` if the saved one is still `expected`.

    `expected` is the version the writer saw (a form's hidden field, the API's `If-Match`);
    None means the version `instance` was loaded with. On success `instance.version` is the
    new version (a later `save()` keeps it); otherwise `VersionConflict`, and nothing is
    written. Call it inside the service's transaction, before its own writes.
    """
    if expected is None:
        expected = instance.version
    model = type(instance)
    claimed = model._base_manager.filter(pk=instance.pk, version=expected)
    if not claimed.update(version=models.F("version") + 1):
        raise VersionConflict(model._base_manager.get(pk=instance.pk), expected)
    instance.version = expected + 1


def etag(instance: Versioned) -> str:
    """The strong entity tag of a record's version, as the API sends it."""
    return f'"{instance.version}"'


def parse_if_match(header: str) -> list[int | None] | None:
    """The versions an `If-Match` header names (None for `*`), or None if it names none.

    Weak tags (W/"…") never match (RFC 9110: If-Match compares strongly).
    """
    versions: list[int | None] = []
    for tag in (part.strip() for part in header.split(",")):
        if tag == "*":
            versions.append(None)
        elif len(tag) > 2 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit() and len(tag) < 12:
            versions.append(int(tag[1:-1]))
    return versions or None
