"""Annual report screens: the page with charts, downloads, background exports, analysis."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.core import jobs
from polesocial.core.models import JobStatus
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import can_use, feature_required
from polesocial.reports import cache, charts, exports, pooling, presentation
from polesocial.reports.access import available_scopes, report_scope
from polesocial.reports.forms import AggregatesUploadForm, ExportForm, NarrativeForm
from polesocial.reports.models import (
    Narrative,
    NarrativeSection,
    ReportExport,
    retention_days,
)
from polesocial.reports.observation import build_observation
from polesocial.reports.report import assemble, build_report, raw_figures, with_aid
from polesocial.reports.services import report_export_create
from polesocial.reports.tasks import export_report, narratives_for
from polesocial.users.enums import Role

# Who writes the analysis beside the figures: the worker for her report, the counsellor
# for her team's (and her workers'); the employer's and operator's reports carry none here.
NARRATIVE_WRITERS = {"worker": {Role.SOCIAL_WORKER, Role.COUNSELLOR}, "team": {Role.COUNSELLOR}}


def _years() -> list[int]:
    current = timezone.localdate().year
    return list(range(current, current - 6, -1))


@feature_required("reports")
def index(request):
    year = timezone.localdate().year - 1
    return render(
        request,
        "reports/index.html",
        {
            "scopes": available_scopes(request.user),
            "years": _years(),
            "default_year": year,
            "can_federate": can_use(request.user, "reports_federation"),
        },
    )


@feature_required("reports")
def report_page(request, kind: str, pk: int, year: int):
    return _render_report(request, kind, pk, year)


POOLED = "3"  # ?cumul=3: the three-year pooled report of a small employer


def _report(request, scope, year: int, controlled: bool) -> tuple[dict, dict | None]:
    """The report asked for, and the offer of the pooled one (pooling.py): `pooled` is
    {"shown": bool, "offered": bool, "first_year": int} for an employer's controlled report.
    A closed year's report is computed once and kept (cache.py)."""
    pk = scope.id or 0
    if not controlled or scope.kind != "employer":
        variant = "controlled" if controlled else "internal"
        report = cache.stored(
            scope.kind, pk, year, variant, lambda: build_report(year, scope, controlled=controlled)
        )
        return report, None
    years = pooling.period(year)
    info = {"first_year": years[0], "last_year": year, "shown": False, "offered": False}
    if request.GET.get("cumul") == POOLED:
        info["shown"] = True
        report = cache.stored(
            scope.kind, pk, year, "pooled", lambda: pooling.pooled_report(year, scope)[0]
        )
        return report, info

    def build():
        figures = raw_figures(year, scope)
        report = assemble(year, scope.as_json(), figures, controlled=True)
        offered = pooling.offers_pooled(report, figures)
        return {"report": with_aid(report, year, scope, controlled=True), "offered": offered}

    content = cache.stored(scope.kind, pk, year, "offer", build)
    info["offered"] = content["offered"]
    return content["report"], info


def _observation(scope, year: int, controlled: bool) -> dict:
    variant = "obs-controlled" if controlled else "obs-internal"
    return cache.stored(
        scope.kind,
        scope.id or 0,
        year,
        variant,
        lambda: build_observation(year, scope, controlled=controlled),
    )


def _render_report(request, kind: str, pk: int, year: int, narrative_form=None, status=200):
    scope, controlled = report_scope(request.user, kind, pk)
    report, pooled = _report(request, scope, year, controlled)
    tables = presentation.tables(report)
    charts_by_key = {
        t.key: charts.bar_chart(t.title, t.chart_rows, f"chart-{t.key.replace('.', '-')}")
        for t in tables
    }
    if narrative_form is None and request.user.role in NARRATIVE_WRITERS.get(kind, set()):
        narrative_form = NarrativeForm()
    # The pooled report carries no observation (its yearly tables would not be linked).
    observation = None
    if not (pooled and pooled["shown"]):
        observation = _observation(scope, year, controlled)
    return render(
        request,
        "reports/report.html",
        {
            "pooled": pooled,
            "report": report,
            "scope_label": presentation.SCOPE_LABELS[kind],
            "kind": kind,
            "pk": pk,
            "year": year,
            "tables": [(t, charts_by_key[t.key]) for t in tables],
            "highlights": presentation.highlights(report),
            "observation": presentation.observation_tables(observation) if observation else [],
            "definitions": presentation.DEFINITIONS,
            "narratives": narratives_for(kind, pk, year),
            "narrative_form": narrative_form,
            "export_form": ExportForm(),
        },
        status=status,
    )


