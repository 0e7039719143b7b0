"""The archive (retention): archived cases, for the people the DPO authorised only.

A case leaves the active base two years after the last contact with the employee
(services.retention) and nobody holds it any more. An `archivist` (a worker or counsellor
the DPO authorised, privacy.services.archivist_grant) lists archived cases by number and
dates, never content, and opens one read-only after typing a motive; the opening and its
motive go to the journal. Anyone else gets 404 on every page here, as for an absent case.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from dsfr.forms import DsfrBaseForm

from polesocial.casework.models import Case
from polesocial.core.text import normalise
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required
from polesocial.privacy.names import mentions_a_name

MOTIVE_MIN_LENGTH = 20
ARCHIVE_PER_PAGE = 50


class ArchiveMotiveForm(DsfrBaseForm):
    motive = forms.CharField(
        label="Motif de l'ouverture",
        help_text=(
            f"Au moins {MOTIVE_MIN_LENGTH} caractères, inscrits au journal d'audit : par exemple "
            "« réponse à une demande de droit d'accès reçue le 02/12/2026 ». "
            "N'y écrivez pas le nom de l'agent."
        ),
        min_length=MOTIVE_MIN_LENGTH,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "min_length": f"Précisez le motif : au moins {MOTIVE_MIN_LENGTH} caractères.",
            "max_length": "Le motif tient en 500 caractères au plus.",
            "required": "Le motif est obligatoire pour ouvrir un dossier archivé.",
        },
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_motive(self) -> str:
        motive = " ".join(self.cleaned_data["motive"].split())
        if len(motive) < MOTIVE_MIN_LENGTH:
            raise forms.ValidationError(
                f"Précisez le motif : au moins {MOTIVE_MIN_LENGTH} caractères."
            )
        # The journal holds no nominative text (it is never anonymised): refuse the name.
        person = self.case.person
        first, last = normalise(person.first_name), normalise(person.last_name)
        names = frozenset({f"{first} {last}", f"{last} {first}"}) if first and last else frozenset()
        if mentions_a_name([motive], names) or (last and f" {last} " in f" {normalise(motive)} "):
            raise forms.ValidationError(
                "Le motif est inscrit au journal d'audit : n'y écrivez pas le nom de l'agent."
            )
        return motive


def _archive(request):
    """The archived cases the user may open; 404 for anyone without the authorisation."""
    cases = Case.objects.archive_visible_by(request.user)
    if not cases.query.is_empty():
        return cases
    raise Http404


# Out of the authorisation, every page here answers as an absent case does.
archive_view = feature_required("archive", absent_when_denied=True)


@archive_view
def archive_list(request):
    """Archived cases by number and dates (no content), one journal entry per page."""
    cases = _archive(request).select_related("snapshot_employer", "worker")
    cases = cases.order_by("-archived_on", "pk")
    page = Paginator(cases, ARCHIVE_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if shown:
        audit_log(actor=request.user, action=AuditAction.ARCHIVE_LIST, targets=shown)
    return render(request, "casework/archive/list.html", {"page": page, "cases": shown})


@archive_view
def archive_open(request, pk: int):
    """GET: the motive form. POST with a valid motive: the case, read-only, journaled with
    the motive. The content is shown in the answer to that POST only: each opening is one
    motive and one journal entry, never a page that can be reloaded without them."""
    case = get_object_or_404(_archive(request).select_related("snapshot_employer"), pk=pk)
    form = ArchiveMotiveForm(request.POST or None, case=case)
    if request.method != "POST" or not form.is_valid():
        return render(request, "casework/archive/motive.html", {"case": case, "form": form})
    audit_log(
        actor=request.user,
        action=AuditAction.ARCHIVE_OPEN,
        target=case,
        subject=case,
        detail={"motive": form.cleaned_data["motive"]},
    )
    context = {
        "case": case,
        "person": case.person,
        "motive": form.cleaned_data["motive"],
        "interviews": case.interviews.order_by("occurred_on", "pk"),
        "objectives": case.objectives.prefetch_related("actions").order_by("pk"),
        "orientations": case.orientations.select_related("partner").order_by("oriented_on"),
        "closures": case.closures.order_by("closed_on"),
        "domains": case.domains.all(),
    }
    return render(request, "casework/archive/case.html", context)
