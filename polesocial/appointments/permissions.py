"""Who may book for whom, and who may change an appointment (templates get the answers)."""

from __future__ import annotations

from polesocial.organisations.models import Employer, SocialWorker
from polesocial.privacy.access import rows_for
from polesocial.users.enums import Role


def agenda_workers(user):
    """The workers whose agenda `user` reads: herself and whom she replaces today; for a
    secretary, the workers of the teams she serves (privacy.scopes "agenda")."""
    return rows_for("agenda", SocialWorker, user).select_related("user")


def bookable_workers(user):
    """The workers `user` books for: a social worker herself; a secretary the workers of
    the teams she serves (`SecretaryTeam`); nobody else (privacy.scopes "booking")."""
    return rows_for("booking", SocialWorker, user)


def bookable_employers(user):
    """The employers `user` books for: a worker's team's, those of the teams a secretary
    serves (privacy.scopes "booking")."""
    return rows_for("booking", Employer, user)


def may_book(user, worker) -> bool:
    return bookable_workers(user).filter(pk=worker.pk).exists()


def may_book_for(user, employer) -> bool:
    return bookable_employers(user).filter(pk=employer.pk).exists()


def is_worker_of(user, appointment) -> bool:
    """Only the worker of the appointment marks it done (the interview is hers)."""
    return getattr(getattr(user, "social_worker", None), "pk", None) == appointment.worker_id


def may_change_status(user, appointment) -> bool:
    """The worker, or a secretary of her team, cancels or marks missed."""
    return is_worker_of(user, appointment) or (
        user.role == Role.SECRETARY and may_book(user, appointment.worker)
    )
