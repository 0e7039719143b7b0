"""Who may do what on a case she can already read (the rows come from `visible_by`).

`Case.objects.visible_by(user)` decides whether a user reads a case at all (the worker in
charge and her active replacement; everyone else gets 404). These small functions answer
the finer questions the case page asks; templates receive their answers, never decide.
"""

from __future__ import annotations

from polesocial.casework.models import Case, Interview


def reads_as_replacement(user, case: Case) -> bool:
    """True when `user` reads `case` as the active replacement of the worker in charge.

    Every audit entry she causes is then marked `replacement=True`, and the page shows the
    "Accès en remplacement de …" banner.
    """
    return case.worker.user_id != user.pk


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
