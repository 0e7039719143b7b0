"""Who may do what on a case she can already read (the rows come from `visible_by`).

`Case.objects.visible_by(user)` decides whether a user reads a case at all (the worker in
charge and her active replacement; everyone else gets 404). These small functions answer
the finer questions the case page asks; templates receive their answers, never decide.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from polesocial.casework.models import (
    Case,
    CaseClosure,
    CaseDocument,
    Employee,
    Interview,
    Orientation,
    PlanAction,
    PlanObjective,
    Referral,
)
from polesocial.organisations.models import Replacement, SocialWorker

# What a case holds: read and written under that case's secret.
CASE_RECORDS = (Interview, PlanObjective, Orientation, CaseDocument, CaseClosure)


def reads_as_replacement(user, *files: models.Model) -> bool:
    """True when `user` reaches one of `files` as the active replacement of the colleague
    who holds it, not as its holder.

    A file is a case, a referral, an employee, or what a case holds (an interview, a plan
    item, an orientation, a document). The journal asks this for every entry (registered
    with `privacy.audit` by CaseworkConfig.ready), so an entry she causes is marked
    `replacement=True` whatever the screen, API or service; the pages show the "Accès en
    remplacement de …" banner. The holder herself, and anyone who does not replace the
    holder today (a counsellor assigning a referral or transferring a caseload), is not.
    """
    holders = [_holder(file) for file in files]
    others = {worker.pk for worker in holders if worker is not None and worker.user_id != user.pk}
    employees = [file for file in files if isinstance(file, Employee)]
    if not others and not employees:
        return False
    replaced = replaced_today(user)
    return not others.isdisjoint(replaced) or _employees_through(user, employees, replaced)


def replaced_today(user) -> set[int]:
    """The social workers (ids) whom `user` replaces today, dates inclusive (Europe/Paris)."""
    rows = Replacement.objects.active_on(timezone.localdate()).filter(replacing__user=user)
    return set(rows.values_list("absent_id", flat=True))


def _holder(file) -> SocialWorker | None:
    """The worker who holds a file: a case's worker in charge, a referral's worker."""
    case = _case_of(file)
    if case is not None:
        return case.worker if case.worker_id is not None else None  # None: a bare id
    return file.assigned_to if isinstance(file, Referral) else None


def _case_of(file) -> Case | None:
    if isinstance(file, Case):
        return file
    if isinstance(file, PlanAction):
        return file.objective.case
    return file.case if isinstance(file, CASE_RECORDS) else None


def _employees_through(user, employees: list[Employee], replaced: set[int]) -> bool:
    """An employee is reached as replacement when the user holds none of the cases and
    referrals about them, and one of the colleagues she replaces does."""
    if not replaced:
        return False
    pks = [employee.pk for employee in employees]
    cases, referrals = (
        Case.objects.filter(employee__in=pks),
        Referral.objects.filter(employee__in=pks),
    )
    own = {
        *cases.filter(worker__user=user).values_list("employee", flat=True),
        *referrals.filter(assigned_to__user=user).values_list("employee", flat=True),
    }
    others = [pk for pk in pks if pk not in own]
    return (
        cases.filter(employee__in=others, worker__in=replaced).exists()
        or referrals.filter(employee__in=others, assigned_to__in=replaced).exists()
    )


def can_read_private_note(user, interview: Interview) -> bool:
    """The private note of an interview is read by its author only.

    Not by the worker in charge when a replacement wrote it, not by a replacement when the
    worker in charge wrote it: it is the author's working note, outside the shared file.
    """
    return interview.author_id == user.pk


def can_transfer_case(user, case: Case) -> bool:
    """Only the worker in charge hands her case to a colleague of her team.

    A replacement holds the case for a bounded period on behalf of the absent worker: she
    may record what the follow-up needs, but not give the case away.
    """
    return case.worker.user_id == user.pk
