from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message shown in the application (and sent by e-mail) to one person.

    Texts never carry case content: at most a number and a link to a page that checks
    access again.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField("titre", max_length=200)
    body = models.TextField("message", blank=True)
    url = models.CharField("lien", max_length=300, blank=True)
    key = models.CharField(
        max_length=120,
        blank=True,
        help_text="Identifies the event, so that the same notice is never sent twice.",
    )
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title
