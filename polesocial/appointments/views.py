"""The agenda screens: week and month, booking, statuses, drop-in sessions, calendar feed.

Rows come from `visible_by` (privacy.scopes): a worker's own agenda (and the colleague's she
replaces), the secretary's across the workers of the teams she serves. The screens show
who, when and where — an appointment holds no reason, domain, note or aid.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.appointments import calendar, services
from polesocial.appointments.enums import AppointmentStatus
from polesocial.appointments.forms import (
    AppointmentForm,
    DropInSessionForm,
    InitialsForm,
    SecretaryTeamsForm,
)
from polesocial.appointments.models import (
    Appointment,
    CalendarFeed,
    DropInOccurrence,
    SecretaryTeam,
)
from polesocial.appointments.permissions import (
    agenda_workers,
    bookable_employers,
    bookable_workers,
    is_worker_of,
    may_change_status,
)
from polesocial.core.forms import done, saved
from polesocial.organisations.models import Replacement, SocialWorker, Team
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import can_use, feature_required
from polesocial.users.enums import Role
from polesocial.users.models import User

MONTH = "mois"
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


# --- Who and what ---------------------------------------------------------------------


def _period(request) -> tuple[dt.date, dt.date, str]:
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    if request.GET.get("vue") == MONTH:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1), MONTH
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6), "semaine"


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _selected_workers(request):
    workers = agenda_workers(request.user)
    chosen = request.GET.get("ass", "")
    if chosen.isdigit():
        workers = workers.filter(pk=int(chosen))
    return workers


def _item(kind: str, start, end, worker, **extra) -> dict:
    return {
        "kind": kind,
        "start": timezone.localtime(start),
        "end": timezone.localtime(end),
        "worker": worker.user.full_name,
        **extra,
    }


def _agenda_days(first, last, appointments, occurrences, absences) -> list[dict]:
    days: dict[dt.date, dict] = {}
    day = first
    while day <= last:
        days[day] = {"date": day, "name": DAY_NAMES[day.weekday()], "items": [], "absences": []}
        day += dt.timedelta(days=1)
    for a in appointments:
        days[timezone.localtime(a.start).date()]["items"].append(
            _item(
                "rdv",
                a.start,
                a.end,
                a.worker,
                person=a.person_name,
                place=a.get_place_display(),
                employer=a.employer.name,
                status=a.get_status_display(),
                cancelled=a.status in (AppointmentStatus.CANCELLED, AppointmentStatus.MISSED),
                url=reverse("appointments:appointment_detail", args=[a.pk]),
            )
        )
    for o in occurrences:
        days[timezone.localtime(o.start).date()]["items"].append(
            _item(
                "permanence",
                o.start,
                o.end,
                o.worker,
                place=o.session.site,
                employer=o.session.employer.name,
                cancelled=o.cancelled_at is not None,
                url=reverse("appointments:drop_in_list"),
            )
        )
    for r in absences:
        for day in days:
            if r.starts_on <= day <= r.ends_on:
                days[day]["absences"].append(
                    f"{r.absent.user.full_name} absente, remplacée par {r.replacing.user.full_name}"
                )
    for entry in days.values():
        entry["items"].sort(key=lambda item: item["start"])
    return list(days.values())


@feature_required("agenda")
def agenda(request):
    """The week (or month) of the worker, or of the workers of the secretary's teams."""
    first, last, view = _period(request)
    workers = _selected_workers(request)
    start, end = _aware(first), _aware(last + dt.timedelta(days=1))
    appointments = list(
        Appointment.objects.visible_by(request.user)
        .filter(worker__in=workers)
        .between(start, end)
        .select_related("worker__user", "employer")
    )
    occurrences = (
        DropInOccurrence.objects.visible_by(request.user)
        .filter(worker__in=workers, start__gte=start, start__lt=end)
        .select_related("worker__user", "session__employer")
    )
    absences = (
        Replacement.objects.visible_by(request.user)
        .filter(absent__in=workers, starts_on__lte=last, ends_on__gte=first)
        .select_related("absent__user", "replacing__user")
    )
    if appointments:
        audit_log(actor=request.user, action=AuditAction.APPOINTMENT_READ, targets=appointments)
    step = dt.timedelta(days=31 if view == MONTH else 7)
    context = {
        "days": _agenda_days(first, last, appointments, occurrences, absences),
        "first": first,
        "last": last,
        "view": view,
        "previous": (first - step).replace(day=1) if view == MONTH else first - step,
        "next": (last + dt.timedelta(days=1)),
        "workers": agenda_workers(request.user),
        "chosen": request.GET.get("ass", ""),
        "may_book": bookable_workers(request.user).exists(),
        "has_feed": can_use(request.user, "calendar_feed"),
    }
    return render(request, "appointments/agenda.html", context)


# --- One appointment --------------------------------------------------------------------


