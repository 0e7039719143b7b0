"""Choice lists of appointments and drop-in sessions (codes stable, French labels)."""

from django.db import models


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    DONE = "done", "Honoré"
    CANCELLED = "cancelled", "Annulé"
    MISSED = "missed", "Non honoré"


class Recurrence(models.TextChoices):
    ONCE = "once", "Une seule fois"
    WEEKLY = "weekly", "Chaque semaine"
    FORTNIGHTLY = "fortnightly", "Une semaine sur deux"
    MONTHLY = "monthly", "Chaque mois (même jour de la semaine)"
