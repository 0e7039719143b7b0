"""The administrator's screens: the operator's identity, teams, social workers' records
and counsellors' interims (the last two shared with the counsellor for her own teams)."""

from django.contrib import messages
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from polesocial.core.forms import saved
from polesocial.organisations import services
from polesocial.organisations.forms import (
    CounsellorInterimForm,
    LabelOverrideForm,
    OperatorBillingForm,
    OperatorForm,
    SocialWorkerForm,
    TeamCloseForm,
    TeamForm,
)
from polesocial.organisations.models import CounsellorInterim, SocialWorker, Team
from polesocial.privacy.access import rows_for
from polesocial.privacy.features import feature_required
from polesocial.users.enums import Role


def _form_page(request, form, title: str, cancel: str, intro: str = ""):
    context = {"form": form, "title": title, "cancel": cancel, "intro": intro}
    return render(request, "organisations/admin_form.html", context)


@feature_required("organisation_admin")
def operator_edit(request):
    """The operator's identity; on an empty installation, its first recording."""
    operator = services.operator_current()
    form = OperatorForm(request.POST or None, request.FILES or None, instance=operator)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.operator_save(actor=request.user, **data),
        "Opérateur enregistré.",
    ):
        return redirect("organisations:team_admin_list")
    intro = (
        ""
        if operator
        else "Première mise en service : enregistrez l'opérateur avant de créer ses équipes."
    )
    return _form_page(request, form, "Opérateur", "core:home", intro)


@feature_required("operator_billing")
def operator_billing(request):
    """The billing officer's part of the operator: what every invoice carries."""
    operator = services.operator_current()
    if operator is None:
        messages.error(request, services.NO_OPERATOR)
        return redirect("billing:invoice_list")
    form = OperatorBillingForm(request.POST or None, instance=operator)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.operator_billing_save(actor=request.user, **data),
        "Mentions de facturation enregistrées ; elles figureront sur les prochaines factures.",
    ):
        return redirect("organisations:operator_billing")
    return _form_page(
        request,
        form,
        "Mentions de facturation",
        "billing:invoice_list",
        "Coordonnées bancaires, conditions de paiement et mentions légales imprimées sur les "
        "factures émises à partir de maintenant (une facture émise garde les siennes).",
    )


@feature_required("organisation_admin")
def team_admin_list(request):
    """Teams with their leads, employers and workers, for the administrator to set up."""
    teams = Team.objects.select_related("counsellor", "deputy").prefetch_related(
        "workers__user", "employers"
    )
    unattached = SocialWorkerForm().fields["user"].queryset
    context = {
        "operator": services.operator_current(),
        # Open teams first, on every database (NULL sorts last on PostgreSQL).
        "teams": teams.order_by(F("closed_on").asc(nulls_first=True), "name", "pk"),
        "unattached": unattached,
    }
    return render(request, "organisations/team_admin_list.html", context)


@feature_required("organisation_admin")
def team_create(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.team_create(actor=request.user, **data),
        lambda data: f"Équipe « {data['name']} » créée.",
    ):
        return redirect("organisations:team_admin_list")
    return _form_page(request, form, "Nouvelle équipe", "organisations:team_admin_list")


def _open_team_or_404(pk: int) -> Team:
    # Teams are not scoped rows: the feature decides (as on the counsellor's team list).
    return get_object_or_404(Team, pk=pk, closed_on__isnull=True)


@feature_required("organisation_admin")
def team_update(request, pk: int):
    team = _open_team_or_404(pk)
    initial = {
        "name": team.name,
        "counsellor": team.counsellor,
        "deputy": team.deputy,
        "employers": list(team.employers.all()),
    }
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.team_update(actor=request.user, team=team, **data),
        "Équipe modifiée.",
    ):
        return redirect("organisations:team_admin_list")
    return _form_page(
        request, form, f"Modifier l'équipe {team.name}", "organisations:team_admin_list"
    )


@feature_required("organisation_admin")
def team_close(request, pk: int):
    """Close an emptied team; what stands in the way is said before anything is asked."""
    team = _open_team_or_404(pk)
    form = TeamCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.team_close(actor=request.user, team=team, on=data["closed_on"]),
        f"Équipe « {team.name} » fermée.",
    ):
        return redirect("organisations:team_admin_list")
    refusal = services.team_close_refusal(team, timezone.localdate())
    return _form_page(
        request,
        form,
        f"Fermer l'équipe {team.name}",
        "organisations:team_admin_list",
        refusal or "Une équipe fermée n'est plus proposée nulle part ; son historique reste.",
    )


@feature_required("organisation_admin")
def social_worker_create(request):
    """Attach a social worker's account to a team, with her working time."""
    form = SocialWorkerForm(request.POST or None)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.social_worker_create(actor=request.user, **data),
        lambda data: f"{data['user'].full_name} est rattachée à l'équipe {data['team']}.",
    ):
        return redirect("organisations:team_admin_list")
    return _form_page(
        request, form, "Rattacher une ASS à une équipe", "organisations:team_admin_list"
    )


@feature_required("team_workers")
def social_worker_update(request, pk: int):
    """A worker's working time, dates and team: the administrator's for every team, a
    counsellor's for the teams she leads (404 for another team's worker)."""
    teams = rows_for("managed", Team, request.user)
    worker = get_object_or_404(
        SocialWorker.objects.visible_by(request.user)
        .filter(team__in=teams)
        .select_related("user", "team"),
        pk=pk,
    )
    initial = {name: getattr(worker, name) for name in ("team", "fte", "starts_on", "ends_on")}
    form = SocialWorkerForm(request.POST or None, worker=worker, teams=teams, initial=initial)
    back = (
        "organisations:team_admin_list"
        if request.user.role == Role.ADMIN
        else "organisations:team_list"
    )
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.social_worker_update(actor=request.user, worker=worker, **data),
        "Fiche de l'ASS modifiée.",
    ):
        return redirect(back)
    return _form_page(request, form, f"Fiche de {worker.user.full_name}", back)


@feature_required("interims")
def interim_list(request):
    """A counsellor's interims: the administrator names any team's, a counsellor those of
    the teams she leads in her own right (privacy.scopes; the service refuses the others).
    The list shows the interims of those teams, and those she holds herself."""
    user = request.user
    teams = rows_for("interims", Team, user)
    form = CounsellorInterimForm(request.POST or None, teams=teams)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.counsellor_interim_create(actor=user, **data),
        "Intérim enregistré ; la conseillère ou le conseiller désigné est prévenu.",
    ):
        return redirect("organisations:interim_list")
    interims = (
        CounsellorInterim.objects.visible_by(user)
        .filter(Q(team__in=teams) | Q(interim=user))
        .select_related("team", "absent", "interim")
    )
    context = {"form": form, "interims": interims, "today": timezone.localdate()}
    return render(request, "organisations/interim_list.html", context)


@feature_required("organisation_admin")
def label_list(request):
    """The operator's own labels for the product's fixed codes (the codes stay, so that
    statistics remain comparable between operators)."""
    from polesocial.organisations.labels import overrides

    form = LabelOverrideForm(request.POST or None, current=overrides())
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.label_overrides_save(actor=request.user, labels=form.labels()),
        "Libellés enregistrés ; ils s'affichent désormais partout à la place de ceux du produit.",
    ):
        return redirect("organisations:label_list")
    return render(request, "organisations/label_list.html", {"form": form})
