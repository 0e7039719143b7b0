"""Billing arithmetic, pure: periods, amounts, sessions, rounding. No database here.

Amounts are Decimals rounded half-up to the cent once per invoice line; an invoice's
total is the sum of its lines.

Sessions (vacations): a session is a billable half-day of 3 h 30 (a 7 h day). They are
counted per worker, day and kind of work: on one day, each started 3 h 30 of one worker's
time of one kind for the employer counts one session (1 h → 1, 3 h 30 → 1, 4 h → 2).
Counting per kind keeps one invoice line per kind, as for hourly billing. A correction
(negative minutes) takes sessions back the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SESSION_MINUTES = 210
YEARLY_HOURS = Decimal("1607")  # statutory working hours of a full-time year
VAT_MENTION = "TVA non applicable, art. 256 B du CGI"

# Payment term of a public debtor (every employer is one): 30 days from receipt, code de la
# commande publique R2192-10; the due date printed is the issue date + 30 days.
PAYMENT_DAYS = 30
PUBLIC_BODY = "public_body"  # organisations.OperatorLegalForm
PAYMENT_TERMS_PUBLIC = (
    "Paiement à 30 jours à compter de la réception de la facture "
    "(art. R2192-10 du code de la commande publique), par virement au compte du comptable "
    "public ci-dessous."
)
LATE_PUBLIC = (
    "Tout retard de paiement fait courir de plein droit des intérêts moratoires "
    "(art. L2192-13 et R2192-31 du code de la commande publique)."
)
INDEMNITY_PUBLIC = (
    "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € "
    "(art. D2192-35 du code de la commande publique)."
)
PAYMENT_TERMS_ASSOCIATION = "Paiement à 30 jours à compter de la date d'émission, par virement."
# Code de commerce L441-9 and L441-10: discount, late-payment penalties, the €40 indemnity.
DISCOUNT_ASSOCIATION = "Pas d'escompte pour paiement anticipé."
LATE_ASSOCIATION = (
    "Pénalités de retard : taux d'intérêt appliqué par la Banque centrale européenne à son "
    "opération de refinancement la plus récente, majoré de 10 points (art. L441-10 du code "
    "de commerce), exigibles dès le lendemain de l'échéance."
)
INDEMNITY_ASSOCIATION = (
    "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € "
    "(art. L441-10 et D441-5 du code de commerce)."
)


@dataclass(frozen=True)
class PaymentMentions:
    """What an invoice says about its payment, by the operator's legal form. `notes` are
    (UN/EDIFACT 4451 subject code, text): PMT payment terms, PMD late-payment penalties,
    AAB discount — the codes the French Factur-X profile expects."""

    terms: str
    notes: tuple[tuple[str, str], ...]


def due_date(issued_on: dt.date) -> dt.date:
    return issued_on + dt.timedelta(days=PAYMENT_DAYS)


def payment_mentions(legal_form: str) -> PaymentMentions:
    if legal_form == PUBLIC_BODY or not legal_form:
        return PaymentMentions(
            PAYMENT_TERMS_PUBLIC, (("PMD", LATE_PUBLIC), ("PMT", INDEMNITY_PUBLIC))
        )
    return PaymentMentions(
        PAYMENT_TERMS_ASSOCIATION,
        (("AAB", DISCOUNT_ASSOCIATION), ("PMD", LATE_ASSOCIATION), ("PMT", INDEMNITY_ASSOCIATION)),
    )


MANAGEMENT_KIND = "management"
INITIAL_REVIEW_KIND = "initial_review"

# The years the screens and runs accept: a typo (20226) is refused, never run instead.
YEARS = range(2000, 2101)
BAD_PERIOD = "Choisissez une année (de 2000 à 2100) et un trimestre (de 1 à 4) valides."

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
MONTHS_FR = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()


@dataclass(frozen=True)
class Period:
    year: int
    index: int  # 1-based within the year
    count: int  # periods in the year
    start: dt.date
    end: dt.date
    label: str


def cents(amount: Decimal) -> Decimal:
    """Round half-up to the cent (0.005 → 0.01)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def hourly_amount(minutes: int, rate: Decimal) -> Decimal:
    """minutes × hourly rate / 60, rounded once."""
    return cents(Decimal(minutes) * rate / 60)


