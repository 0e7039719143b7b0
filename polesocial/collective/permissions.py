"""Who may change a record of collective work (who may read one is `visible_by`'s)."""

from __future__ import annotations

from django.utils import timezone

from polesocial.organisations.models import Replacement
from polesocial.privacy.features import can_use


def can_edit(user, record) -> bool:
    """The social worker who recorded it (it is her time, billed to the employer), or the
    colleague replacing her today. Her team reads it; the counsellor and the employer's
    contacts only read.

    `record` is a CollectiveAction, BodyMeeting or Alert the user can already see.
    """
    if not can_use(user, "collective"):
        return False
    worker = record.worker
    if worker.user_id == user.pk:
        return True
    today = timezone.localdate()
    return Replacement.objects.active_on(today).filter(absent=worker, replacing__user=user).exists()


def worker_of(user):
    """The user's SocialWorker record (her team, her time), or None."""
    return getattr(user, "social_worker", None)
