"""Rows for notifications (notifications/urls): one's own only; someone else's is absent."""

from tests.url_rows import row

ROWS = {
    "notifications:list": ("GET", None, row(200)),
    "notifications:read": ("POST", "notification", row(404)),
}


def _someone_elses_notification(user):
    from polesocial.notifications.models import Notification
    from tests.factories import UserFactory

    return {"pk": Notification.objects.create(recipient=UserFactory(), title="x").pk}


BUILDERS = {"notification": _someone_elses_notification}
