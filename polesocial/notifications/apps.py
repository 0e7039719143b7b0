from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "polesocial.notifications"
    label = "notifications"
    verbose_name = "Notifications"
