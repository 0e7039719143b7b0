"""The committee's agenda: pseudonymised files, built from a fixed list of fields.

A committee member (and the counsellor who organises the sessions) reads a file as its
committee number, the amount asked, the scheme, the household composition and the summary
the worker wrote for the committee (checked for names). Never a name, a birth date, a case
number or any field of the case or of the employee: the rows below are `values()` of
AGENDA_FIELDS only. The employer is shown only when it has at least
`EMPLOYER_SHOWN_FROM` employees (a small employer would point to the person).
"""

from __future__ import annotations

from django.db.models import Q

from polesocial.aid.enums import DecisionOutcome, Funder
from polesocial.aid.models import AidDecision, AidRequest, CommitteeSession
from polesocial.organisations.models import Headcount
from polesocial.privacy.access import scope_for_view

EMPLOYER_SHOWN_FROM = 11
EMPLOYER_HIDDEN = "Non communiqué (moins de 11 agents)"
AGENDA_FIELDS = (
    "pk",
    "committee_number",
    "amount_requested",
    "amount_granted",
    "scheme__name",
    "scheme__funder",
    "adults",
    "children",
    "committee_summary",
    "urgent",
    "status",
    # Used to decide whether the employer may be shown, then dropped.
    "case__snapshot_employer_id",
    "case__snapshot_employer__name",
)


def agenda_queryset(user):
    """The requests `user` may read as agenda rows (VIEW_SCOPES "agenda"), or none."""
    rule = scope_for_view("aid.AidRequest", "agenda", user)
    return rule(AidRequest.objects.all(), user) if rule else AidRequest.objects.none()


def employer_label(employer_id: int, name: str, year: int) -> str:
    headcount = (
        Headcount.objects.filter(employer_id=employer_id, year__lte=year)
        .order_by("-year")
        .values_list("total", flat=True)
        .first()
    )
    return name if headcount is not None and headcount >= EMPLOYER_SHOWN_FROM else EMPLOYER_HIDDEN


def household(adults: int, children: int) -> str:
    adults_text = f"{adults} adulte{'s' if adults > 1 else ''}"
    if not children:
        return adults_text
    return f"{adults_text}, {children} enfant{'s' if children > 1 else ''}"


def _row(values: dict, year: int) -> dict:
    return {
        "pk": values["pk"],
        "number": values["committee_number"],
        "amount": values["amount_requested"],
        "granted": values["amount_granted"],
        "scheme": values["scheme__name"],
        "funder": Funder(values["scheme__funder"]).label,
        "household": household(values["adults"], values["children"]),
        "summary": values["committee_summary"],
        "urgent": values["urgent"],
        "employer": employer_label(
            values["case__snapshot_employer_id"], values["case__snapshot_employer__name"], year
        ),
    }


def agenda_rows(session: CommitteeSession, user) -> list[dict]:
    """The pseudonymised files of `session`'s agenda (and those it decided), for `user`."""
    decided = AidDecision.objects.filter(session=session).values("request_id")
    rows = agenda_queryset(user).filter(Q(session=session) | Q(pk__in=decided))
    values = rows.order_by("committee_number").values(*AGENDA_FIELDS)
    result = [_row(v, session.held_on.year) for v in values]
    decisions = {
        d.request_id: d
        for d in AidDecision.objects.filter(
            session=session, request_id__in=[r["pk"] for r in result]
        )
    }
    for row in result:
        decision = decisions.get(row["pk"])
        row["decision"] = (
            {
                "outcome": DecisionOutcome(decision.outcome).label,
                "amount": decision.amount,
                "motive": decision.motive,
            }
            if decision
            else None
        )
    return result
