"""The directory of partners: organisations, not people, so no journal entry on reads."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from polesocial.core.forms import saved
from polesocial.directory import services
from polesocial.directory.enums import PartnerKind
from polesocial.directory.forms import PartnerForm
from polesocial.directory.models import Partner
from polesocial.privacy.features import feature_required

PAGE_SIZE = 25


def filtered_partners(query) -> tuple:
    """Partners matching the list's filters: nature, text (name or area), inactive too."""
    partners = Partner.objects.all()
    if query.get("nature") in PartnerKind.values:
        partners = partners.filter(kind=query["nature"])
    text = query.get("q", "").strip()
    if text:
        partners = partners.filter(Q(name__icontains=text) | Q(area__icontains=text))
    if not query.get("inactifs"):
        partners = partners.active()
    return partners.order_by("name", "pk")


@feature_required("directory")
def partner_list(request):
    page = Paginator(filtered_partners(request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": PartnerKind.choices, "query": request.GET}
    return render(request, "directory/partner_list.html", context)


@feature_required("directory")
def partner_create(request):
    form = PartnerForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and (
        done := saved(
            request, form, lambda data: services.partner_create(actor=request.user, **data)
        )
    ):
        messages.success(request, f"Partenaire « {done.result} » ajouté à l'annuaire.")
        return redirect("directory:partner_list")
    context = {"form": form, "title": "Nouveau partenaire"}
    return render(request, "directory/partner_form.html", context)


@feature_required("directory")
def partner_update(request, pk: int):
    partner = get_object_or_404(Partner, pk=pk)
    # Before validation: a bound model form writes the submitted values onto the instance.
    title = f"Modifier {partner}"
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.partner_update(actor=request.user, partner=partner, **data),
        # Said after the write: the name may have changed.
        lambda data: f"Partenaire « {partner} » enregistré.",
    ):
        return redirect("directory:partner_list")
    context = {"form": form, "title": title, "partner": partner}
    return render(request, "directory/partner_form.html", context)
