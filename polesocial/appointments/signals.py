"""Keep a drop-in session's time in step with the interviews recorded within it.

A signal rather than a call in case work's services: however an interview is recorded,
changed or removed (screen, API, retention), the session's time follows, and case work
need not know about drop-in sessions.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from polesocial.casework.enums import InterviewPlace


@receiver(post_save, sender="casework.Interview")
def interview_recorded(sender, instance, created, **kwargs) -> None:
    """The interview recorded after an appointment marked done is linked to it."""
    if not created:
        return
    from django.utils import timezone

    from polesocial.appointments.enums import AppointmentStatus
    from polesocial.appointments.models import Appointment

    done = Appointment.objects.filter(
        case_id=instance.case_id, status=AppointmentStatus.DONE, interview__isnull=True
    )
    for appointment in done.order_by("start"):
        if timezone.localtime(appointment.start).date() == instance.occurred_on:
            Appointment.objects.filter(pk=appointment.pk).update(interview=instance)
            break


@receiver([post_save, post_delete], sender="casework.Interview")
def interview_changed(sender, instance, **kwargs) -> None:
    if instance.place != InterviewPlace.DROP_IN_SITE:
        return
    from polesocial.appointments.services import drop_in_time_after_interview

    worker_id = getattr(getattr(instance.author, "social_worker", None), "pk", None)
    if worker_id is not None:
        drop_in_time_after_interview(
            worker_id=worker_id, day=instance.occurred_on, employer_id=instance.employer_id
        )