@feature_required("reports")
def download(request, kind: str, pk: int, year: int, fmt: str):
    """JSON and CSV straight away (they are quick); PDF and ODS go through `export`."""
    if fmt not in ("json", "csv"):
        raise Http404
    scope, controlled = report_scope(request.user, kind, pk)
    report, pooled = _report(request, scope, year, controlled)
    observation = None
    if not (pooled and pooled["shown"]):
        observation = _observation(scope, year, controlled)
    response = HttpResponse(
        exports.render(report, fmt, observation=observation),
        content_type=exports.CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, fmt)}"'
    return response


@require_POST
@feature_required("reports")
def export(request, kind: str, pk: int, year: int):
    scope, controlled = report_scope(request.user, kind, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le format du fichier : PDF ou tableur (ODS).")
        return redirect("reports:report", kind=kind, pk=pk, year=year)
    job = report_export_create(
        actor=request.user,
        kind=kind,
        pk=pk,
        year=year,
        fmt=form.cleaned_data["format"],
        controlled=controlled,
    )
    export_report.enqueue(str(job.pk))
    return redirect("reports:export_status", pk=job.pk)


def _export_gone(request, job: ReportExport | None):
    """The page of an export whose file is no longer kept.

    A deleted export cannot be told from one that never existed or is someone else's: all
    three answer 404 (out of scope is absent); one of the reader's own that has expired but
    is not yet deleted answers 410, with a link back to its report.
    """
    return render(
        request,
        "reports/export_gone.html",
        {"job": job, "retention_days": retention_days()},
        status=404 if job is None else 410,
    )


@feature_required("reports")
def export_status(request, pk):
    job = ReportExport.objects.visible_by(request.user).filter(pk=pk).first()
    if job is None or job.is_expired():
        return _export_gone(request, job)
    return render(request, "reports/export_status.html", {"job": jobs.refreshed(job)})


@feature_required("reports")
def export_download(request, pk):
    job = ReportExport.objects.visible_by(request.user).filter(pk=pk).first()
    if job is None or job.is_expired():
        return _export_gone(request, job)
    if job.status != JobStatus.DONE:
        return redirect("reports:export_status", pk=job.pk)
    response = HttpResponse(bytes(job.content), content_type=exports.CONTENT_TYPES[job.format])
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


@require_POST
@feature_required("reports")
def narrative_save(request, kind: str, pk: int, year: int):
    report_scope(request.user, kind, pk)
    if request.user.role not in NARRATIVE_WRITERS.get(kind, set()):
        raise Http404
    form = NarrativeForm(request.POST)
    if form.is_valid() and not form.names_allowed(request.user):
        # Journaled (never the text): the DPO can see someone probing the check with names.
        audit_log(
            actor=request.user,
            action=AuditAction.REPORT_NAME_WARNING,
            detail={"kind": kind, "id": pk, "year": year},
        )
        return _render_report(request, kind, pk, year, narrative_form=form)
    if form.is_valid():
        Narrative.objects.update_or_create(
            scope_kind=kind,
            scope_id=pk,
            year=year,
            section=form.cleaned_data["section"],
            defaults={"text": form.cleaned_data["text"], "updated_by": request.user},
        )
        label = NarrativeSection(form.cleaned_data["section"]).label
        messages.success(request, f"Rubrique « {label} » enregistrée.")
    else:
        messages.error(request, "Choisissez la rubrique de l'analyse.")
    return redirect("reports:report", kind=kind, pk=pk, year=year)


@feature_required("reports_federation")
def federation(request):
    """The national adviser merges operators' aggregates files into a synthesis."""
    form = AggregatesUploadForm(request.POST or None, request.FILES or None)
    synthesis = None
    if request.method == "POST" and form.is_valid():
        synthesis = form.synthesis
        if request.POST.get("download"):
            response = HttpResponse(exports.to_json(synthesis), content_type="application/json")
            response["Content-Disposition"] = (
                f'attachment; filename="synthese-{synthesis["year"]}.json"'
            )
            return response
    tables = presentation.tables(synthesis) if synthesis else []
    return render(
        request,
        "reports/federation.html",
        {
            "form": form,
            "report": synthesis,
            "tables": [
                (t, charts.bar_chart(t.title, t.chart_rows, f"chart-{t.key.replace('.', '-')}"))
                for t in tables
            ],
            "highlights": presentation.highlights(synthesis) if synthesis else [],
        },
    )
