"""The catalogue, the budgets and the committee's screens.

The catalogue and budgets name no one. A session page shows the pseudonymised agenda
(`aid.agenda`): a committee member reads only the sessions he is convened to, after
signing his undertaking (otherwise 404, like an absent session); he never reaches a case.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from polesocial.aid import agenda, documents, services
from polesocial.aid import budget as money
from polesocial.aid.enums import AidStatus
from polesocial.aid.forms import (
    AttendanceForm,
    BudgetForm,
    CatalogueCloseForm,
    CommitteeForm,
    DecisionForm,
    MembershipForm,
    ProviderForm,
    ScheduleForm,
    SchemeForm,
    SessionForm,
    UndertakingForm,
)
from polesocial.aid.models import (
    AidBudget,
    AidRequest,
    AidScheme,
    Committee,
    CommitteeSession,
    ConfidentialityUndertaking,
    Membership,
    Provider,
)
from polesocial.core.forms import saved
from polesocial.organisations.models import Employer, Team
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import can_use, feature_required
from polesocial.users.enums import Role
from polesocial.users.models import User

# --- Catalogue -------------------------------------------------------------------------


@feature_required("aid_catalogue")
def catalogue(request):
    """The action-sociale catalogue: schemes (searchable), providers, memberships."""
    query = request.GET.get("q", "")[:100]
    show_ended = request.GET.get("clos") == "1"

    def rows(model):
        rows = model.objects.visible_by(request.user).select_related("employer")
        return rows if show_ended else rows.not_ended_on(timezone.localdate())

    context = {
        "query": query,
        "show_ended": show_ended,
        "today": timezone.localdate(),
        "schemes": rows(AidScheme).search(query),
        "providers": rows(Provider),
        "memberships": rows(Membership),
        "can_manage": can_use(request.user, "aid_catalogue_manage"),
    }
    return render(request, "aid/catalogue.html", context)


@feature_required("aid_catalogue_manage")
def scheme_create(request):
    employers = Employer.objects.visible_by(request.user)
    if not employers.exists():
        employers = Employer.objects.all()  # the administrator keeps the whole catalogue
    form = SchemeForm(request.POST or None, employers=employers)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.scheme_create(actor=request.user, **data),
        "Dispositif ajouté au catalogue.",
    ):
        return redirect("aid:catalogue")
    return render(request, "aid/form.html", {"form": form, "title": "Ajouter un dispositif"})


def _catalogue_add(request, form_class, service, title: str, success: str):
    form = form_class(request.POST or None, employers=Employer.objects.order_by("name"))
    if request.method == "POST" and saved(
        request, form, lambda data: service(actor=request.user, **data), success
    ):
        return redirect("aid:catalogue")
    return render(request, "aid/form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def membership_create(request):
    return _catalogue_add(
        request, MembershipForm, services.membership_create,
        "Ajouter une adhésion d'employeur", "Adhésion enregistrée.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def provider_create(request):
    return _catalogue_add(
        request, ProviderForm, services.provider_create, "Ajouter un prestataire",
        "Prestataire enregistré.",
    )  # fmt: skip


# What the screens change in the catalogue: the model, the form and the services of each
# kind of entry, and what the person reads.
CATALOGUE_ENTRIES = {
    "scheme": (AidScheme, SchemeForm, "scheme", "dispositif"),
    "membership": (Membership, MembershipForm, "membership", "adhésion"),
    "provider": (Provider, ProviderForm, "provider", "prestataire"),
}


def _catalogue_form(request, kind: str, entry):
    model, form_class, _, _ = CATALOGUE_ENTRIES[kind]
    form_fields = form_class.base_fields
    initial = {name: getattr(entry, name) for name in form_fields if hasattr(entry, name)}
    kwargs = {"version": entry.version} if kind == "scheme" else {}
    return form_class(
        request.POST or None, initial=initial, employers=Employer.objects.order_by("name"),
        **kwargs,
    )  # fmt: skip


def _catalogue_edit(request, kind: str, pk: int):
    """Change an entry of the catalogue through its service (journaled)."""
    model, _, service, label = CATALOGUE_ENTRIES[kind]
    entry = visible_or_404(model, request.user, pk=pk)
    form = _catalogue_form(request, kind, entry)
    update = getattr(services, f"{service}_update")
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: update(actor=request.user, **{service: entry}, **data),
        f"Fiche « {label} » modifiée.",
    ):
        return redirect("aid:catalogue")
    title = f"Modifier : {entry}"
    return render(request, "aid/form.html", {"form": form, "title": title})


def _catalogue_close(request, kind: str, pk: int):
    """End an entry of the catalogue on a day (it stays listed, marked ended)."""
    model, _, service, label = CATALOGUE_ENTRIES[kind]
    entry = visible_or_404(model, request.user, pk=pk)
    form = CatalogueCloseForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    close = getattr(services, f"{service}_close")
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: close(actor=request.user, **{service: entry}, on=data["ends_on"]),
        f"Fin de validité enregistrée ({label}).",
    ):
        return redirect("aid:catalogue")
    return render(request, "aid/close.html", {"form": form, "title": f"Clore : {entry}"})


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def scheme_edit(request, pk: int):
    return _catalogue_edit(request, "scheme", pk)


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def scheme_close(request, pk: int):
    return _catalogue_close(request, "scheme", pk)


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def membership_edit(request, pk: int):
    return _catalogue_edit(request, "membership", pk)


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def membership_close(request, pk: int):
    return _catalogue_close(request, "membership", pk)


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def provider_edit(request, pk: int):
    return _catalogue_edit(request, "provider", pk)


@require_http_methods(["GET", "POST"])
@feature_required("aid_catalogue_manage")
def provider_close(request, pk: int):
    return _catalogue_close(request, "provider", pk)


# --- Budgets -----------------------------------------------------------------------------


@feature_required("aid_budgets")
def budget_list(request):
    """Yearly budgets per funder: allocated, committed, paid, remaining (to the cent)."""
    budgets = list(AidBudget.objects.visible_by(request.user).select_related("employer"))
    figures = money.figures_of(budgets)
    rows = [{"budget": b, "figures": figures[b.pk]} for b in budgets]
    form = None
    if request.user.role == Role.BILLING:
        form = BudgetForm(request.POST or None, employers=Employer.objects.all())
        if request.method == "POST" and saved(
            request,
            form,
            lambda data: services.budget_set(actor=request.user, **data),
            "Budget enregistré.",
        ):
            return redirect("aid:budget_list")
    return render(request, "aid/budgets.html", {"rows": rows, "form": form})


# --- Committees --------------------------------------------------------------------------


@feature_required("aid_committees")
def committee_list(request):
    """The committees, their perimeter and members (counsellor)."""
    committees = (
        Committee.objects.visible_by(request.user)
        .select_related("employer", "team")
        .prefetch_related("members")
    )
    return render(request, "aid/committees.html", {"committees": committees})


def _committee_form(request, committee=None):
    initial = None
    if committee is not None:
        initial = {
            "name": committee.name, "scope": committee.scope, "employer": committee.employer,
            "team": committee.team, "members": list(committee.members.all()),
        }  # fmt: skip
    return CommitteeForm(
        request.POST or None,
        initial=initial,
        employers=Employer.objects.order_by("name"),
        teams=Team.objects.open().order_by("name"),
        members=User.objects.filter(role__in=services.MEMBER_ROLES, is_active=True).order_by(
            "last_name", "first_name", "pk"
        ),
    )


@feature_required("aid_committees")
def committee_create(request):
    form = _committee_form(request)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.committee_create(actor=request.user, **data),
        "Commission créée.",
    ):
        return redirect("aid:committee_list")
    return render(request, "aid/form.html", {"form": form, "title": "Créer une commission"})


@feature_required("aid_committees")
def committee_edit(request, pk: int):
    """Change a committee and its members (the sessions to come follow)."""
    committee = visible_or_404(Committee.objects.all(), request.user, pk=pk)
    form = _committee_form(request, committee)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.committee_update(actor=request.user, committee=committee, **data),
        "Commission modifiée : les séances à venir convoquent ses membres.",
    ):
        return redirect("aid:committee_list")
    title = f"Modifier la commission « {committee.name} »"
    return render(request, "aid/form.html", {"form": form, "title": title})


# --- Sessions ----------------------------------------------------------------------------


def _sessions(request):
    return CommitteeSession.objects.visible_by(request.user).select_related("committee")


@feature_required("aid_sessions")
def session_list(request):
    """The sessions: every one for the counsellor, those he sits in for a member."""
    signed = ConfidentialityUndertaking.objects.filter(user=request.user).exists()
    form = None
    if request.user.role == Role.COUNSELLOR:
        form = SessionForm(
            request.POST or None, committees=Committee.objects.visible_by(request.user)
        )
        if request.method == "POST" and saved(
            request,
            form,
            lambda data: services.session_create(actor=request.user, **data),
            "Séance créée : ses membres y sont convoqués.",
        ):
            return redirect("aid:session_list")
    context = {"sessions": _sessions(request), "signed": signed, "form": form}
    return render(request, "aid/sessions.html", context)


def _session_page(request, session, decision_form=None, status=200):
    rows = agenda.agenda_rows(session, request.user)
    audit_log(actor=request.user, action=AuditAction.AID_AGENDA_READ, target=session,
              detail={"files": [row["number"] for row in rows]})  # fmt: skip
    waiting = AidRequest.objects.none()
    if request.user.role == Role.COUNSELLOR:
        waiting = agenda.agenda_queryset(request.user).filter(status=AidStatus.SUBMITTED)
    context = {
        "session": session,
        "rows": rows,
        "present": session.present.all(),
        "quorum_reached": services.quorum_reached(session),
        "may_decide": services.may_decide(request.user, session),
        "decision_form": decision_form or DecisionForm(initial={"decided_on": session.held_on}),
        "schedule_form": ScheduleForm(requests=waiting) if waiting.exists() else None,
        "attendance_form": AttendanceForm(
            members=session.members.all(), initial={"present": list(session.present.all())}
        )
        if request.user.role == Role.COUNSELLOR
        else None,
    }
    return render(request, "aid/session_detail.html", context, status=status)


@feature_required("aid_sessions", absent_when_denied=True)
def session_detail(request, pk: int):
    """The pseudonymised agenda of a session, and its decisions."""
    return _session_page(request, visible_or_404(_sessions(request), request.user, pk=pk))


@require_POST
@feature_required("aid_committees", absent_when_denied=True)
def session_schedule(request, pk: int):
    """Place a submitted file on the session's agenda (counsellor)."""
    session = visible_or_404(_sessions(request), request.user, pk=pk)
    waiting = agenda.agenda_queryset(request.user).filter(status=AidStatus.SUBMITTED)
    form = ScheduleForm(request.POST, requests=waiting)
    if saved(
        request,
        form,
        lambda data: services.aid_request_schedule(
            actor=request.user, request=data["request"], session=session
        ),
        "Dossier inscrit à l'ordre du jour.",
    ):
        return redirect("aid:session_detail", pk=session.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("aid:session_detail", pk=session.pk)


@require_POST
@feature_required("aid_sessions", absent_when_denied=True)
def decision_record(request, pk: int):
    """Record the decision on one file of the agenda."""
    session = visible_or_404(_sessions(request), request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        aid = (
            agenda.agenda_queryset(request.user)
            .filter(session=session, pk=form.cleaned_data["request"])
            .first()
        )
        if aid is None:
            form.add_error(None, "Ce dossier n'est pas à l'ordre du jour de cette séance.")
        else:
            if saved(
                request,
                form,
                _decide(request, aid),
                f"Décision enregistrée pour le dossier {aid.committee_number}.",
            ):
                return redirect("aid:session_detail", pk=session.pk)
    return _session_page(request, session, form)


def _decide(request, aid, *, written_procedure: bool = False):
    """The decision form's data, recorded through the service (at a session or in writing)."""
    return lambda data: services.aid_decision_record(
        actor=request.user,
        request=aid,
        outcome=data["outcome"],
        amount=data["amount"] or money.ZERO,
        motive=data["motive"],
        decided_on=data["decided_on"],
        written_procedure=written_procedure,
        confirm_beyond_budget=data["confirm_beyond_budget"],
    )


@require_POST
@feature_required("aid_committees", absent_when_denied=True)
def session_attendance(request, pk: int):
    """Record the members present (among those convened): the quorum follows."""
    session = visible_or_404(_sessions(request), request.user, pk=pk)
    form = AttendanceForm(request.POST, members=session.members.all())
    if not saved(
        request,
        form,
        lambda data: services.session_attendance(
            actor=request.user, session=session, present=list(data["present"])
        ),
        "Présences enregistrées.",
    ):
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("aid:session_detail", pk=session.pk)


@feature_required("aid_committees")
def written_procedure(request):
    """Urgent submitted files, decided by written procedure between sessions (counsellor)."""
    urgent = agenda.agenda_queryset(request.user).filter(status=AidStatus.SUBMITTED, urgent=True)
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        aid = urgent.filter(pk=form.cleaned_data["request"]).first()
        if aid is None:
            form.add_error(None, "Ce dossier n'attend pas de décision urgente.")
        elif saved(
            request,
            form,
            _decide(request, aid, written_procedure=True),
            f"Décision enregistrée par procédure écrite pour le dossier {aid.committee_number}.",
        ):
            return redirect("aid:written_procedure")
    rows = [
        {"pk": r.pk, "number": r.committee_number, "amount": r.amount_requested,
         "scheme": r.scheme.name, "summary": r.committee_summary}
        for r in urgent.select_related("scheme").order_by("committee_number")
    ]  # fmt: skip
    audit_log(actor=request.user, action=AuditAction.AID_AGENDA_READ,
              detail={"files": [row["number"] for row in rows]})  # fmt: skip
    return render(request, "aid/written_procedure.html", {"rows": rows, "form": form})


@feature_required("aid_sessions", absent_when_denied=True)
def session_minutes(request, pk: int):
    """The minutes (PDF): the agenda's files by number, their decisions, the quorum."""
    session = visible_or_404(_sessions(request), request.user, pk=pk)
    data = documents.minutes_pdf(session, request.user)
    audit_log(actor=request.user, action=AuditAction.AID_MINUTES_PRINT, target=session)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"proces-verbal-{session.held_on:%Y-%m-%d}.pdf"
    )
    return response


@feature_required("aid_undertaking")
def undertaking(request):
    """The committee member's confidentiality undertaking, signed once, with its date."""
    signed = ConfidentialityUndertaking.objects.visible_by(request.user).first()
    form = UndertakingForm(request.POST or None)
    if request.method == "POST" and signed is None and form.is_valid():
        try:
            services.undertaking_sign(actor=request.user)
        except ValidationError as error:  # pragma: no cover - the feature admits members only
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Engagement de confidentialité signé.")
            return redirect("aid:session_list")
    context = {"signed": signed, "form": form, "today": timezone.localdate()}
    return render(request, "aid/undertaking.html", context)
