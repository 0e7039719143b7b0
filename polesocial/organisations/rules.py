"""Business rules of conventions and FTE plans (pure functions, no database writes)."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from polesocial.organisations.enums import BillingMode, ConventionStatus

# Circular 2007-38, annex V: about 0.8 FTE of service to employers, 0.2 for the management
# of the function. Shares of one worker above this deserve a warning.
SERVICE_SHARE_CEILING = Decimal("0.8")
NOTICE_MONTHS_BEFORE_END = 3

# The amount that each billing mode needs (the model's `convention_amount_for_mode`).
AMOUNT_FIELD: dict[str, str] = {
    BillingMode.HOURLY: "hourly_rate",
    BillingMode.SESSIONS: "session_rate",
    BillingMode.FTE_SHARE: "fte_yearly_amount",
}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def current_term_end(convention, on: dt.date) -> dt.date:
    """The last day of the term running on `on`.

    A convention with tacit yearly renewal goes on for one more year at each end date
    until it is terminated; without it, it ends on its end date.
    """
    if convention.status == ConventionStatus.TERMINATED and convention.terminated_on:
        return convention.terminated_on
    end = convention.ends_on
    if not convention.tacit_renewal:
        return end
    while end < on:
        end = add_years(end, 1)
    return end


def next_renewal_date(convention, on: dt.date) -> dt.date | None:
    """The day the next yearly term starts, or None when the convention does not renew."""
    if not convention.tacit_renewal or convention.status == ConventionStatus.TERMINATED:
        return None
    return current_term_end(convention, on) + dt.timedelta(days=1)


def notice_deadline(convention, on: dt.date) -> dt.date:
    """The last day to give notice so that the convention does not renew."""
    return add_months(current_term_end(convention, on), -convention.notice_months)


def notice_due_on(convention, on: dt.date) -> dt.date:
    """When the counsellor and the billing officer hear that the term is ending or renewing."""
    return add_months(current_term_end(convention, on), -NOTICE_MONTHS_BEFORE_END)


def employer_fte(worker_fte: Decimal, share: Decimal) -> Decimal:
    """Circular 2007-38, note 8: 80 % × ½ = 0.4 FTE."""
    return worker_fte * share


def shares_exceed_ceiling(total_share: Decimal) -> bool:
    return total_share > SERVICE_SHARE_CEILING


def shares_warning(total_share: Decimal) -> str | None:
    if not shares_exceed_ceiling(total_share):
        return None
    return (
        f"Les quotes-parts de cette ASS totalisent {total_share:.3f}".replace(".", ",")
        + " : au-delà de 0,8, il ne reste pas les 0,2 ETP de gestion de la fonction."
    )


def breakdown_mismatch(total: int, parts: list[int | None]) -> str | None:
    """How a headcount breakdown (by status or by category) contradicts its total.

    A breakdown given in full must add up to the total; a partial one must not exceed it.
    Returns the end of a French sentence, e.g. "(98) ne correspond pas à l'effectif total
    (100)", or None when the figures agree. Used by the form, the import and the API.
    """
    given = [part for part in parts if part is not None]
    if len(given) == len(parts) and sum(given) != total:
        return f"({sum(given)}) ne correspond pas à l'effectif total ({total})"
    if sum(given) > total:
        return f"({sum(given)}) dépasse l'effectif total ({total})"
    return None


# A headcount's two breakdowns, with the words that name them.
HEADCOUNT_BREAKDOWNS = (
    (("titulaire", "stagiaire", "contractuel"), "par statut"),
    (("category_a", "category_b", "category_c"), "par catégorie"),
)


def check_headcount_breakdowns(figures: dict) -> None:
    """Each breakdown of a headcount agrees with its total (breakdown_mismatch)."""
    total = figures.get("total")
    if total is None:
        return
    for names, label in HEADCOUNT_BREAKDOWNS:
        mismatch = breakdown_mismatch(total, [figures.get(name) for name in names])
        if mismatch:
            raise ValidationError(f"La répartition {label} {mismatch}.", code="breakdown")


def convention_terms_errors(terms) -> dict[str, str]:
    """What is wrong with a convention's terms, by field (French): empty when they hold.

    `terms` reads like the convention (an instance, or any object with its attributes):
    the screen, the API and the import all go through the model's `clean()`, which asks here.
    """
    errors = {}
    field = AMOUNT_FIELD.get(terms.billing_mode or "")
    if field and getattr(terms, field) is None:
        errors[field] = "Ce montant est obligatoire pour ce mode de facturation."
    if terms.starts_on and terms.ends_on and terms.ends_on < terms.starts_on:
        errors["ends_on"] = "La fin ne peut pas précéder le début."
    return errors


SIGNED_SCAN_MAX_BYTES = 10 * 1024 * 1024


def check_signed_scan(document) -> None:
    """A signed convention or amendment is deposited as a PDF of 10 MB at most (the same
    French refusal for the screen and the API)."""
    if document.size > SIGNED_SCAN_MAX_BYTES:
        raise ValidationError({"document": "Le fichier dépasse 10 Mo."})
    position = document.tell() if hasattr(document, "tell") else 0
    document.seek(0)
    head = document.read(5)
    document.seek(position)
    if head != b"%PDF-":
        raise ValidationError({"document": "Le fichier n'est pas un PDF."})
