from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.core.forms import saved
from polesocial.organisations import rules, services
from polesocial.organisations.forms import FteShareForm, ReplacementForm
from polesocial.organisations.models import (
    Employer,
    FteShare,
    Replacement,
    SocialWorker,
    Team,
)
from polesocial.privacy.access import rows_for, visible_or_404
from polesocial.privacy.features import feature_required


@feature_required("teams_manage")
def team_list(request):
    """Teams with their workers, FTE and current replacements."""
    today = timezone.localdate()
    teams = Team.objects.open().select_related("counsellor", "deputy").prefetch_related("employers")
    workers = SocialWorker.objects.visible_by(request.user).select_related("user", "team")
    replacements = Replacement.objects.visible_by(request.user).active_on(today)
    by_team = _group(workers, lambda w: w.team_id)
    context = {
        "teams": [{"team": team, "workers": by_team.get(team.pk, [])} for team in teams],
        "replacements": replacements.select_related("absent__user", "replacing__user"),
        # The teams whose workers' records she edits (led, or held today in interim).
        "managed": set(rows_for("managed", Team, request.user).values_list("pk", flat=True)),
    }
    return render(request, "organisations/team_list.html", context)


def _group(items, key) -> dict:
    grouped = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return dict(grouped)


def _number(value: str) -> int:
    """`value` as an integer; 0 for words, "²" (a digit int() refuses) or 5,000 digits."""
    try:
        return int(value)
    except ValueError:
        return 0


def _year(request) -> int:
    year = _number(request.GET.get("annee", ""))
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@feature_required("teams_manage")
def fte_plan(request):
    """Worker × employer shares for a year, with the employer FTE and the 0.8 check."""
    year = _year(request)
    workers = list(SocialWorker.objects.visible_by(request.user).select_related("user", "team"))
    # employer_fte reads the share's worker.
    shares = FteShare.objects.visible_by(request.user).for_year(year)
    shares = shares.select_related("employer", "worker")
    by_worker = _group(shares, lambda s: s.worker_id)
    rows = []
    for worker in workers:
        worker_shares = by_worker.get(worker.pk, [])
        total = sum((s.share for s in worker_shares), Decimal("0"))
        rows.append(
            {
                "worker": worker,
                "shares": worker_shares,
                "total": total,
                "total_fte": sum((s.employer_fte for s in worker_shares), Decimal("0")),
                "management": 1 - total,
                "warning": rules.shares_warning(total),
            }
        )
    context = {
        "year": year,
        "rows": rows,
        "employers": Employer.objects.visible_by(request.user).order_by("name"),
        "form": FteShareForm(),
    }
    return render(request, "organisations/fte_plan.html", context)


@require_POST
@feature_required("teams_manage")
def fte_share_set(request):
    year = _year(request)
    worker = visible_or_404(SocialWorker, request.user, pk=_number(request.POST.get("worker", "")))
    employer = visible_or_404(Employer, request.user, pk=_number(request.POST.get("employer", "")))
    form = FteShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Part non enregistrée : saisissez un nombre entre 0,001 et 1.")
    else:
        try:
            _share, warning = services.fte_share_set(
                actor=request.user,
                worker=worker,
                employer=employer,
                year=year,
                share=form.cleaned_data["share"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Part enregistrée.")
            if warning:
                messages.warning(request, warning)
    return redirect(f"{request.path.rsplit('/', 2)[0]}/?annee={year}")


@feature_required("teams_manage")
def replacement_list(request):
    replacements = Replacement.objects.visible_by(request.user).select_related(
        "absent__user", "replacing__user"
    )
    # Within the teams she leads: a replacement opens the absent worker's cases.
    workers = SocialWorker.objects.replaceable_by(request.user).select_related("user")
    form = ReplacementForm(request.POST or None, workers=workers)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.replacement_create(actor=request.user, **data),
        "Remplacement enregistré ; la remplaçante est prévenue.",
    ):
        return redirect("organisations:replacement_list")
    context = {"replacements": replacements, "form": form, "today": timezone.localdate()}
    return render(request, "organisations/replacement_list.html", context)
