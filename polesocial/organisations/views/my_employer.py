"""« Mon employeur »: what the HR contact's employer receives from the social service.

The convention and its signed document, invoices and their payment, collective actions and
body meetings with the employer, the alerts addressed to him, the annual report (always
under disclosure control), the hours used against the plan this year by quarter, and the
poster of the public page where employees reach the service without him. Every list comes
from `visible_by(user)`; the hours are totals per quarter, never finer, so that one
follow-up at a small employer cannot be read from them. Nothing of any case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import ExtractQuarter
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from polesocial.billing import rules as billing_rules
from polesocial.billing.models import Invoice, TimeEntry
from polesocial.collective.models import Alert, BodyMeeting, CollectiveAction
from polesocial.organisations import rules
from polesocial.organisations.models import Convention, Employer, FteShare
from polesocial.privacy.features import feature_required

LIST_LIMIT = 10


@dataclass
class QuarterHours:
    quarter: int
    hours: Decimal
    started: bool


def hours_by_quarter(employer: Employer, year: int) -> list[QuarterHours]:
    """Hours of work for `employer` in each quarter of `year` (totals only: no worker, no
    day, no kind). Read from the time entries as an aggregate, never row by row."""
    today = timezone.localdate()
    totals = dict(
        TimeEntry.objects.filter(employer=employer, date__year=year)
        .annotate(quarter=ExtractQuarter("date"))
        .order_by()
        .values_list("quarter")
        .annotate(minutes=Sum("minutes"))
    )
    current = (today.month - 1) // 3 + 1 if today.year == year else (4 if today.year > year else 0)
    return [
        QuarterHours(q, billing_rules.hours(totals.get(q, 0) or 0), q <= current)
        for q in (1, 2, 3, 4)
    ]


def planned_hours(employer: Employer, year: int) -> Decimal | None:
    """Hours planned for the employer this year from the FTE shares (None: no plan)."""
    shares = FteShare.objects.filter(employer=employer, year=year).select_related("worker")
    if not shares:
        return None
    return sum((billing_rules.planned_hours(s.worker.fte, s.share) for s in shares), Decimal("0"))


def poster_qr(url: str) -> SafeString:
    """The public page's address as an inline SVG QR code (no image request)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, title="QR code de la page")
    return mark_safe(svg)  # noqa: S308 - produced by segno from our own URL


def _employer_section(request, employer: Employer, year: int) -> dict:
    user = request.user
    public = request.build_absolute_uri(reverse("casework:self_referral"))
    public = f"{public}?employeur={employer.pk}"
    actions = (
        CollectiveAction.objects.visible_by(user)
        .filter(employers=employer)
        .order_by("-starts_on", "-pk")[:LIST_LIMIT]
    )
    quarters = hours_by_quarter(employer, year)
    return {
        "employer": employer,
        "latest_headcount": employer.headcounts.order_by("-year").first(),
        "invoices": Invoice.objects.visible_by(user)
        .filter(employer=employer)
        .order_by("-issued_on", "-pk")[:LIST_LIMIT],
        "actions": actions,
        "meetings": BodyMeeting.objects.visible_by(user)
        .filter(employer=employer)
        .order_by("-held_on", "-pk")[:LIST_LIMIT],
        "alerts": Alert.objects.visible_by(user)
        .filter(employer=employer)
        .order_by("-raised_on", "-pk")[:LIST_LIMIT],
        "quarters": quarters,
        "used": sum((q.hours for q in quarters), Decimal("0")),
        "planned": planned_hours(employer, year),
        "report_year": year - 1,
        "public_url": public,
        "public_qr": poster_qr(public),
    }


@feature_required("my_employer")
def my_employer(request):
    """An HR contact's page about his employer(s). No case data, ever."""
    today = timezone.localdate()
    employers = Employer.objects.visible_by(request.user).order_by("name", "pk")
    conventions = Convention.objects.visible_by(request.user).select_related("employer")
    rows = [{"convention": c, "term_end": rules.current_term_end(c, today)} for c in conventions]
    sections = [_employer_section(request, employer, today.year) for employer in employers]
    return render(
        request,
        "organisations/my_employer.html",
        {
            "employers": employers,
            "conventions": rows,
            "sections": sections,
            "year": today.year,
            "disclosure_threshold": settings.REPORT_DISCLOSURE_THRESHOLD,
        },
    )


@feature_required("my_employer")
def my_convention_document(request, pk: int):
    """The signed convention of his employer (404 for another's, or when there is none)."""
    convention = get_object_or_404(Convention.objects.visible_by(request.user), pk=pk)
    if not convention.signed_document:
        raise Http404
    # Read whole and closed at once (a few pages of PDF), rather than streamed.
    with convention.signed_document.open("rb") as document:
        content = document.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convention-{convention.pk}.pdf"'
    return response
