"""Background exports (django-tasks): long reports are built outside the request.

The status page (views.export_status) refreshes itself with a meta refresh until done.
"""

from __future__ import annotations

from django_tasks import task

from polesocial.core.models import JobStatus
from polesocial.reports.models import Narrative, ReportExport


def narratives_for(kind: str, pk: int, year: int) -> list[Narrative]:
    return list(Narrative.objects.filter(scope_kind=kind, scope_id=pk, year=year).exclude(text=""))


@task()
def export_report(export_id: str) -> str:
    from polesocial.reports import exports
    from polesocial.reports.observation import build_observation
    from polesocial.reports.queries import resolve_scope
    from polesocial.reports.report import build_report

    export = ReportExport.objects.filter(pk=export_id).first()
    if export is None:  # deleted (expired) before a worker picked it up: nothing to build
        return ""
    export.beat(status=JobStatus.RUNNING, progress=10)
    try:
        scope = resolve_scope(export.scope_kind, export.scope_id or None)
        report = build_report(export.year, scope, controlled=export.controlled)
        observation = build_observation(export.year, scope, controlled=export.controlled)
        export.beat(progress=60)
        content = exports.render(
            report,
            export.format,
            narratives_for(export.scope_kind, export.scope_id, export.year),
            observation=observation,
        )
    except Exception:
        ReportExport.objects.filter(pk=export.pk).update(status=JobStatus.FAILED, progress=100)
        raise
    ReportExport.objects.filter(pk=export.pk).update(
        status=JobStatus.DONE,
        progress=100,
        content=content,
        filename=exports.filename(report, export.format),
    )
    return str(export.pk)