def _booking_initial(request) -> dict:
    """Pre-filled from a case (the worker books the next one) or a drop-in date."""
    initial: dict = {}
    case_pk = request.GET.get("dossier", "")
    if case_pk.isdigit() and can_use(request.user, "casework"):
        from polesocial.casework.models import Case

        case = visible_or_404(Case, request.user, pk=int(case_pk))
        person = case.person
        initial |= {
            "person_name": f"{person.first_name} {person.last_name}",
            "employer": case.recorded_employer_id,
            "contact_phone": person.phone,
            "contact_email": person.email,
        }
    occurrence_pk = request.GET.get("permanence", "")
    if occurrence_pk.isdigit():
        occurrence = visible_or_404(DropInOccurrence, request.user, pk=int(occurrence_pk))
        start = timezone.localtime(occurrence.start)
        initial |= {
            "occurrence": occurrence.pk,
            "worker": occurrence.worker_id,
            "place": "drop_in_site",
            "day": start.date(),
            "time": start.time(),
            "duration_minutes": occurrence.session.slot_minutes,
            "employer": occurrence.session.employer_id,
        }
    return initial


def _case_of(request):
    case_pk = request.GET.get("dossier", "")
    if case_pk.isdigit() and can_use(request.user, "casework"):
        from polesocial.casework.models import Case

        return visible_or_404(Case, request.user, pk=int(case_pk))
    return None


@feature_required("agenda")
def appointment_create(request):
    """Prendre un rendez-vous (worker or secretary), from the agenda, a case or a slot."""
    workers = bookable_workers(request.user).select_related("user")
    if not workers.exists():
        messages.error(request, "Votre compte n'est rattaché à aucune équipe : demandez-le.")
        return redirect("appointments:agenda")
    occurrences = (
        DropInOccurrence.objects.visible_by(request.user)
        .held()
        .filter(worker__in=workers, start__gte=timezone.now() - dt.timedelta(hours=12))
        .select_related("session__employer")
    )
    form = AppointmentForm(
        request.POST or None,
        initial=_booking_initial(request),
        workers=workers,
        employers=bookable_employers(request.user).order_by("name", "pk"),
        occurrences=occurrences,
    )
    case = _case_of(request)
    if request.method == "POST" and (
        done := saved(
            request,
            form,
            lambda data: services.appointment_book(
                actor=request.user, case=case, **form.service_data()
            ),
            "Rendez-vous pris.",
        )
    ):
        return redirect("appointments:appointment_detail", pk=done.result.pk)
    return render(request, "appointments/appointment_form.html", {"form": form, "case": case})


@feature_required("agenda")
def appointment_detail(request, pk: int):
    appointment = visible_or_404(
        Appointment.objects.select_related("worker__user", "employer", "booked_by"),
        request.user,
        pk=pk,
    )
    audit_log(actor=request.user, action=AuditAction.APPOINTMENT_READ, target=appointment)
    planned = appointment.status == AppointmentStatus.PLANNED
    context = {
        "appointment": appointment,
        "start": timezone.localtime(appointment.start),
        "end": timezone.localtime(appointment.end),
        "may_change": planned and may_change_status(request.user, appointment),
        "may_mark_done": planned and is_worker_of(request.user, appointment),
        "may_withdraw": appointment.wants_reminder and may_change_status(request.user, appointment),
    }
    return render(request, "appointments/appointment_detail.html", context)


def _status_change(request, pk: int, service, message: str):
    appointment = visible_or_404(Appointment, request.user, pk=pk)
    changed = done(request, lambda: service(actor=request.user, appointment=appointment), message)
    return changed, appointment


@require_POST
@feature_required("agenda")
def appointment_cancel(request, pk: int):
    _, appointment = _status_change(
        request, pk, services.appointment_cancel, "Rendez-vous annulé (il reste dans l'historique)."
    )
    return redirect("appointments:appointment_detail", pk=appointment.pk)


@require_POST
@feature_required("agenda")
def appointment_missed(request, pk: int):
    _, appointment = _status_change(
        request, pk, services.appointment_mark_missed, "Rendez-vous marqué non honoré."
    )
    return redirect("appointments:appointment_detail", pk=appointment.pk)


@require_POST
@feature_required("agenda")
def appointment_done(request, pk: int):
    """Honoré: the worker then records the interview, its form pre-filled on the case."""
    ok, appointment = _status_change(
        request, pk, services.appointment_mark_done, "Rendez-vous honoré : saisissez l'entretien."
    )
    if ok and appointment.case_id is not None:
        query = urlencode(services.interview_prefill_query(appointment))
        return redirect(
            f"{reverse('casework:case_interviews', args=[appointment.case_id])}?{query}"
        )
    return redirect("appointments:appointment_detail", pk=appointment.pk)


@require_POST
@feature_required("agenda")
def reminder_withdraw(request, pk: int):
    _, appointment = _status_change(
        request, pk, services.reminder_consent_withdraw, "L'agent ne recevra plus de rappel."
    )
    return redirect("appointments:appointment_detail", pk=appointment.pk)


# --- Drop-in sessions --------------------------------------------------------------------


