import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polesocial.core.forms import saved
from polesocial.organisations import rules, services
from polesocial.organisations.enums import ConventionStatus, EmployerKind
from polesocial.organisations.forms import EmployerForm, HeadcountForm
from polesocial.organisations.models import (
    Convention,
    Employer,
    FteShare,
    Headcount,
    Operator,
    Team,
)
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import can_use, feature_required


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _latest_convention(employer: Employer) -> Convention | None:
    conventions = list(employer.conventions.all())
    return conventions[0] if conventions else None


@feature_required("organisations_read")
def employer_list(request):
    """Employers with their convention status, renewal date and latest headcount."""
    employers = Employer.objects.visible_by(request.user).select_related("team")
    employers = employers.prefetch_related(
        "headcounts",
        Prefetch("conventions", queryset=Convention.objects.order_by("-starts_on", "-pk")),
    )
    query = request.GET
    if query.get("q"):
        employers = employers.filter(name__icontains=query["q"].strip())
    if query.get("nature") in EmployerKind.values:
        employers = employers.filter(kind=query["nature"])
    team = query.get("equipe", "")
    if team.isdecimal() and len(team) < 20:  # int() refuses "²" (a digit) and 5,000 digits
        employers = employers.filter(team_id=int(team))
    if query.get("statut") in ConventionStatus.values:
        with_status = Convention.objects.filter(employer=OuterRef("pk"), status=query["statut"])
        employers = employers.filter(Exists(with_status))
    page = Paginator(employers.order_by("name", "pk"), 25).get_page(query.get("page"))
    today = _today()
    rows = []
    for employer in page:
        convention = _latest_convention(employer)
        headcounts = sorted(employer.headcounts.all(), key=lambda h: -h.year)
        rows.append(
            {
                "employer": employer,
                "convention": convention,
                "renewal": convention and rules.next_renewal_date(convention, today),
                "term_end": convention and rules.current_term_end(convention, today),
                "headcount": headcounts[0] if headcounts else None,
            }
        )
    context = {
        "page": page,
        "rows": rows,
        "kinds": EmployerKind.choices,
        "statuses": ConventionStatus.choices,
        "teams": Team.objects.all(),
        "query": query,
        "can_manage": can_use(request.user, "organisations_manage"),
    }
    return render(request, "organisations/employer_list.html", context)


@feature_required("organisations_manage")
def employer_create(request):
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and (
        done := saved(
            request,
            form,
            lambda data: services.employer_create(
                actor=request.user,
                operator=Operator.objects.order_by("pk").first(),
                **_employer_fields(data),
            ),
        )
    ):
        employer = done.result
        employer.accounts.set(form.cleaned_data["accounts"])
        messages.success(request, f"Employeur « {employer} » créé.")
        return redirect("organisations:employer_detail", pk=employer.pk)
    return render(
        request, "organisations/employer_form.html", {"form": form, "title": "Nouvel employeur"}
    )


def _employer_fields(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "accounts"}


@feature_required("organisations_manage")
def employer_update(request, pk: int):
    employer = visible_or_404(Employer, request.user, pk=pk)
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.employer_update(
            actor=request.user, employer=employer, **_employer_fields(data)
        ),
        "Employeur enregistré.",
    ):
        employer.accounts.set(form.cleaned_data["accounts"])
        return redirect("organisations:employer_detail", pk=employer.pk)
    context = {"form": form, "title": f"Modifier {employer}", "employer": employer}
    return render(request, "organisations/employer_form.html", context)


@feature_required("organisations_read")
def employer_detail(request, pk: int):
    employer = visible_or_404(Employer.objects.select_related("team"), request.user, pk=pk)
    today = _today()
    conventions = [
        {"convention": c, "term_end": rules.current_term_end(c, today)}
        for c in Convention.objects.visible_by(request.user)
        .filter(employer=employer)
        .order_by("-starts_on", "-pk")
    ]
    context = {
        "employer": employer,
        "conventions": conventions,
        "headcounts": Headcount.objects.visible_by(request.user)
        .filter(employer=employer)
        .order_by("-year"),
        "fte_shares": FteShare.objects.visible_by(request.user)
        .filter(employer=employer)
        .select_related("worker__user")
        .order_by("-year"),
        "headcount_form": HeadcountForm(initial={"year": today.year}),
        "can_manage": can_use(request.user, "organisations_manage"),
    }
    return render(request, "organisations/employer_detail.html", context)


@require_POST
@feature_required("organisations_manage")
def headcount_set(request, pk: int):
    employer = visible_or_404(Employer, request.user, pk=pk)
    form = HeadcountForm(request.POST)
    if not saved(
        request,
        form,
        lambda data: services.headcount_set(actor=request.user, employer=employer, **data),
        lambda data: f"Effectif {data['year']} enregistré.",
    ):
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"Effectif non enregistré : {errors}")
    return redirect("organisations:employer_detail", pk=employer.pk)
