"""Referral screens: sending one, the triage queue, and a worker's referral page.

Reads go through `visible_by` (the worker in charge) or the projections
(`queue_visible_by`, `receipts_visible_by`); writes through casework.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.casework import rules
from polesocial.casework.enums import (
    AssessmentOutcome,
    ConsentScope,
    ReferralStatus,
    Urgency,
)
from polesocial.casework.forms.referrals import (
    AssignForm,
    CaseOpenForm,
    ConsentRecordForm,
    FirstAssessmentForm,
    ReferralForm,
    fixed_source,
)
from polesocial.casework.models import Case, Consent, FirstAssessment, Referral
from polesocial.casework.services import cases as case_services
from polesocial.casework.services import referrals as referral_services
from polesocial.casework.services.self_referral import may_mark_spam
from polesocial.core.forms import done, saved
from polesocial.organisations.labels import label
from polesocial.organisations.models import Employer, Replacement, SocialWorker
from polesocial.privacy.access import rows_for, scope_for_view, visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import can_use, feature_required

PAGE_SIZE = 25


# --- Who may do what (the templates receive the answers) -------------------------------


def sendable_employers(user):
    """Employers a referral may be sent about (privacy.scopes Employer "referral", which the
    API reads too): an HR contact's or physician's own, a worker's team's, the employers of
    the teams a counsellor leads."""
    return rows_for("referral", Employer, user).order_by("name", "pk")


def may_take(user) -> bool:
    """A social worker (with her employment record) takes referrals of her team's queue."""
    return can_use(user, "casework") and hasattr(user, "social_worker")


def may_assign(user) -> bool:
    """Who leads teams (privacy.scopes Team "led": a counsellor, deputy or interim) assigns
    the referrals of her queue, which are those of the teams she leads."""
    return can_use(user, "triage") and scope_for_view("organisations.Team", "led", user) is not None


def waiting_days(received_at) -> int:
    return (timezone.now() - received_at).days


# --- Adresser un agent ---------------------------------------------------------------


@feature_required("referral_send")
def referral_create(request):
    """The simple referral form; afterwards the sender sees only that it was received."""
    employers = sendable_employers(request.user)
    form = ReferralForm(request.POST or None, user=request.user, employers=employers)
    if request.method == "POST" and (
        done := saved(
            request,
            form,
            lambda data: referral_services.referral_create(actor=request.user, **data),
        )
    ):
        messages.success(
            request,
            f"Saisine n° {done.result.number} transmise au service social. "
            "Une assistante de service social prendra contact avec l'agent.",
        )
        return redirect(_after_sending(request.user))
    source = fixed_source(request.user)
    context = {
        "form": form,
        "has_employers": employers.exists(),
        "source_label": label("referral_source", source),
    }
    return render(request, "casework/referrals/referral_form.html", context)


def _after_sending(user) -> str:
    """Senders see their receipts; a counsellor, who has none (privacy.scopes), her queue."""
    if scope_for_view("casework.Referral", "receipt", user) is None and can_use(user, "triage"):
        return "casework:queue"
    return "casework:referral_sent"