@feature_required("agenda")
def drop_in_list(request):
    """The coming drop-in dates of the workers the user books for, with their slots taken."""
    workers = agenda_workers(request.user)
    today = _aware(timezone.localdate())
    occurrences = (
        DropInOccurrence.objects.visible_by(request.user)
        .filter(worker__in=workers, start__gte=today)
        .select_related("session__employer", "worker__user")
        .prefetch_related("appointments")
    )[:60]
    rows = [
        {
            "pk": o.pk,
            "start": timezone.localtime(o.start),
            "end": timezone.localtime(o.end),
            "worker": o.worker.user.full_name,
            "employer": o.session.employer.name,
            "site": o.session.site,
            "cancelled": o.cancelled_at is not None,
            "booked": sum(1 for a in o.appointments.all() if a.status == AppointmentStatus.PLANNED),
            "slots": o.minutes // o.session.slot_minutes,
        }
        for o in occurrences
    ]
    may_book = bookable_workers(request.user).exists()
    return render(request, "appointments/drop_in_list.html", {"rows": rows, "may_book": may_book})


@feature_required("agenda")
def drop_in_create(request):
    workers = bookable_workers(request.user).select_related("user")
    if not workers.exists():
        messages.error(request, "Votre compte n'est rattaché à aucune équipe : demandez-le.")
        return redirect("appointments:drop_in_list")
    form = DropInSessionForm(
        request.POST or None,
        workers=workers,
        employers=bookable_employers(request.user).order_by("name", "pk"),
    )
    if request.method == "POST" and (
        done := saved(
            request,
            form,
            lambda data: services.drop_in_session_create(actor=request.user, **data),
        )
    ):
        count = done.result.occurrences.count()
        messages.success(request, f"Permanence programmée : {count} date(s).")
        return redirect("appointments:drop_in_list")
    return render(request, "appointments/drop_in_form.html", {"form": form})


@require_POST
@feature_required("agenda")
def occurrence_cancel(request, pk: int):
    occurrence = visible_or_404(DropInOccurrence, request.user, pk=pk)
    done(
        request,
        lambda: services.drop_in_occurrence_cancel(actor=request.user, occurrence=occurrence),
        "Date de permanence annulée.",
    )
    return redirect("appointments:drop_in_list")


# --- Calendar feed -----------------------------------------------------------------------


def _own_worker(request) -> SocialWorker:
    worker = getattr(request.user, "social_worker", None)
    if worker is None:
        raise Http404
    return worker


@feature_required("calendar_feed")
def calendar_feed(request):
    """Her secret calendar address: create or renew (the former one stops), revoke, and
    whether events carry the employee's initials."""
    worker = _own_worker(request)
    feed = CalendarFeed.objects.visible_by(request.user).filter(worker=worker).first()
    form = InitialsForm(
        request.POST or None, initial={"show_initials": bool(feed and feed.show_initials)}
    )
    url = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renouveler":
            token = services.calendar_feed_renew(actor=request.user, worker=worker)
            url = request.build_absolute_uri(reverse("appointments:calendar_ics", args=[token]))
            messages.success(request, "Nouvelle adresse créée : l'ancienne ne fonctionne plus.")
        elif action == "revoquer":
            services.calendar_feed_revoke(actor=request.user, worker=worker)
            messages.success(request, "Adresse révoquée : le flux ne répond plus.")
            return redirect("appointments:calendar_feed")
        elif action == "initiales" and form.is_valid():
            services.calendar_feed_set_initials(
                actor=request.user, worker=worker, show=form.cleaned_data["show_initials"]
            )
            messages.success(request, "Préférence enregistrée.")
            return redirect("appointments:calendar_feed")
        else:
            messages.error(request, "Action inconnue.")
        feed = CalendarFeed.objects.filter(worker=worker).first()
    context = {"feed": feed, "form": form, "url": url}
    return render(request, "appointments/calendar_feed.html", context)


@login_not_required
def calendar_ics(request, token: str):
    """The iCalendar feed at its secret address: 404 once revoked or renewed."""
    feed = calendar.feed_for_token(token)
    if feed is None:
        raise Http404
    body = calendar.feed_ics(feed)
    audit_log(actor=feed.worker.user, action=AuditAction.CALENDAR_FEED_READ, target=feed)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- The secretary's teams (administrator) ---------------------------------------------------


@feature_required("organisation_admin")
def secretary_teams(request):
    """Which teams each medico-social secretary serves: she books for their workers."""
    secretaries = User.objects.visible_by(request.user).filter(role=Role.SECRETARY, is_active=True)
    form = SecretaryTeamsForm(
        request.POST or None,
        secretaries=secretaries.order_by("last_name", "first_name", "pk"),
        teams=Team.objects.order_by("name", "pk"),
    )
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.secretary_teams_set(
            actor=request.user, secretary=data["secretary"], teams=data["teams"]
        ),
        "Équipes du secrétariat enregistrées.",
    ):
        return redirect("appointments:secretary_teams")
    rows = (
        SecretaryTeam.objects.filter(secretary__in=secretaries)
        .select_related("secretary", "team")
        .order_by("secretary__last_name", "team__name", "pk")
    )
    return render(request, "appointments/secretary_teams.html", {"form": form, "rows": rows})
