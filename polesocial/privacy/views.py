import csv

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from polesocial.privacy.access import visible_or_404
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required
from polesocial.privacy.models import ArchivistGrant, AuditEntry
from polesocial.privacy.services import ARCHIVIST_ROLES, archivist_grant
from polesocial.privacy.services import archivist_revoke as archivist_revoke_service
from polesocial.users.enums import Role
from polesocial.users.models import User

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


class ArchivistGrantForm(DsfrBaseForm):
    user = forms.ModelChoiceField(
        label="Personne à habiliter",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choisissez la personne à habiliter.",
            "invalid_choice": "Cette personne ne peut pas être habilitée à l'archive.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff accounts, not case data: the DPO picks among active workers and counsellors
        # who hold no authorisation yet.
        self.fields["user"].queryset = (
            User.objects.filter(role__in=ARCHIVIST_ROLES, is_active=True)
            .exclude(pk__in=ArchivistGrant.objects.active().values("user_id"))
            .order_by("last_name", "first_name", "pk")
        )


@feature_required("archivists")
def archivist_list(request):
    """Who may open the archive (in force, then withdrawn), and the form to authorise one."""
    form = ArchivistGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            archivist_grant(actor=request.user, user=form.cleaned_data["user"])
        except ValidationError as error:
            form.add_error("user", error)
        else:
            messages.success(request, "Habilitation à l'archive enregistrée.")
            return redirect("privacy:archivist_list")
    grants = (
        ArchivistGrant.objects.visible_by(request.user)
        .select_related("user", "granted_by", "revoked_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "-granted_at")
    )
    return render(request, "privacy/archivists.html", {"form": form, "grants": grants})


@require_POST
@feature_required("archivists")
def archivist_revoke(request, pk: int):
    grant = visible_or_404(ArchivistGrant, request.user, pk=pk)
    try:
        archivist_revoke_service(actor=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Habilitation à l'archive retirée.")
    return redirect("privacy:archivist_list")
