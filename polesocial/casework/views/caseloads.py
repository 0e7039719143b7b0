"""Dossiers de l'équipe: the counsellor's caseloads, as pseudonymised metadata only.

Figures and rows come from `Case.objects.metadata_visible_by` (METADATA_FIELDS) and the
queue projection: never the employee's identity, the reason or any note.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.casework.enums import CaseStatus, ReferralStatus
from polesocial.casework.forms.referrals import CaseloadTransferForm
from polesocial.casework.models import Case, CaseDomain, Referral
from polesocial.casework.services import cases as case_services
from polesocial.casework.views.referrals import PAGE_SIZE
from polesocial.core.forms import saved
from polesocial.organisations.labels import label
from polesocial.organisations.models import SocialWorker, Team
from polesocial.privacy.access import rows_for
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required


def team_workers(user):
    """The workers of the teams the user leads (privacy.scopes Team "led", today's interim
    included), the only ones she may transfer between."""
    workers = SocialWorker.objects.filter(team__in=rows_for("led", Team, user))
    return workers.select_related("user", "team").order_by("team__name", "user__last_name", "pk")


@feature_required("caseloads")
def caseloads(request):
    return _render(request, CaseloadTransferForm(workers=team_workers(request.user)))


@require_POST
@feature_required("caseloads")
def caseload_transfer(request):
    """Hand a departing worker's open cases to a colleague of the same team (confirmed)."""
    form = CaseloadTransferForm(request.POST, workers=team_workers(request.user))
    done = saved(
        request,
        form,
        lambda data: case_services.caseload_transfer(
            actor=request.user, from_worker=data["from_worker"], to_worker=data["to_worker"]
        ),
    )
    if not done:
        return _render(request, form)
    moved, plural = done.result, "s" if done.result > 1 else ""
    source, target = form.cleaned_data["from_worker"], form.cleaned_data["to_worker"]
    messages.success(
        request,
        f"{moved} dossier{plural} en cours de {source.user.full_name} transféré{plural} "
        f"à {target.user.full_name}.",
    )
    return redirect("casework:caseloads")


def _render(request, transfer_form):
    user = request.user
    workers = list(team_workers(user))
    context = {
        "worker_rows": _worker_rows(user, workers),
        "unassigned": Referral.objects.queue_visible_by(user)
        .filter(status=ReferralStatus.RECEIVED)
        .count(),
        "workers": workers,
        "transfer_form": transfer_form,
        **_case_table(request, {worker.pk for worker in workers}),
    }
    return render(request, "casework/caseloads/caseloads.html", context)


def _count_by_worker(metadata) -> dict[int, int]:
    rows = metadata.values("worker_id").annotate(total=Count("pk")).order_by()
    return {row["worker_id"]: row["total"] for row in rows}


def _worker_rows(user, workers: list[SocialWorker]) -> list[dict]:
    """Per worker: open cases, cases opened this month, referrals waiting for her."""
    month_start = timezone.localdate().replace(day=1)
    open_cases = _count_by_worker(Case.objects.open().metadata_visible_by(user))
    new_cases = _count_by_worker(
        Case.objects.filter(opened_on__gte=month_start).metadata_visible_by(user)
    )
    # The queue projection names the assigned worker, not her id: match on the name.
    waiting: dict[tuple, int] = {}
    for row in Referral.objects.filter(status=ReferralStatus.ASSIGNED).queue_visible_by(user):
        key = (row["assigned_to__user__first_name"], row["assigned_to__user__last_name"])
        waiting[key] = waiting.get(key, 0) + 1
    return [
        {
            "worker": worker,
            "open": open_cases.get(worker.pk, 0),
            "new": new_cases.get(worker.pk, 0),
            "waiting": waiting.get((worker.user.first_name, worker.user.last_name), 0),
        }
        for worker in workers
    ]


def _case_table(request, worker_ids: set[int]) -> dict:
    """A page of case metadata (number, employer, worker, domains, dates), journaled."""
    user = request.user
    metadata = Case.objects.metadata_visible_by(user).order_by("-opened_on", "-pk")
    # Compared as text: int() refuses "²" (a digit) and 5,000 digits (a 500).
    chosen = request.GET.get("ass", "")
    chosen_id = next((pk for pk in worker_ids if str(pk) == chosen), None)
    if chosen_id is not None:
        metadata = metadata.filter(worker_id=chosen_id)
    status = request.GET.get("etat", "")
    if status in CaseStatus.values:
        metadata = metadata.filter(status=status)
    page = Paginator(metadata, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    domains: dict[int, list[str]] = {}
    for case_id, code in CaseDomain.objects.filter(case_id__in=[r["pk"] for r in rows]).values_list(
        "case_id", "domain"
    ):
        domains.setdefault(case_id, []).append(label("domain", code))
    if rows:
        # One entry for the page; pk-only instances name the cases without reading them.
        audit_log(
            actor=user,
            action=AuditAction.CASE_METADATA_LIST,
            targets=[Case(pk=r["pk"]) for r in rows],
        )
    return {
        "page": page,
        "case_rows": [
            {
                **row,
                "worker": f"{row['worker__user__first_name']} {row['worker__user__last_name']}",
                "status_label": CaseStatus(row["status"]).label,
                "domains": sorted(domains.get(row["pk"], [])),
            }
            for row in rows
        ],
        "chosen_worker": chosen_id,
        "chosen_status": status,
        "statuses": CaseStatus.choices,
    }
