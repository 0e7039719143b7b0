"""Cross-app aggregate queries of the annual report: exact counts for a year and a scope.

Every figure comes from one aggregate query (GROUP BY or conditional COUNT), so the number
of queries of a report does not grow with the data. Nothing nominative leaves this module:
only counts keyed by the product's codes (casework.enums, collective.enums).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum

from polesocial.billing.models import TimeEntry
from polesocial.casework.enums import (
    Domain,
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    InterviewPlace,
    OrientationResult,
    ReferralSource,
)
from polesocial.casework.models import Case, CaseDomain, Interview, Orientation, Referral
from polesocial.collective.enums import ActionKind
from polesocial.collective.models import CollectiveAction
from polesocial.organisations.models import (
    Convention,
    Employer,
    FteShare,
    Headcount,
    Operator,
    SocialWorker,
    Team,
)

SCOPE_KINDS = ("operator", "employer", "worker", "team")
AGE_BANDS = ("under_25", "25_34", "35_44", "45_54", "55_and_over")


@dataclass(frozen=True)
class Scope:
    """Whose activity a report counts: the operator, an employer, a worker or a team."""

    kind: str
    id: int | None = None
    name: str = ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "name": self.name}


def resolve_scope(kind: str, pk: int | None = None) -> Scope:
    """The scope with its display name (raises DoesNotExist for an unknown id)."""
    if kind == "operator":
        operator = Operator.objects.order_by("pk").first()
        return Scope(
            "operator", operator.pk if operator else None, operator.name if operator else ""
        )
    if kind == "employer":
        return Scope(kind, pk, Employer.objects.get(pk=pk).name)
    if kind == "team":
        return Scope(kind, pk, Team.objects.get(pk=pk).name)
    if kind == "worker":
        worker = SocialWorker.objects.select_related("user").get(pk=pk)
        return Scope(kind, pk, worker.user.full_name)
    raise ValueError(f"Unknown scope kind {kind!r}")


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _case_filter(scope: Scope, prefix: str = "") -> Q:
    return {
        "operator": Q(),
        "employer": Q(**{f"{prefix}snapshot_employer_id": scope.id}),
        "worker": Q(**{f"{prefix}worker_id": scope.id}),
        "team": Q(**{f"{prefix}worker__team_id": scope.id}),
    }[scope.kind]


def _open_in_year(year: int, prefix: str = "") -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{prefix}opened_on__lte": end}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": start})
    )


def followed_cases(year: int, scope: Scope):
    """Cases of the scope open at some time in the year."""
    return Case.objects.filter(_case_filter(scope) & _open_in_year(year))


def headcount_employers(year: int, scope: Scope):
    """The employers whose headcounts make the scope's headcount (a values() subquery)."""
    if scope.kind == "operator":
        return Convention.objects.active_in(year).values("employer")
    if scope.kind == "worker":
        return FteShare.objects.filter(worker_id=scope.id, year=year).values("employer")
    if scope.kind == "team":
        return FteShare.objects.filter(worker__team_id=scope.id, year=year).values("employer")
    return None


def headcount(year: int, scope: Scope) -> int | None:
    """Sum of the year's headcounts of the scope's employers (None when none is known)."""
    rows = Headcount.objects.filter(year=year)
    if scope.kind == "employer":
        rows = rows.filter(employer_id=scope.id)
    else:
        rows = rows.filter(employer__in=headcount_employers(year, scope))
    result = rows.aggregate(total=Sum("total"), n=Count("pk"))
    return result["total"] if result["n"] else None


def case_counts(year: int, scope: Scope) -> dict:
    start, end = year_bounds(year)
    result = Case.objects.filter(_case_filter(scope)).aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=start, opened_on__lte=end)),
        closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
        open_at_year_end=Count(
            "pk", filter=Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        ),
        followed=Count("employee", distinct=True, filter=_open_in_year(year)),
    )
    return result


