"""Money arithmetic of material aid, to the cent: a household's « reste à vivre » and the
yearly budgets of funders (allocated, committed, paid, remaining).

Amounts are `Decimal` with two places, never floats: a committee decides on the cent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Sum

from polesocial.aid.enums import DecisionOutcome, Funder

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
BAD_AMOUNT = "Montant invalide : « {value} ». Saisissez un nombre d'euros, par exemple 125,50."


def to_cents(value) -> Decimal:
    """A French or plain amount ("1 234,50", "12.5", 12) as a Decimal to the cent."""
    text = str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(BAD_AMOUNT.format(value=value), code="invalid") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
        raise ValidationError(BAD_AMOUNT.format(value=value), code="invalid")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def budget_lines(lines) -> list[tuple[str, Decimal]]:
    """[(label, amount)] from [(label, amount as text)], empty lines dropped."""
    cleaned = []
    for label, amount in lines:
        label = (label or "").strip()
        if not label and not str(amount or "").strip():
            continue
        if not label:
            raise ValidationError("Chaque montant du budget doit avoir un libellé.")
        cleaned.append((label[:100], to_cents(amount or 0)))
    return cleaned


def budget_json(incomes, expenses) -> str:
    return json.dumps(
        {
            "incomes": [[label, str(amount)] for label, amount in budget_lines(incomes)],
            "expenses": [[label, str(amount)] for label, amount in budget_lines(expenses)],
        },
        ensure_ascii=False,
    )


@dataclass(frozen=True)
class HouseholdBudget:
    incomes: Decimal
    expenses: Decimal
    people: int

    @property
    def remainder(self) -> Decimal:
        """The « reste à vivre » per month: incomes less fixed expenses."""
        return self.incomes - self.expenses

    @property
    def per_person_per_day(self) -> Decimal:
        """The « reste à vivre » per person and per day (30-day month), to the cent."""
        if self.people <= 0:
            return ZERO
        return (self.remainder / self.people / 30).quantize(CENT, rounding=ROUND_HALF_UP)


def household_budget(budget: dict, *, adults: int, children: int) -> HouseholdBudget:
    def total(key: str) -> Decimal:
        return sum((Decimal(amount) for _, amount in budget.get(key, [])), ZERO)

    return HouseholdBudget(total("incomes"), total("expenses"), adults + children)


# --- Yearly budgets ---------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetFigures:
    allocated: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed


GRANTING = (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED)


def sum_amounts(rows) -> Decimal:
    """The sum of `amount`, to the cent (SQLite answers a float-like Decimal)."""
    return Decimal(rows.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(CENT)


def euros(amount: Decimal) -> str:
    """1234.5 -> "1 234,50" (French, to the cent)."""
    text = f"{Decimal(amount).quantize(CENT):,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def _totals(rows, day: str) -> dict[tuple, Decimal]:
    """{(funder, scheme's employer id, year): sum of amounts}, in one grouped query."""
    grouped = (
        rows.order_by()
        .values_list("request__scheme__funder", "request__scheme__employer", f"{day}__year")
        .annotate(total=Sum("amount"))
    )
    return {(f, e, y): Decimal(total).quantize(CENT) for f, e, y, total in grouped}


def _charged(totals: dict[tuple, Decimal], budget) -> Decimal:
    """What of `totals` is charged to `budget`: its funder and year (and, for an employer's
    own envelope, the schemes of that employer)."""
    return sum(
        (
            amount
            for (funder, employer, year), amount in totals.items()
            if funder == budget.funder
            and year == budget.year
            and (budget.funder != Funder.EMPLOYER or employer == budget.employer_id)
        ),
        ZERO,
    )


def figures_of(budgets) -> dict[int, BudgetFigures]:
    """The figures of every budget given, in two queries whatever their number."""
    from polesocial.aid.models import AidDecision, AidPayment

    granted = _totals(AidDecision.objects.filter(outcome__in=GRANTING), "decided_on")
    paid = _totals(AidPayment.objects.all(), "paid_on")
    return {
        b.pk: BudgetFigures(b.allocated, _charged(granted, b), _charged(paid, b)) for b in budgets
    }


def budget_figures(budget) -> BudgetFigures:
    """Allocated; committed (granted by decisions of the year); paid (payments of the year)."""
    return figures_of([budget])[budget.pk]


def budget_for(scheme, year: int):
    """The budget an aid of `scheme` decided in `year` is charged to, or None."""
    from polesocial.aid.models import AidBudget

    employer = scheme.employer_id if scheme.funder == Funder.EMPLOYER else None
    return AidBudget.objects.filter(funder=scheme.funder, year=year, employer=employer).first()
