"""The case page (dossier): list, Situation tab, its actions, and the history tab.

Every case is fetched through `Case.objects.visible_by(request.user)`: the worker in charge
and her active replacement read it, everyone else gets 404. Every page that shows case
content writes one audit entry; writes are journaled by the services.
The other tabs (interviews, plan, orientations, documents) are in `case_records`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.casework import permissions
from polesocial.casework.enums import CaseStatus, ConsentScope
from polesocial.casework.forms.cases import (
    CaseCloseForm,
    CaseReopenForm,
    CaseTransferForm,
    CaseUpdateForm,
    ConsentWithdrawForm,
    IdentityCorrectForm,
)
from polesocial.casework.models import Case, CaseClosure, Consent, Employee
from polesocial.casework.services import cases as case_services
from polesocial.casework.services import identity as identity_services
from polesocial.casework.services import referrals as referral_services
from polesocial.core.forms import saved
from polesocial.organisations.models import Replacement, SocialWorker
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log, subject_key
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required
from polesocial.privacy.models import AuditEntry

# (key, French label, URL name): the tabs of the case page, in this order.
TABS = [
    ("situation", "Situation", "casework:case_detail"),
    ("interviews", "Entretiens", "casework:case_interviews"),
    ("plan", "Plan d'accompagnement", "casework:case_plan"),
    ("orientations", "Orientations", "casework:case_orientations"),
    ("documents", "Documents", "casework:case_documents"),
    ("mobility", "Mobilité", "casework:case_mobility"),
    ("aid", "Aides", "aid:case_aid"),
    ("history", "Historique", "casework:case_history"),
]

HISTORY_PER_PAGE = 25
CASES_PER_PAGE = 50


# A page about one case: a role without case work (counsellor, secretary, HR contact…) gets
# the very answer an absent case gets (ARCHITECTURE §3: out of scope is 404, whatever the
# role); `visible_by` gives those roles no row anyway.
case_view = feature_required("casework", absent_when_denied=True)


def get_case(request, pk: int) -> Case:
    queryset = Case.objects.select_related(
        "employee__employer", "worker__user", "consent", "snapshot_employer"
    )
    return visible_or_404(queryset, request.user, pk=pk)


def log_read(request, case: Case, action: AuditAction, *, targets=None, detail=None) -> None:
    """One journal entry for one page showing `case` content (`targets`: the rows shown)."""
    audit_log(
        actor=request.user,
        action=action,
        target=case if targets is None else None,
        targets=targets,
        subject=case,
        detail=detail,
    )


def active_replacement(request, case: Case) -> Replacement | None:
    """The replacement through which the user reads `case` today, if she is not in charge."""
    if not permissions.reads_as_replacement(request.user, case):
        return None
    return (
        Replacement.objects.visible_by(request.user)
        .active_on(timezone.localdate())
        .filter(absent_id=case.worker_id, replacing__user=request.user)
        .select_related("absent__user")
        .order_by("-ends_on")
        .first()
    )


def write_refusal(case: Case) -> str:
    """Why nothing can be added to the case now (closed, consent withdrawn), or ""."""
    try:
        case_services.check_case_writable(case)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def case_context(request, case: Case, tab: str) -> dict:
    """What every tab shows: the header, the replacement banner and the tab links."""
    return {
        "case": case,
        "tab": tab,
        "tabs": [
            {"label": label, "url": reverse(name, args=[case.pk]), "current": key == tab}
            for key, label, name in TABS
        ],
        "replacement": active_replacement(request, case),
        "today": timezone.localdate(),
    }


@feature_required("casework")
def case_list(request):
    """Her cases (and those of a colleague she replaces today), open ones first."""
    # `case.person` names a case recorded before cases kept their own copy from the shared
    # employee row and its employer: both come with the page's query (not one per row).
    cases = Case.objects.visible_by(request.user).select_related(
        "employee__employer", "worker__user", "snapshot_employer"
    )
    state = request.GET.get("etat", "")
    if state in CaseStatus.values:
        cases = cases.filter(status=state)
    text = request.GET.get("q", "").strip()
    if text:
        employees = Employee.objects.visible_by(request.user).search(text)
        cases = cases.filter(employee__in=employees)
    cases = cases.annotate(
        closed_last=models.Case(models.When(status=CaseStatus.OPEN, then=0), default=1)
    ).order_by("closed_last", "-opened_on", "-pk")
    # A name search reads her matching cases once, in one query (a few rows: her own), where
    # paging the query would run it twice (count, then the page).
    page = Paginator(list(cases) if text else cases, CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    audit_log(actor=request.user, action=AuditAction.CASE_LIST, targets=shown)
    replaced = permissions.replaced_today(request.user)
    context = {
        "page": page,
        "rows": [{"case": case, "replacement": case.worker_id in replaced} for case in shown],
        "states": CaseStatus.choices,
        "state": state,
        "q": text,
    }
    return render(request, "casework/case/list.html", context)


def _colleagues(request, case: Case):
    """The workers of her team she may hand the case to (not the one in charge)."""
    return (
        SocialWorker.objects.visible_by(request.user)
        .exclude(pk=case.worker_id)
        .select_related("user")
        .filter(user__is_active=True)
    )


def _situation_forms(request, case: Case) -> dict:
    today = timezone.localdate()
    forms = {"withdraw_form": None, "close_form": None, "reopen_form": None}
    if case.consent.is_active:
        forms["withdraw_form"] = ConsentWithdrawForm(
            prefix="retrait", initial={"withdrawn_on": today}
        )
    if case.status == CaseStatus.OPEN:
        forms["close_form"] = CaseCloseForm(prefix="cloture", initial={"closed_on": today})
    else:
        forms["reopen_form"] = CaseReopenForm(prefix="reouverture", initial={"reopened_on": today})
    person = case.person
    forms["identity_form"] = IdentityCorrectForm(
        prefix="identite",
        initial={
            "last_name": person.last_name,
            "first_name": person.first_name,
            "birth_date": person.birth_date,
        },
    )
    forms["transfer_form"] = (
        CaseTransferForm(prefix="transfert", workers=_colleagues(request, case))
        if permissions.can_transfer_case(request.user, case)
        else None
    )
    return forms


def _situation(request, case: Case, *, bound: dict | None = None):
    """The Situation tab; `bound` replaces a form by the one just posted, with its errors."""
    log_read(request, case, AuditAction.CASE_READ)
    scope_labels = dict(ConsentScope.choices)
    context = case_context(request, case, "situation") | {
        # The employee as this worker recorded them, never the shared (matched) row.
        "employee": case.person,
        "consent": case.consent,
        "consent_scope": [scope_labels.get(code, code) for code in case.consent.scope],
        "domains": list(case.domains.all()),
        "closures": CaseClosure.objects.visible_by(request.user)
        .filter(case=case)
        .select_related("closed_by"),
        **_situation_forms(request, case),
        **(bound or {}),
    }
    return render(request, "casework/case/situation.html", context)


@case_view
def case_detail(request, pk: int):
    """Tab Situation: the employee, the snapshot at opening, domains, assessment, consent."""
    return _situation(request, get_case(request, pk))


@case_view
def case_update(request, pk: int):
    """Domains and assessment (the assessment is shown decrypted: a read, journaled)."""
    case = get_case(request, pk)
    initial = {"domains": case.domain_codes, "assessment": case.assessment}
    form = CaseUpdateForm(request.POST or None, initial=initial, version=case.version)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: case_services.case_update(
            actor=request.user,
            case=case,
            domains=data["domains"],
            assessment=data["assessment"],
            version=data["version"],
        ),
        "Dossier modifié.",
    ):
        return redirect("casework:case_detail", pk=case.pk)
    log_read(request, case, AuditAction.CASE_READ)
    context = case_context(request, case, "situation") | {"form": form}
    return render(request, "casework/case/update.html", context)


@require_POST
@case_view
def case_close(request, pk: int):
    case = get_case(request, pk)
    form = CaseCloseForm(request.POST, prefix="cloture")
    if saved(
        request,
        form,
        lambda data: case_services.case_close(actor=request.user, case=case, **data),
        lambda data: f"Dossier clos le {data['closed_on']:%d/%m/%Y}.",
    ):
        return redirect("casework:case_detail", pk=case.pk)
    return _situation(request, case, bound={"close_form": form})


@require_POST
@case_view
def case_reopen(request, pk: int):
    case = get_case(request, pk)
    form = CaseReopenForm(request.POST, prefix="reouverture")
    if saved(
        request,
        form,
        lambda data: case_services.case_reopen(
            actor=request.user,
            case=case,
            reopened_on=data["reopened_on"],
        ),
        "Dossier rouvert.",
    ):
        return redirect("casework:case_detail", pk=case.pk)
    return _situation(request, case, bound={"reopen_form": form})


@require_POST
@case_view
def identity_correct(request, pk: int):
    """Rectification: the names and birth date corrected, the employee matched again."""
    case = get_case(request, pk)
    form = IdentityCorrectForm(request.POST, prefix="identite")
    if saved(
        request,
        form,
        lambda data: identity_services.employee_identity_correct(
            actor=request.user, case=case, **data
        ),
        "Identité de l'agent corrigée.",
    ):
        return redirect("casework:case_detail", pk=case.pk)
    return _situation(request, case, bound={"identity_form": form})


@require_POST
@case_view
def case_transfer(request, pk: int):
    case = get_case(request, pk)
    if not permissions.can_transfer_case(request.user, case):
        raise PermissionDenied
    form = CaseTransferForm(request.POST, prefix="transfert", workers=_colleagues(request, case))
    if saved(
        request,
        form,
        lambda data: case_services.case_transfer(
            actor=request.user, case=case, to_worker=data["to_worker"]
        ),
        lambda data: f"Dossier {case.number} transféré à {data['to_worker']}.",
    ):
        return redirect("casework:case_list")
    return _situation(request, case, bound={"transfer_form": form})


@require_POST
@case_view
def consent_withdraw(request, pk: int):
    case = get_case(request, pk)
    consent = visible_or_404(Consent, request.user, pk=case.consent_id)
    form = ConsentWithdrawForm(request.POST, prefix="retrait")
    if saved(
        request,
        form,
        lambda data: referral_services.consent_withdraw(
            actor=request.user, consent=consent, withdrawn_on=data["withdrawn_on"]
        ),
        "Retrait de l'adhésion enregistré.",
    ):
        return redirect("casework:case_detail", pk=case.pk)
    return _situation(request, case, bound={"withdraw_form": form})


@case_view
def case_history(request, pk: int):
    """Who read or changed the case, from the journal, newest first."""
    case = get_case(request, pk)
    log_read(request, case, AuditAction.CASE_HISTORY_READ)
    # The journal's scope table opens it to the DPO only; these rows are read here because
    # the case itself was found through visible_by (the worker in charge, her replacement).
    entries = (
        AuditEntry.objects.filter(subject=subject_key(case))
        .select_related("actor")
        .order_by("-sequence")
    )
    page = Paginator(entries, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "label": entry.action_label,
            "person": entry.actor.full_name if entry.actor else "Système",
        }
        for entry in page
    ]
    context = case_context(request, case, "history") | {
        "page": page,
        "rows": rows,
    }
    return render(request, "casework/case/history.html", context)
