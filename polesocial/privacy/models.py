from django.conf import settings
from django.db import models
from django.utils import timezone

from polesocial.privacy.access import ScopedQuerySet


class AuditEntryQuerySet(ScopedQuerySet):
    pass


class AuditEntry(models.Model):
    """One access to nominative data. (Provisional: the chained journal replaces this.)"""

    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_ids = models.JSONField(default=list)
    replacement = models.BooleanField(default=False)

    objects = AuditEntryQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.pk} {self.action}"

    @classmethod
    def append(cls, *, actor, action, target=None, targets=None, replacement=False):
        objs = list(targets or []) + ([target] if target is not None else [])
        return cls.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_role=getattr(actor, "role", "") or "",
            action=action,
            object_type=objs[0]._meta.label if objs else "",
            object_ids=[o.pk for o in objs],
            replacement=replacement,
        )
