"""PDFs of material aid (WeasyPrint, like invoices and reports): the minutes of a session,
which name nobody (agenda rows only), and the notification letter to the employee, which
the worker in charge prints from the case and sends."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from polesocial.aid import agenda
from polesocial.aid.models import AidRequest, CommitteeSession


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is made

    return HTML(string=render_to_string(template, context)).write_pdf()


def minutes_context(session: CommitteeSession, user) -> dict:
    present = list(session.present.order_by("last_name", "first_name"))
    return {
        "session": session,
        "committee": session.committee,
        "rows": agenda.agenda_rows(session, user),
        "present": present,
        "quorum_reached": len(present) >= session.quorum,
        "printed_on": timezone.localdate(),
    }


def minutes_pdf(session: CommitteeSession, user) -> bytes:
    return _pdf("aid/pdf/minutes.html", minutes_context(session, user))


def letter_context(request: AidRequest) -> dict:
    return {
        "request": request,
        "person": request.case.person,
        "decision": request.decisions.order_by("-decided_on", "-pk").first(),
        "operator": request.case.snapshot_employer.operator,
        "printed_on": timezone.localdate(),
    }


def letter_pdf(request: AidRequest) -> bytes:
    return _pdf("aid/pdf/letter.html", letter_context(request))