def hours(minutes: int) -> Decimal:
    """Minutes as decimal hours for an invoice quantity (7 h 20 → 7.33)."""
    return cents(Decimal(minutes) / 60)


def format_minutes(minutes: int) -> str:
    """« 12 h 30 », « 47 min », « -1 h 05 »."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    if not h:
        return f"{sign}{m} min"
    return f"{sign}{h} h {m:02d}" if m else f"{sign}{h} h"


def sessions(minutes: int) -> int:
    """Sessions for one worker's minutes of one kind on one day: each started 3 h 30."""
    count = math.ceil(abs(minutes) / SESSION_MINUTES)
    return -count if minutes < 0 else count


def session_count(rows: Iterable[tuple[object, dt.date, int]]) -> int:
    """Total sessions of rows (worker, day, minutes) of one kind."""
    per_day: dict[tuple[object, dt.date], int] = defaultdict(int)
    for worker, day, minutes in rows:
        per_day[(worker, day)] += minutes
    return sum(sessions(m) for m in per_day.values())


def fte_period_amount(yearly: Decimal, index: int, count: int) -> Decimal:
    """The yearly amount spread evenly over `count` periods; the cents left by rounding
    go to the later periods so that the year adds up exactly."""
    return cents(yearly * index / count) - cents(yearly * (index - 1) / count)


def periods_of_year(year: int, billing_period: str) -> list[Period]:
    months = PERIOD_MONTHS[billing_period]
    count = 12 // months
    result = []
    for index in range(1, count + 1):
        first = (index - 1) * months + 1
        last = first + months - 1
        start = dt.date(year, first, 1)
        end = (dt.date(year + (last == 12), last % 12 + 1, 1)) - dt.timedelta(days=1)
        result.append(Period(year, index, count, start, end, period_label(year, months, index)))
    return result


def period_label(year: int, months: int, index: int) -> str:
    if months == 1:
        return f"{MONTHS_FR[index - 1]} {year}"
    if months == 3:
        return f"{quarter_ordinal(index)} trimestre {year}"
    if months == 6:
        return f"{index}{'er' if index == 1 else 'e'} semestre {year}"
    return f"année {year}"


def quarter_ordinal(index: int) -> str:
    """« 1er », « 2e »: the French ordinal of a quarter or half-year."""
    return f"{index}{'er' if index == 1 else 'e'}"


def quarter_has_ended(year: int, quarter: int, today: dt.date) -> bool:
    """A quarter is invoiced once it has ended: from the day after its last day."""
    return quarter_bounds(year, quarter)[1] < today


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("Le trimestre va de 1 à 4.")
    q = periods_of_year(year, "quarterly")[quarter - 1]
    return q.start, q.end


def is_valid_quarter(year: int, quarter: int) -> bool:
    """True for a year of `YEARS` and a quarter from 1 to 4."""
    return year in YEARS and quarter in (1, 2, 3, 4)


def periods_ending_in_quarter(year: int, quarter: int, billing_period: str) -> list[Period]:
    """The billing periods a quarterly run bills: those that end within the quarter
    (three months, one quarter, a half-year in Q2 and Q4, the year in Q4)."""
    start, end = quarter_bounds(year, quarter)
    return [p for p in periods_of_year(year, billing_period) if start <= p.end <= end]


def billable_kinds(configured: Iterable[str], *, has_contribution: bool) -> list[str]:
    """The convention's billable kinds; never management of the function, and not the
    initial review when the membership contribution finances it."""
    kinds = [k for k in configured if k != MANAGEMENT_KIND]
    if has_contribution:
        kinds = [k for k in kinds if k != INITIAL_REVIEW_KIND]
    return kinds


def planned_hours(worker_fte: Decimal, share: Decimal) -> Decimal:
    """Planned hours of a worker for an employer: FTE × share × 1,607 h."""
    return (worker_fte * share * YEARLY_HOURS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def utilisation(recorded_minutes: int, planned: Decimal) -> Decimal | None:
    """Recorded hours against planned, in per cent (None when nothing is planned)."""
    if not planned:
        return None
    return (Decimal(recorded_minutes) / 60 / planned * 100).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )
