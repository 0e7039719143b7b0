"""Who may book for whom, and who may change an appointment (templates get the answers)."""

from __future__ import annotations

from polesocial.organisations.models import SocialWorker
from polesocial.users.enums import Role


def bookable_workers(user):
    """The workers `user` books for: a social worker herself; a secretary the workers of
    the teams she serves (`SecretaryTeam`); nobody else."""
    if user.role == Role.SOCIAL_WORKER:
        return SocialWorker.objects.filter(user=user)
    if user.role == Role.SECRETARY:
        return SocialWorker.objects.filter(team__secretaries__secretary=user).distinct()
    return SocialWorker.objects.none()


def may_book(user, worker) -> bool:
    return bookable_workers(user).filter(pk=worker.pk).exists()


def is_worker_of(user, appointment) -> bool:
    """Only the worker of the appointment marks it done (the interview is hers)."""
    return getattr(getattr(user, "social_worker", None), "pk", None) == appointment.worker_id


def may_change_status(user, appointment) -> bool:
    """The worker, or a secretary of her team, cancels or marks missed."""
    return is_worker_of(user, appointment) or (
        user.role == Role.SECRETARY and may_book(user, appointment.worker)
    )