def age_bands(year: int) -> dict[str, Q]:
    """Cases by the employee's age on 31 December of `year`: the year minus the birth year,
    which is all a case keeps of the birth date."""

    def born_by(age: int) -> int:  # age on 31 December is at least `age`
        return year - age

    return {
        "under_25": Q(snapshot_birth_year__gt=born_by(25)),
        "25_34": Q(snapshot_birth_year__gt=born_by(35), snapshot_birth_year__lte=born_by(25)),
        "35_44": Q(snapshot_birth_year__gt=born_by(45), snapshot_birth_year__lte=born_by(35)),
        "45_54": Q(snapshot_birth_year__gt=born_by(55), snapshot_birth_year__lte=born_by(45)),
        "55_and_over": Q(snapshot_birth_year__lte=born_by(55)),
    }


def profile(year: int, scope: Scope) -> dict:
    """Distinct employees followed, by the snapshot of their latest case opening in scope."""
    cases = followed_cases(year, scope)
    latest = Subquery(
        cases.filter(employee=OuterRef("employee")).order_by("-opened_on", "-pk").values("pk")[:1]
    )
    latest_cases = cases.filter(pk=latest)
    counts = {
        **{
            f"status:{c}": Count("pk", filter=Q(snapshot_status=c)) for c in EmploymentStatus.values
        },
        **{
            f"category:{c}": Count("pk", filter=Q(snapshot_category=c))
            for c in GradeCategory.values
        },
        **{
            f"family_situation:{c}": Count("pk", filter=Q(snapshot_family_situation=c))
            for c in FamilySituation.values
        },
        **{f"age:{band}": Count("pk", filter=q) for band, q in age_bands(year).items()},
    }
    result = latest_cases.aggregate(**counts)
    out: dict[str, dict[str, int]] = {
        "status": {},
        "category": {},
        "family_situation": {},
        "age": {},
    }
    for key, value in result.items():
        part, code = key.split(":", 1)
        out[part][code] = value
    return out


def _grouped(queryset, field: str, codes) -> dict[str, int]:
    found = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    return {code: found.get(code, 0) for code in codes}


def domains(year: int, scope: Scope) -> dict[str, int]:
    """Cases per domain (a case can have several) among the cases followed in the year."""
    rows = CaseDomain.objects.filter(_case_filter(scope, "case__") & _open_in_year(year, "case__"))
    return _grouped(rows, "domain", Domain.values)


def domain_groups(year: int, scope: Scope) -> dict[str, int]:
    """Distinct cases followed in the year having at least one domain of each merged group
    of the domain hierarchy (recoding.domain_groups), in one aggregate query."""
    from polesocial.reports.recoding import domain_groups as groups

    rows = CaseDomain.objects.filter(_case_filter(scope, "case__") & _open_in_year(year, "case__"))
    return rows.aggregate(
        **{
            group: Count("case", distinct=True, filter=Q(domain__in=members))
            for group, members in groups().items()
        }
    )


def interviews(year: int, scope: Scope) -> dict:
    start, end = year_bounds(year)
    rows = Interview.objects.filter(
        _case_filter(scope, "case__"), occurred_on__gte=start, occurred_on__lte=end
    )
    by_place = _grouped(rows, "place", InterviewPlace.values)
    return {"total": sum(by_place.values()), "by_place": by_place}


def appointments(year: int, scope: Scope) -> dict:
    """Appointments cancelled and missed in the year (a missed appointment is an
    observation in itself, issue 16); no total: each count stands alone."""
    from polesocial.appointments.enums import AppointmentStatus
    from polesocial.appointments.models import Appointment

    rows = Appointment.objects.filter(start__year=year)
    if scope.kind == "employer":
        rows = rows.filter(employer_id=scope.id)
    elif scope.kind == "worker":
        rows = rows.filter(worker_id=scope.id)
    elif scope.kind == "team":
        rows = rows.filter(worker__team_id=scope.id)
    statuses = (AppointmentStatus.CANCELLED, AppointmentStatus.MISSED)
    return _grouped(rows, "status", [s.value for s in statuses])


