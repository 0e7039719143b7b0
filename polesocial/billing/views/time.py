"""A worker's "Mon temps" and the counsellor's plan against actual."""

import datetime as dt

from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from polesocial.billing import rules, services
from polesocial.billing.enums import TimeKind
from polesocial.billing.forms import TimeEntryForm
from polesocial.billing.models import FtePlanValidation, TimeEntry
from polesocial.billing.views.common import date_param, year_param, year_to_write
from polesocial.core.forms import done, saved
from polesocial.organisations.models import Employer, SocialWorker, Team
from polesocial.privacy.access import rows_for, visible_or_404
from polesocial.privacy.features import feature_required


def _worker_or_404(request) -> SocialWorker:
    return get_object_or_404(SocialWorker.objects.select_related("team"), user=request.user)


@feature_required("my_time")
def my_time(request):
    """Her week of entries per employer and kind, a form to add one, her year's plan."""
    worker = _worker_or_404(request)
    day = date_param(request, "semaine")
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    employers = Employer.objects.visible_by(request.user).order_by("name")
    form = TimeEntryForm(request.POST or None, employers=employers, initial={"date": day})
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.time_entry_add(
            actor=request.user,
            worker=worker,
            employer=data["employer"],
            day=data["date"],
            minutes=data["minutes"],
            kind=data["kind"],
        ),
        "Temps enregistré.",
    ):
        week = form.cleaned_data["date"]
        return redirect(f"{reverse('billing:my_time')}?semaine={week:%Y-%m-%d}")
    entries = (
        TimeEntry.objects.visible_by(request.user)
        .filter(worker=worker, date__range=(monday, sunday))
        .select_related("employer")
        .order_by("date", "pk")
    )
    totals = (
        entries.order_by()
        .values("employer__name", "kind")
        .annotate(minutes=Sum("minutes"))
        .order_by("employer__name", "kind")
    )
    locked = set(entries.locked().values_list("pk", flat=True))
    context = {
        "worker": worker,
        "monday": monday,
        "sunday": sunday,
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "entries": [{"entry": e, "locked": e.pk in locked} for e in entries],
        "totals": [
            {**t, "kind": kind_label(t["kind"]), "hours": rules.format_minutes(t["minutes"])}
            for t in totals
        ],
        "week_total": rules.format_minutes(sum(e.minutes for e in entries)),
        "plan": services.plan_rows(worker, monday.year),
        "year": monday.year,
        "form": form,
    }
    return render(request, "billing/my_time.html", context)


def kind_label(kind: str) -> str:
    return TimeKind(kind).label if kind in TimeKind.values else kind


@require_POST
@feature_required("my_time")
def time_delete(request, pk: int):
    entry = visible_or_404(TimeEntry, request.user, pk=pk)
    done(
        request,
        lambda: services.time_entry_delete(actor=request.user, entry=entry),
        "Saisie supprimée.",
    )
    return redirect(f"{reverse('billing:my_time')}?semaine={entry.date:%Y-%m-%d}")


@feature_required("fte_plan_review")
def fte_dashboard(request):
    """Plan against actual per worker and employer, for the teams the counsellor leads."""
    year = year_param(request)
    workers = (
        SocialWorker.objects.visible_by(request.user)
        .filter(team__in=_led_teams(request.user))
        .select_related("user", "team")
    )
    validations = {
        v.worker_id: v
        for v in FtePlanValidation.objects.visible_by(request.user)
        .filter(year=year)
        .select_related("validated_by")
    }
    plans = services.plans_by_worker(workers, year)
    rows = [
        {"worker": w, "plan": plans[w.pk], "validation": validations.get(w.pk)} for w in workers
    ]
    return render(request, "billing/fte_dashboard.html", {"year": year, "rows": rows})


def _led_teams(user):
    """The teams whose plan against actual the user reads and validates: privacy.scopes
    Team "led" (as counsellor or deputy, or today as the counsellor's interim, who holds
    the team's counsellor's powers: FTE plans among them)."""
    return rows_for("led", Team, user)


@require_POST
@feature_required("fte_plan_review")
def fte_plan_validate(request, pk: int):
    year = year_to_write(request)
    if year is None:  # a forged link: never validate another year instead
        messages.error(request, "Choisissez une année valide (de 2000 à 2100).")
        return redirect("billing:fte_dashboard")
    worker = visible_or_404(
        SocialWorker.objects.filter(team__in=_led_teams(request.user)),
        request.user,
        pk=pk,
    )
    done(
        request,
        lambda: services.fte_plan_validate(actor=request.user, worker=worker, year=year),
        f"Plan ETP {year} de {worker} validé.",
    )
    return redirect(f"{reverse('billing:fte_dashboard')}?annee={year}")
