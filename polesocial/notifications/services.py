from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from polesocial.notifications.models import Notification


def notification_send(*, recipients, title: str, body: str = "", url: str = "", key: str = ""):
    """Notify each recipient once (per `key` when given), in the app and by e-mail."""
    sent = []
    for recipient in recipients:
        if key and Notification.objects.filter(recipient=recipient, key=key).exists():
            continue
        sent.append(
            Notification.objects.create(
                recipient=recipient, title=title, body=body, url=url, key=key
            )
        )
        transaction.on_commit(partial(_mail, recipient, title, body))
    return sent


def _mail(recipient, title: str, body: str) -> None:
    send_mail(
        subject=f"Pôle social : {title}",
        message=f"{body}\n\nConnectez-vous à Pôle social pour en savoir plus.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient.email],
        fail_silently=True,
    )


def notification_mark_read(*, recipient, notification: Notification) -> None:
    from django.utils import timezone

    if notification.recipient_id == recipient.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
