from django.urls import path

from polesocial.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/lue/", views.notification_read, name="read"),
]