@feature_required("referral_send")
def referral_sent(request):
    """The sender's referrals: number, employer, date and "Reçue" — never what followed."""
    receipts = Referral.objects.receipts_visible_by(request.user).order_by("-received_at", "-pk")
    page = Paginator(receipts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/referrals/referral_sent.html", {"page": page})


# --- File d'attente --------------------------------------------------------------------


@feature_required("triage")
def queue(request):
    """The team's waiting referrals, oldest first: no identity, no reason (QUEUE_FIELDS)."""
    user = request.user
    rows = Referral.objects.waiting().queue_visible_by(user).order_by("received_at", "pk")
    if request.GET.get("urgence") == Urgency.URGENT:
        rows = rows.filter(urgency=Urgency.URGENT)
    if request.GET.get("attribution") == "aucune":
        rows = rows.filter(assigned_to__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [_queue_item(row) for row in page]
    if may_assign(user):
        _add_team_workers(items)
    # The ones she may open: hers, or a replaced colleague's (visible_by decides).
    mine = set(
        Referral.objects.visible_by(user)
        .filter(pk__in=[item["pk"] for item in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        item["can_open"] = item["pk"] in mine
    if items:
        # One entry for the list. The projection yields dictionaries; pk-only instances
        # give the journal its object type and ids without fetching the rows again.
        audit_log(
            actor=user,
            action=AuditAction.REFERRAL_QUEUE_LIST,
            targets=[Referral(pk=item["pk"]) for item in items],
        )
    context = {
        "page": page,
        "items": items,
        "can_take": may_take(user),
        "can_assign": may_assign(user),
        "urgent_only": request.GET.get("urgence") == Urgency.URGENT,
        "unassigned_only": request.GET.get("attribution") == "aucune",
    }
    return render(request, "casework/referrals/queue.html", context)


def _queue_item(row: dict) -> dict:
    first = row["assigned_to__user__first_name"] or ""
    last = row["assigned_to__user__last_name"] or ""
    return {
        "pk": row["pk"],
        "number": row["number"],
        "employer": row["employer__name"],
        "source": label("referral_source", row["source"]),
        "urgent": row["urgency"] == Urgency.URGENT,
        "received_at": row["received_at"],
        "waiting_days": waiting_days(row["received_at"]),
        "assigned_to": f"{first} {last}".strip(),
        "status": ReferralStatus(row["status"]).label,
    }


def _add_team_workers(items: list[dict]) -> None:
    """For the counsellor's select: the workers of each referral's employer's team."""
    teams = dict(
        Referral.objects.filter(pk__in=[item["pk"] for item in items]).values_list(
            "pk", "employer__team_id"
        )
    )
    workers: dict[int, list] = {}
    for worker in SocialWorker.objects.filter(team_id__in=set(teams.values())).select_related(
        "user"
    ):
        workers.setdefault(worker.team_id, []).append(worker)
    for item in items:
        item["workers"] = workers.get(teams.get(item["pk"]), [])


def _queue_referral(request, pk: int) -> Referral:
    """A waiting referral of the user's queue (404 otherwise), for a triage action."""
    if not Referral.objects.waiting().queue_visible_by(request.user).filter(pk=pk).exists():
        raise Http404
    return Referral.objects.select_related("employer").get(pk=pk)


@require_POST
@feature_required("casework")
def referral_take(request, pk: int):
    """A worker takes a waiting referral of her team's queue."""
    referral = _queue_referral(request, pk)
    taken = done(
        request,
        lambda: referral_services.referral_take(actor=request.user, referral=referral),
        f"Vous prenez en charge la saisine n° {referral.number}.",
    )
    if taken is None:
        return redirect("casework:queue")
    return redirect("casework:referral_detail", pk=referral.pk)


@require_POST
@feature_required("triage")
def referral_assign(request, pk: int):
    """The counsellor gives a waiting referral to a worker of the employer's team."""
    if not may_assign(request.user):
        raise PermissionDenied
    referral = _queue_referral(request, pk)
    workers = SocialWorker.objects.filter(team_id=referral.employer.team_id)
    form = AssignForm(request.POST, workers=workers.select_related("user"))
    if not form.is_valid():
        messages.error(
            request,
            f"Saisine n° {referral.number} non attribuée : "
            "choisissez une ASS de l'équipe qui sert cet employeur.",
        )
        return redirect("casework:queue")
    worker = form.cleaned_data["worker"]
    done(
        request,
        lambda: referral_services.referral_assign(
            actor=request.user, referral=referral, worker=worker
        ),
        f"Saisine n° {referral.number} attribuée à {worker.user.full_name}.",
    )
    return redirect("casework:queue")


# --- Saisine: first assessment, consent, case opening -----------------------------------


def _own_referral(request, pk: int) -> Referral:
    """A referral held by the user (or by the colleague she replaces today), else 404."""
    referrals = Referral.objects.select_related("employer", "assigned_to__user")
    return visible_or_404(referrals, request.user, pk=pk)


def _identity_employers(user, referral: Referral):
    return (
        Employer.objects.visible_by(user) | Employer.objects.filter(pk=referral.employer_id)
    ).order_by("name", "pk")


def _replacement_of(user, referral: Referral) -> Replacement | None:
    """The replacement through which the user reads this referral, if she is not in charge."""
    if referral.assigned_to is None or referral.assigned_to.user_id == user.pk:
        return None
    today = timezone.localdate()
    replacements = Replacement.objects.visible_by(user).active_on(today)
    return replacements.filter(absent=referral.assigned_to, replacing__user=user).first()


@feature_required("casework")
def referral_detail(request, pk: int):
    return _render_detail(request, _own_referral(request, pk))


@require_POST
@feature_required("casework")
def referral_assess(request, pk: int):
    """Record the first assessment; the employee is matched silently (no message differs)."""
    referral = _own_referral(request, pk)
    form = FirstAssessmentForm(request.POST, employers=_identity_employers(request.user, referral))
    if saved(
        request,
        form,
        lambda data: referral_services.first_assessment_record(
            actor=request.user,
            referral=referral,
            assessed_on=data["assessed_on"],
            outcome=data["outcome"],
            notes=data["notes"],
            employee=form.employee_data(),
        ),
        "Évaluation téléphonique enregistrée.",
    ):
        return redirect("casework:referral_detail", pk=referral.pk)
    return _render_detail(request, referral, assessment_form=form)


@require_POST
@feature_required("casework")
def referral_consent(request, pk: int):
    """Record the employee's consent (adhésion) to the approach (the service says when)."""
    referral = _own_referral(request, pk)
    form = ConsentRecordForm(request.POST)
    if saved(
        request,
        form,
        lambda data: referral_services.consent_record(
            actor=request.user,
            employee=referral.employee,
            referral=referral,
            **data,
        ),
        "Adhésion de l'agent enregistrée.",
    ):
        return redirect("casework:referral_detail", pk=referral.pk)
    return _render_detail(request, referral, consent_form=form)


@require_POST
@feature_required("casework")
def referral_case_open(request, pk: int):
    """Open the case; refused, with the reason beside the form, without active consent."""
    referral = _own_referral(request, pk)
    form = CaseOpenForm(request.POST)
    done = saved(
        request,
        form,
        lambda data: case_services.case_open(
            actor=request.user,
            employee=referral.employee,
            consent=_active_consent(request.user, referral),
            referral=referral,
            # The case stays with the worker the referral is assigned to (her replacement
            # may open it during her absence), as the first assessment does.
            worker=referral.assigned_to,
            **data,
        ),
    )
    if not done:
        return _render_detail(request, referral, case_form=form)
    messages.success(request, f"Dossier n° {done.result.number} ouvert.")
    return redirect("casework:case_detail", pk=done.result.pk)


def _state(user, referral: Referral) -> dict:
    """Where the referral stands: assessment, active consent, case (all visible_by)."""
    assessment = FirstAssessment.objects.visible_by(user).filter(referral=referral).first()
    return {
        "assessment": assessment,
        "opens_case": referral_services.assessment_opens_case(assessment) if assessment else False,
        "consent": _active_consent(user, referral),
        "case": Case.objects.visible_by(user).filter(referral=referral).first(),
    }


def _active_consent(user, referral: Referral) -> Consent | None:
    """Only a consent recorded on this referral: one given earlier to a colleague (silent
    matching) must neither show nor serve."""
    return Consent.objects.visible_by(user).filter(referral=referral).active().first()


def _render_detail(
    request, referral: Referral, *, assessment_form=None, consent_form=None, case_form=None
):
    user = request.user
    replacement = _replacement_of(user, referral)
    audit_log(
        actor=user,
        action=AuditAction.REFERRAL_READ,
        target=referral,
        subject=referral,
    )
    state = _state(user, referral)
    today = timezone.localdate()
    if assessment_form is None:
        assessment_form = FirstAssessmentForm(
            employers=_identity_employers(user, referral),
            initial={
                "assessed_on": today,
                "last_name": referral.person_last_name,
                "first_name": referral.person_first_name,
                "employer": referral.employer_id,
            },
        )
    consent = state["consent"]
    context = {
        "referral": referral,
        "replacement": replacement,
        "waiting_days": waiting_days(referral.received_at),
        **state,
        "outcome_label": AssessmentOutcome(state["assessment"].outcome).label
        if state["assessment"]
        else "",
        "consent_scope": [ConsentScope(code).label for code in consent.scope] if consent else [],
        "assessment_form": assessment_form,
        "consent_form": consent_form or ConsentRecordForm(initial={"given_on": today}),
        "case_form": case_form or CaseOpenForm(initial={"opened_on": today}),
        "no_consent": rules.NO_CONSENT,
        "may_mark_spam": may_mark_spam(user, referral),
    }
    return render(request, "casework/referrals/referral_detail.html", context)
