"""A worker's FTE plan against actual, and its validation by the counsellor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from polesocial.billing import rules
from polesocial.billing.models import FtePlanValidation, TimeEntry
from polesocial.organisations.models import Employer, FteShare, SocialWorker, Team
from polesocial.privacy.access import may_act_on
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction

if TYPE_CHECKING:
    from polesocial.users.models import User


@dataclass
class PlanRow:
    worker: SocialWorker
    employer: Employer | None  # None: management of the function
    share: Decimal
    planned: Decimal
    recorded_minutes: int

    @property
    def recorded_hours(self) -> Decimal:
        return rules.hours(self.recorded_minutes)

    @property
    def utilisation(self) -> Decimal | None:
        return rules.utilisation(self.recorded_minutes, self.planned)


def plan_rows(worker: SocialWorker, year: int) -> list[PlanRow]:
    """A worker's plan against actual for a year: one row per employer of her shares (or
    with time recorded), and one for the management of the function (1 − shares)."""
    return plans_by_worker([worker], year)[worker.pk]


def plans_by_worker(workers: Iterable[SocialWorker], year: int) -> dict[int, list[PlanRow]]:
    """`plan_rows` of many workers in three queries, whatever their number (a dashboard)."""
    workers = list(workers)
    shares: dict[int, dict[int, FteShare]] = defaultdict(dict)
    for share in FteShare.objects.filter(worker__in=workers, year=year).select_related("employer"):
        shares[share.worker_id][share.employer_id] = share
    recorded: dict[int, dict[int | None, int]] = defaultdict(dict)
    totals = (
        TimeEntry.objects.filter(worker__in=workers, date__year=year)
        .values_list("worker", "employer")
        .annotate(total=Sum("minutes"))
        .values_list("worker", "employer", "total")
    )
    for worker_id, employer_id, total in totals:
        recorded[worker_id][employer_id] = total
    employers = Employer.objects.in_bulk({pk for row in recorded.values() for pk in row if pk})
    return {
        worker.pk: _plan_rows(worker, shares[worker.pk], recorded[worker.pk], employers)
        for worker in workers
    }


def _plan_rows(worker, shares: dict, recorded: dict, known: dict) -> list[PlanRow]:
    employers = {pk: known[pk] for pk in recorded if pk}
    employers.update({pk: s.employer for pk, s in shares.items()})
    rows = []
    for pk, employer in sorted(employers.items(), key=lambda item: item[1].name):
        share = shares[pk].share if pk in shares else Decimal("0")
        rows.append(
            PlanRow(
                worker,
                employer,
                share,
                rules.planned_hours(worker.fte, share),
                recorded.get(pk) or 0,
            )
        )
    rest = max(Decimal("0"), Decimal("1") - sum((r.share for r in rows), Decimal("0")))
    rows.append(
        PlanRow(worker, None, rest, rules.planned_hours(worker.fte, rest), recorded.get(None) or 0)
    )
    return rows


@transaction.atomic
def fte_plan_validate(*, actor: User, worker: SocialWorker, year: int) -> FtePlanValidation:
    """The counsellor validates a worker's shares for a year (again after a change)."""
    if not may_act_on("led", Team, worker.team_id, actor):
        raise ValidationError(
            "Vous n'encadrez pas l'équipe de cette ASS : seule sa responsable (ou son "
            "intérim) valide son plan ETP."
        )
    if not FteShare.objects.filter(worker=worker, year=year).exists():
        raise ValidationError("Aucune quote-part n'est saisie pour cette année.")
    validation, _ = FtePlanValidation.objects.update_or_create(
        worker=worker, year=year, defaults={"validated_by": actor, "validated_at": timezone.now()}
    )
    audit_log(actor=actor, action=AuditAction.FTE_PLAN_VALIDATE, target=validation)
    return validation
