"""`python -m stress.drills.concurrency_db WHAT …` (Django side): the concurrency drills'
look at the database. Prints one JSON object on stdout.

- `quarter`: the last quarter that has ended (only an ended quarter may be invoiced); its
  invoices, issued by the demo, are first cancelled by credit notes (`credit`), so that
  its time is to bill again.
- `invoices YEAR QUARTER`: the invoices of the quarter's periods that hold their time
  (draft, issued, paid), how many employers have two for one period, how many time entries
  sit on two of them.
- `take ROUNDS`: ROUNDS new referrals of a team's queue, each taken at the same moment by
  every worker of the team (one thread and one connection each, released together): who
  had it, who was refused and with which message, what else went wrong.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter

MAX_TAKERS = 4


def quarter() -> dict:
    from django.utils import timezone

    today = timezone.localdate()
    current = (today.month - 1) // 3 + 1
    if current == 1:
        return {"year": today.year - 1, "quarter": 4}
    return {"year": today.year, "quarter": current - 1}


def credit(year: int, quarter: int) -> dict:
    """Cancel the quarter's issued invoices by credit notes: their time may be billed again."""
    from polesocial.billing import rules, services
    from polesocial.billing.models import Invoice

    start, end = rules.quarter_bounds(year, quarter)
    issued = Invoice.objects.filter(
        kind="invoice", status__in=("issued", "paid"), period_end__range=(start, end)
    )
    notes = [
        services.invoice_cancel(actor=None, invoice=invoice, reason="Exercice de concurrence")
        for invoice in issued
    ]
    return {"credit_notes": len(notes)}


def invoices(year: int, quarter: int) -> dict:
    from django.db.models import Count

    from polesocial.billing import rules
    from polesocial.billing.enums import InvoiceKind
    from polesocial.billing.models import HOLDING, Invoice, InvoiceLine

    start, end = rules.quarter_bounds(year, quarter)
    holding = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, status__in=HOLDING, period_end__range=(start, end)
    )
    per_period = Counter(holding.values_list("employer_id", "period_start", "period_end"))
    entries_twice = (
        InvoiceLine.entries.through.objects.filter(invoiceline__invoice__status__in=HOLDING)
        .values("timeentry_id")
        .annotate(times=Count("invoiceline__invoice", distinct=True))
        .filter(times__gt=1)
        .count()
    )
    return {
        "invoices": holding.count(),
        "issued": holding.exclude(number="").count(),
        "employers": len({employer for employer, _, _ in per_period}),
        "doubled": sum(1 for count in per_period.values() if count > 1),
        "entries_twice": entries_twice,
    }


def _team_workers():
    from django.db.models import Count

    from polesocial.organisations.models import Employer, SocialWorker, Team

    team = (
        Team.objects.annotate(workers_count=Count("workers", distinct=True))
        .filter(workers_count__gte=2, employers__isnull=False)
        .order_by("-workers_count", "pk")
        .first()
    )
    if team is None:
        raise SystemExit("Aucune équipe de la démonstration n'a deux ASS.")
    workers = list(SocialWorker.objects.filter(team=team).select_related("user")[:MAX_TAKERS])
    return Employer.objects.filter(team=team).order_by("pk").first(), workers


def _take_at_once(referral, workers) -> tuple[list[int], list[str], list[str]]:
    """Every worker takes `referral` (each from her own copy, read before) at once: who
    had it, the refusals' messages, the other errors."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    from polesocial.casework.models import Referral
    from polesocial.casework.services import referrals

    copies = {worker.pk: Referral.objects.get(pk=referral.pk) for worker in workers}
    start = threading.Barrier(len(workers))
    took: list[int] = []
    refusals: list[str] = []
    errors: list[str] = []

    def one(worker):
        try:
            start.wait()
            referrals.referral_take(actor=worker.user, referral=copies[worker.pk])
            took.append(worker.pk)
        except ValidationError as error:
            refusals.append(" ".join(error.messages))
        except Exception as error:  # noqa: BLE001 - reported by the drill
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return took, refusals, errors


def take(rounds: int) -> dict:
    from polesocial.casework.services import referrals

    employer, workers = _team_workers()
    won: Counter = Counter()
    refusals: Counter = Counter()
    errors: list[str] = []
    for number in range(rounds):
        referral = referrals.referral_create(
            actor=None,
            employer=employer,
            source="employer_hr",
            reason="Exercice de concurrence : deux ASS prennent la même saisine.",
            person_last_name=f"Exercice-{number:03d}",
            person_first_name="Camille",
        )
        took, refused, failed = _take_at_once(referral, workers)
        won[str(len(took))] += 1
        refusals.update(refused)
        errors += failed
        referral.refresh_from_db()
        if len(took) == 1 and referral.assigned_to_id != took[0]:
            errors.append(f"saisine {referral.number} : attribuée à une autre que la gagnante")
    return {
        "rounds": rounds,
        "takers": len(workers),
        "won": won,
        "refusals": refusals,
        "errors": errors,
    }


def main() -> int:
    import django

    django.setup()
    what, *args = sys.argv[1:]
    if what == "quarter":
        result = quarter()
    elif what == "credit":
        result = credit(int(args[0]), int(args[1]))
    elif what == "invoices":
        result = invoices(int(args[0]), int(args[1]))
    elif what == "take":
        result = take(int(args[0]))
    else:
        raise SystemExit(f"Vérification inconnue : {what}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
