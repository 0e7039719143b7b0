"""What the pages of collective work share: rows through `visible_by`, lists, rights."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from polesocial.collective.permissions import can_edit, worker_of
from polesocial.organisations.models import Employer, SocialWorker
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import can_use
from polesocial.users.enums import Role

PAGE_SIZE = 25


def editable_or_403(request, model, pk: int):
    """A record she reads and may change (hers, or a colleague's she replaces): 403 when
    she reads it but may not change it (her team's), 404 when she may not read it."""
    record = visible_or_404(model.objects.with_related(), request.user, pk=pk)
    if not can_edit(request.user, record):
        raise PermissionDenied
    return record


def recording_worker(request) -> SocialWorker:
    """The signed-in social worker's record (team, time); an account without one may not
    record collective work (403)."""
    worker = worker_of(request.user)
    if worker is None:
        raise PermissionDenied
    return worker


def employer_choices(request):
    """The employers she may record work for: her team's (scope table)."""
    return Employer.objects.visible_by(request.user).order_by("name", "pk")


def filtered_page(request, queryset, form_class, *, filters: dict[str, str]):
    """The list page: the filter form over the user's rows, and the page of rows asked for.

    `filters` maps the form's fields to queryset lookups (the year is the queryset's).
    """
    years = sorted({day.year for day in queryset.dates(queryset.date_field, "year")}, reverse=True)
    form = form_class(
        request.GET or None,
        employers=Employer.objects.visible_by(request.user).order_by("name", "pk"),
        years=years,
    )
    if form.is_valid():
        data = form.cleaned_data
        if data.get("annee"):
            queryset = queryset.in_year(data["annee"])
        for name, lookup in filters.items():
            if data.get(name):
                queryset = queryset.filter(**{lookup: data[name]})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return form, page


def rights(request) -> dict:
    return {
        "can_record": can_use(request.user, "collective"),
        "is_employer_contact": request.user.role == Role.EMPLOYER_CONTACT,
    }
