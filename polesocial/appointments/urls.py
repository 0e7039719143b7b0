from django.urls import path

from polesocial.appointments import views

app_name = "appointments"

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/rendez-vous/nouveau/", views.appointment_create, name="appointment_create"),
    path("agenda/rendez-vous/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path(
        "agenda/rendez-vous/<int:pk>/annuler/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "agenda/rendez-vous/<int:pk>/non-honore/",
        views.appointment_missed,
        name="appointment_missed",
    ),
    path("agenda/rendez-vous/<int:pk>/honore/", views.appointment_done, name="appointment_done"),
    path(
        "agenda/rendez-vous/<int:pk>/rappels/retrait/",
        views.reminder_withdraw,
        name="reminder_withdraw",
    ),
    path("agenda/permanences/", views.drop_in_list, name="drop_in_list"),
    path("agenda/permanences/nouvelle/", views.drop_in_create, name="drop_in_create"),
    path(
        "agenda/permanences/dates/<int:pk>/annuler/",
        views.occurrence_cancel,
        name="occurrence_cancel",
    ),
    path("agenda/flux/", views.calendar_feed, name="calendar_feed"),
    path("agenda/ical/<str:token>.ics", views.calendar_ics, name="calendar_ics"),
    path("administration/secretariat/", views.secretary_teams, name="secretary_teams"),
]
