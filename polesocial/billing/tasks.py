"""The invoice run on the task queue (django-tasks): a quarter for every employer can take a
while, so the billing screen asks for it and follows its progress on a status page."""

from __future__ import annotations

from django_tasks import task

from polesocial.billing import services
from polesocial.billing.models import InvoiceRun
from polesocial.core.models import JobStatus


@task()
def run_invoices(run_id: str) -> int:
    run = InvoiceRun.objects.select_related("requested_by").filter(pk=run_id).first()
    if run is None:
        return 0
    run.beat(status=JobStatus.RUNNING)  # each batch then beats through report_progress
    try:
        drafts = services.invoice_run_in_batches(
            actor=run.requested_by,
            year=run.year,
            quarter=run.quarter,
            progress=run.report_progress,
        )
    except Exception:
        InvoiceRun.objects.filter(pk=run.pk).update(status=JobStatus.FAILED)
        raise
    InvoiceRun.objects.filter(pk=run.pk).update(status=JobStatus.DONE, progress=100, drafts=drafts)
    return drafts