def referrals(year: int, scope: Scope) -> dict:
    rows = Referral.objects.not_spam().filter(received_at__year=year)
    if scope.kind == "employer":
        rows = rows.filter(employer_id=scope.id)
    elif scope.kind == "worker":
        rows = rows.filter(assigned_to_id=scope.id)
    elif scope.kind == "team":
        rows = rows.filter(employer__team_id=scope.id)
    own = models.Case(
        models.When(source=ReferralSource.EMPLOYEE, then=True),
        default=False,
        output_field=models.BooleanField(),
    )
    found = rows.order_by().annotate(own=own).values_list("source", "own").annotate(n=Count("pk"))
    counts = {(source, bool(is_own)): n for source, is_own, n in found}
    # The employee's own requests (the public page, or his own call) are never told to his
    # employer: an employer's figures count them only once they reach the disclosure
    # threshold, whoever reads them (left out of the total as well, so that no margin gives
    # them away).
    own_count = sum(n for (_source, is_own), n in counts.items() if is_own)
    hide_own = scope.kind == "employer" and own_count < settings.REPORT_DISCLOSURE_THRESHOLD
    by_source = dict.fromkeys(ReferralSource.values, 0)
    for (source, is_own), n in counts.items():
        if source in by_source and not (is_own and hide_own):
            by_source[source] += n
    return {"total": sum(by_source.values()), "by_source": by_source}


def orientations(year: int, scope: Scope) -> dict:
    start, end = year_bounds(year)
    rows = Orientation.objects.filter(
        _case_filter(scope, "case__"), oriented_on__gte=start, oriented_on__lte=end
    )
    by_result = _grouped(rows, "result", OrientationResult.values)
    return {"total": sum(by_result.values()), "by_result": by_result}


def collective_actions(year: int, scope: Scope) -> dict:
    """Collective actions started in the year, by kind."""
    rows = CollectiveAction.objects.filter(starts_on__year=year)
    if scope.kind == "employer":
        rows = rows.filter(pk__in=CollectiveAction.objects.filter(employers=scope.id).values("pk"))
    elif scope.kind == "worker":
        rows = rows.filter(worker_id=scope.id)
    elif scope.kind == "team":
        rows = rows.filter(worker__team_id=scope.id)
    by_kind = _grouped(rows, "kind", ActionKind.values)
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


# The key, in `hours.by_employer`, of time spent for no employer (managing the function).
NO_EMPLOYER = "none"


def hours(year: int, scope: Scope) -> dict:
    """Time recorded (billing), in hours, by kind and by employer."""
    rows = TimeEntry.objects.filter(date__year=year)
    if scope.kind == "employer":
        rows = rows.filter(employer_id=scope.id)
    elif scope.kind == "worker":
        rows = rows.filter(worker_id=scope.id)
    elif scope.kind == "team":
        rows = rows.filter(worker__team_id=scope.id)
    # Ordered: the JSON report must come out byte for byte the same from the same data
    # (PostgreSQL's grouping returns its rows in no set order).
    grouped = (
        rows.order_by()
        .values_list("kind", "employer_id")
        .annotate(total=Sum("minutes"))
        .order_by("kind", "employer_id")
    )
    # Minutes summed exactly, then rounded once per key (rounding each group's hours
    # before adding them drifted by a cent per employer: 57,999 min gave 966.66 h).
    kind_minutes: dict[str, int] = {}
    employer_minutes: dict[str, int] = {}
    for kind, employer_id, total in grouped:
        kind_minutes[str(kind)] = kind_minutes.get(str(kind), 0) + (total or 0)
        key = NO_EMPLOYER if employer_id is None else str(employer_id)
        employer_minutes[key] = employer_minutes.get(key, 0) + (total or 0)
    return {
        "by_kind": {key: _hours(value) for key, value in kind_minutes.items()},
        "by_employer": {key: _hours(value) for key, value in employer_minutes.items()},
    }


def _hours(minutes: int) -> float:
    """Minutes as hours to the hundredth, rounded half up once."""
    return float((Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
