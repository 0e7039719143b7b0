import csv
import datetime as dt

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from polesocial.core.forms import done
from polesocial.privacy import journal
from polesocial.privacy.access import scope_for_view, visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required
from polesocial.privacy.models import ArchivistGrant, AuditEntry
from polesocial.privacy.services import ARCHIVIST_ROLES, archivist_grant
from polesocial.privacy.services import archivist_revoke as archivist_revoke_service
from polesocial.users.enums import Role
from polesocial.users.models import User

CSV_HEADER = [
    "N°",
    "Date",
    "Auteur",
    "Rôle",
    "Action",
    "Objet",
    "Identifiants",
    "Dossier",
    "Remplacement",
]
# Flags are computed over this many days when the search gives no start date.
FLAGS_DEFAULT_DAYS = 7
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class EmployeeSearchForm(forms.Form):
    """The identity named in a request: the journal then shows that employee's entries."""

    agent_nom = forms.CharField(label="Nom de l'agent", max_length=150)
    agent_prenom = forms.CharField(label="Prénom de l'agent", max_length=150)
    agent_naissance = forms.DateField(label="Date de naissance de l'agent", widget=DATE_WIDGET)


@feature_required("audit_journal")
def audit_list(request):
    """The DPO's journal: by staff member, employee (full identity named in a request),
    file number, action and date range, each entry with its action in words, the staff
    member and the file's number; `?format=csv` downloads the entries found; flags of
    unusual patterns over the period."""
    query, user = request.GET, request.user
    entries = AuditEntry.objects.visible_by(user).select_related("actor")
    dates, errors = _date_range(query)
    entries = entries.filter(**dates)
    period = (
        entries
        if "created_at__date__gte" in dates
        else entries.filter(
            created_at__date__gte=timezone.localdate() - dt.timedelta(days=FLAGS_DEFAULT_DAYS)
        )
    )
    entries, notices = _narrowed(request, entries, errors)
    entries = entries.order_by("-pk")
    if query.get("format") == "csv":
        return _csv(user, entries)
    page = Paginator(entries, 50).get_page(query.get("page"))
    numbers = journal.file_numbers(user, page)
    for entry in page:
        entry.role_label, entry.object_label = _role(entry), _object(entry)
        entry.files = _files(entry, numbers)
    staff = _staff(user)
    flags = journal.unusual_patterns(period)
    names = {u.pk: u for u in staff}
    for flag in flags:
        flag.actor = names.get(flag.actor_id)
    context = {
        "page": page,
        "query": query,
        "actions": AuditAction.choices,
        "staff": staff,
        "errors": errors,
        "notices": notices,
        "flags": flags,
        "flags_from": None if "created_at__date__gte" in dates else FLAGS_DEFAULT_DAYS,
    }
    return render(request, "privacy/audit_list.html", context)


def _staff(user) -> list:
    """Every account, for the staff member filter (through the journal's scope)."""
    rule = scope_for_view("users.User", "journal", user)
    if rule is None:
        return []
    return list(rule(User.objects.all(), user).order_by("last_name", "first_name", "pk"))


def _narrowed(request, entries, errors: dict):
    """`entries` narrowed by the search's staff member, action, object type, file number and
    employee identity; the notices to show (a number or an identity that matches nothing)."""
    query, notices = request.GET, []
    staff = query.get("utilisateur", "").strip()
    if staff:
        if staff.isdigit():
            entries = entries.filter(actor_id=int(staff))
        else:
            errors["utilisateur"] = "Choisissez une personne dans la liste."
    text = query.get("acteur", "").strip()
    if text:
        entries = entries.filter(
            Q(actor__email__icontains=text)
            | Q(actor__last_name__icontains=text)
            | Q(actor__first_name__icontains=text)
        )
    for param, lookup in (("action", "action__startswith"), ("objet", "object_type")):
        value = query.get(param, "").strip()
        if value:
            entries = entries.filter(**{lookup: value})
    number = query.get("dossier", "").strip()
    if number:
        files = _file_by_number(request.user, number)
        if not files:
            notices.append(f"Aucun dossier ni saisine ne porte le numéro « {number} ».")
        entries = journal.entries_about(entries, files)
    if any(query.get(name, "").strip() for name in EmployeeSearchForm.base_fields):
        entries = _about_employee(request, entries, errors, notices)
    return entries, notices


def _file_by_number(user, number: str) -> dict[str, list]:
    files = {}
    for label in journal.FILE_MODELS:
        rule = scope_for_view(label, "journal", user)
        if rule is not None:
            model = apps.get_model(label)
            pks = list(
                rule(model.objects.all(), user).filter(number=number).values_list("pk", flat=True)
            )
            if pks:
                files[label] = pks
    return files


def _about_employee(request, entries, errors: dict, notices: list):
    """The entries about the employee of the full identity typed (blind index, as for a
    subject-access request): the search is journaled, found or not, with the id only."""
    form = EmployeeSearchForm(request.GET)
    if not form.is_valid():
        for name, messages_ in form.errors.items():
            errors[name] = " ".join(str(message) for message in messages_)
        return entries
    data = form.cleaned_data
    employee_model = apps.get_model("casework.Employee")
    employee = (
        employee_model.objects.subject_access_visible_by(request.user)
        .matching(data["agent_nom"], data["agent_prenom"], data["agent_naissance"])
        .first()
    )
    audit_log(
        actor=request.user,
        action=AuditAction.SUBJECT_SEARCH,
        target=employee,
        detail={"found": employee is not None, "screen": "journal"},
    )
    if employee is None:
        notices.append("Aucune donnée n'est détenue sur une personne de cette identité.")
        return entries.none()
    return journal.entries_about(entries, journal.employee_files(employee))


def _files(entry: AuditEntry, numbers: dict) -> list[str]:
    return [numbers[key] for key in journal.concerned_files(entry) if key in numbers]


def _actor(entry: AuditEntry) -> str:
    if entry.actor is None:
        return "système"
    name = entry.actor.full_name
    return f"{name} ({entry.actor.email})" if name else entry.actor.email


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


def _csv(user, entries) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="journal-{stamp}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    batch: list[AuditEntry] = []
    for entry in entries.iterator(chunk_size=2000):
        batch.append(entry)
        if len(batch) == 2000:
            _csv_rows(writer, user, batch)
            batch = []
    _csv_rows(writer, user, batch)
    return response


def _csv_rows(writer, user, entries: list[AuditEntry]) -> None:
    numbers = journal.file_numbers(user, entries)
    for entry in entries:
        writer.writerow(
            [
                entry.pk,
                timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M:%S"),
                _actor(entry),
                _role(entry),
                entry.action_label,
                _object(entry),
                ", ".join(str(pk) for pk in entry.object_ids),
                ", ".join(_files(entry, numbers)),
                "oui" if entry.replacement else "non",
            ]
        )


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
    done(
        request,
        lambda: archivist_revoke_service(actor=request.user, grant=grant),
        "Habilitation à l'archive retirée.",
    )
    return redirect("privacy:archivist_list")
