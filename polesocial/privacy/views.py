import csv

from django.apps import apps
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role

CSV_HEADER = ["N°", "Date", "Auteur", "Rôle", "Action", "Objet", "Identifiants", "Remplacement"]


@feature_required("audit_journal")
def audit_list(request):
    """The DPO's journal search: by actor e-mail, action, object type and date range
    (actions, roles and objects in words); `?format=csv` downloads the entries found."""
    entries = AuditEntry.objects.visible_by(request.user).select_related("actor")
    filters = {
        "actor__email__icontains": request.GET.get("acteur", "").strip(),
        "action__startswith": request.GET.get("action", "").strip(),
        "object_type": request.GET.get("objet", "").strip(),
    }
    dates, errors = _date_range(request.GET)
    filters |= dates
    entries = entries.filter(**{k: v for k, v in filters.items() if v}).order_by("-pk")
    if request.GET.get("format") == "csv":
        return _csv(entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.role_label, entry.object_label = _role(entry), _object(entry)
    context = {
        "page": page,
        "query": request.GET,
        "actions": AuditAction.choices,
        "errors": errors,
    }
    return render(request, "privacy/audit_list.html", context)


def _date_range(query) -> tuple[dict, dict]:
    """The `du` / `au` bounds (inclusive days) and, for a date not understood, its error."""
    dates, errors = {}, {}
    for param, lookup in (("du", "created_at__date__gte"), ("au", "created_at__date__lte")):
        text = query.get(param, "").strip()
        if not text:
            continue
        try:
            day = parse_date(text)
        except ValueError:
            day = None
        if day is None:
            errors[param] = "Date invalide : utilisez le format AAAA-MM-JJ."
        else:
            dates[lookup] = day
    return dates, errors


def _role(entry: AuditEntry) -> str:
    return Role(entry.actor_role).label if entry.actor_role in Role.values else entry.actor_role


def _object(entry: AuditEntry) -> str:
    """ "dossier", "entretien"… for the stored "casework.Case": the model's own name."""
    if not entry.object_type:
        return ""
    try:
        return str(apps.get_model(entry.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return entry.object_type


def _csv(entries) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="journal-{stamp}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.pk,
                timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M:%S"),
                entry.actor.email if entry.actor else "système",
                _role(entry),
                entry.action_label,
                _object(entry),
                ", ".join(str(pk) for pk in entry.object_ids),
                "oui" if entry.replacement else "non",
            ]
        )
    return response
