"""The administrator's screens: the operator's identity, teams and social workers' records."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from polesocial.core.forms import saved
from polesocial.organisations import services
from polesocial.organisations.forms import (
    OperatorBillingForm,
    OperatorForm,
    SocialWorkerForm,
    TeamForm,
)
from polesocial.organisations.models import SocialWorker, Team
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import feature_required


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
    """Teams with their leads and workers, for the administrator to set up."""
    teams = Team.objects.select_related("counsellor", "deputy").prefetch_related("workers__user")
    unattached = SocialWorkerForm().fields["user"].queryset
    context = {
        "operator": services.operator_current(),
        "teams": teams.order_by("name", "pk"),
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


@feature_required("organisation_admin")
def team_update(request, pk: int):
    # Teams are not scoped rows: the feature decides (as on the counsellor's team list).
    team = get_object_or_404(Team, pk=pk)
    initial = {"name": team.name, "counsellor": team.counsellor, "deputy": team.deputy}
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


@feature_required("organisation_admin")
def social_worker_update(request, pk: int):
    worker = visible_or_404(SocialWorker, request.user, pk=pk)
    form = SocialWorkerForm(
        request.POST or None, with_user=False, initial={"team": worker.team, "fte": worker.fte}
    )
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.social_worker_update(actor=request.user, worker=worker, **data),
        "Fiche de l'ASS modifiée.",
    ):
        return redirect("organisations:team_admin_list")
    return _form_page(
        request, form, f"Fiche de {worker.user.full_name}", "organisations:team_admin_list"
    )
