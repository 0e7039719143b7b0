"""Every write of material aid: catalogue, requests and their lifecycle, committee,
decisions, payments. Each write is one transaction with its journal entry.

Lifecycle of a request, changed only here (each transition checks the current state):
draft → submitted (committee number given) → on_agenda (of a session) → decided →
paid → closed. A postponed decision sends the file back to "submitted", for a later
session; a refused one is then closed. An urgent submitted file may be decided by written
procedure, between sessions. A file goes before the committee only while the employee's
consent covers it (scope `aid_committee`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polesocial.aid import budget as money
from polesocial.aid.enums import AidStatus, CommitteeScope, DecisionOutcome, Payee, SchemeKind
from polesocial.aid.models import (
    AidBudget,
    AidDecision,
    AidPayment,
    AidRequest,
    AidScheme,
    Committee,
    CommitteeSession,
    ConfidentialityUndertaking,
    LoanInstalment,
    Membership,
    Provider,
)
from polesocial.casework.enums import ConsentScope
from polesocial.casework.models import Case
from polesocial.casework.services.cases import check_case_writable
from polesocial.core.numbering import next_number
from polesocial.core.versioning import check_version
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.names import NAME_WARNING, names_found
from polesocial.users.enums import Role

NO_CONSENT = (
    "L'adhésion de l'agent ne couvre pas la présentation anonyme de son dossier à la "
    "commission d'aides : recueillez son accord pour cet échange avant de déposer la demande."
)
BEYOND_BUDGET = (
    "Ce montant dépasse le budget restant du financeur pour l'année ({remaining} € restants) : "
    "cochez la confirmation pour décider au-delà du budget."
)
TRANSITION_REFUSED = "Cette demande est « {status} » : impossible {action}."


def _refuse_unless(request: AidRequest, allowed: tuple[str, ...], action: str) -> None:
    if request.status not in allowed:
        status = AidStatus(request.status).label.lower()
        raise ValidationError(
            TRANSITION_REFUSED.format(status=status, action=action), code="invalid_transition"
        )


def _lock(request: AidRequest) -> AidRequest:
    """The request as saved, locked for the transition (two clicks: one transition)."""
    return (
        AidRequest.objects.select_for_update()
        .select_related("case__consent", "scheme")
        .get(pk=request.pk)
    )


def check_consent(case: Case) -> None:
    consent = case.consent
    if not consent.is_active or ConsentScope.AID_COMMITTEE not in (consent.scope or []):
        raise ValidationError(NO_CONSENT, code="no_consent")


def _journal(actor, action: AuditAction, request: AidRequest, **detail) -> None:
    audit_log(
        actor=actor,
        action=action,
        target=request,
        subject=request.case,
        detail={"status": request.status, **detail},
    )


# --- Catalogue ---------------------------------------------------------------------------


@transaction.atomic
def scheme_create(*, actor, **fields) -> AidScheme:
    """Add a scheme to the catalogue (operator's billing officer or administrator)."""
    scheme = AidScheme(**fields)
    scheme.full_clean()
    scheme.save()
    audit_log(actor=actor, action=AuditAction.AID_SCHEME_SAVE, target=scheme)
    return scheme


@transaction.atomic
def membership_create(*, actor, **fields) -> Membership:
    """Record an employer's membership (CNAS, welfare-insurance agreement…)."""
    membership = Membership(**fields)
    membership.full_clean()
    membership.save()
    audit_log(actor=actor, action=AuditAction.AID_MEMBERSHIP_SAVE, target=membership)
    return membership


@transaction.atomic
def provider_create(*, actor, **fields) -> Provider:
    """List a service provider (prestataire) for an employer."""
    provider = Provider(**fields)
    provider.full_clean()
    provider.save()
    audit_log(actor=actor, action=AuditAction.AID_PROVIDER_SAVE, target=provider)
    return provider


def _changed(row, fields: dict) -> list[str]:
    """Set `fields` on `row`; the names of those whose value changed (for the journal)."""
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    for name, value in fields.items():
        setattr(row, name, value)
    return changed


@transaction.atomic
def scheme_update(*, actor, scheme: AidScheme, version: int | None = None, **fields) -> AidScheme:
    """Change a scheme of the catalogue, as its writer saw it (`version`): VersionConflict
    when someone saved it meanwhile. Requests already made keep their scheme."""
    seen = scheme
    scheme = AidScheme.objects.select_for_update().get(pk=scheme.pk)
    check_version(scheme, seen.version if version is None else version)
    seen.version = scheme.version
    return _save_changes(scheme, fields, actor=actor, action=AuditAction.AID_SCHEME_SAVE)


@transaction.atomic
def membership_update(*, actor, membership: Membership, **fields) -> Membership:
    """Correct an employer's membership (dates, body, employees covered)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    return _save_changes(membership, fields, actor=actor, action=AuditAction.AID_MEMBERSHIP_SAVE)


@transaction.atomic
def provider_update(*, actor, provider: Provider, **fields) -> Provider:
    """Correct a provider's listing (name, service, contact details)."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    return _save_changes(provider, fields, actor=actor, action=AuditAction.AID_PROVIDER_SAVE)


def _save_changes(row, fields: dict, *, actor, action: AuditAction):
    """Apply `fields` to a locked catalogue row, check it whole, save it and journal the
    names of the fields that changed (never their values)."""
    changed = _changed(row, fields)
    row.full_clean()
    row.save()
    audit_log(actor=actor, action=action, target=row, detail={"changed": changed})
    return row


def _close(row, *, end_field: str, start: dt.date | None, on: dt.date, what: str) -> None:
    """End a catalogue row's validity on `on` (kept in the catalogue, marked ended)."""
    ended = getattr(row, end_field)
    if ended is not None and ended <= on:
        raise ValidationError(
            {"ends_on": f"{what} le {ended:%d/%m/%Y} : modifiez la fiche pour changer la date."}
        )
    if start is not None and on < start:
        raise ValidationError({"ends_on": f"La fin ne peut précéder le début ({start:%d/%m/%Y})."})
    setattr(row, end_field, on)
    row.save(update_fields=[end_field])


@transaction.atomic
def scheme_close(*, actor, scheme: AidScheme, on: dt.date, version: int | None = None) -> AidScheme:
    """End a scheme's validity on `on`: no new request from the next day on; the
    requests already made keep it."""
    seen = scheme
    scheme = AidScheme.objects.select_for_update().get(pk=scheme.pk)
    check_version(scheme, seen.version if version is None else version)
    seen.version = scheme.version
    _close(scheme, end_field="valid_until", start=scheme.valid_from, on=on,
           what="Ce dispositif n'est déjà plus valable après")  # fmt: skip
    audit_log(actor=actor, action=AuditAction.AID_SCHEME_CLOSE, target=scheme,
              detail={"valid_until": on.isoformat()})  # fmt: skip
    return scheme


@transaction.atomic
def membership_close(*, actor, membership: Membership, on: dt.date) -> Membership:
    """End an employer's membership on `on`."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _close(membership, end_field="ends_on", start=membership.starts_on, on=on,
           what="Cette adhésion a déjà pris fin")  # fmt: skip
    audit_log(actor=actor, action=AuditAction.AID_MEMBERSHIP_CLOSE, target=membership,
              detail={"ends_on": on.isoformat()})  # fmt: skip
    return membership


@transaction.atomic
def provider_close(*, actor, provider: Provider, on: dt.date) -> Provider:
    """End a provider's listing on `on`."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    _close(provider, end_field="ends_on", start=None, on=on,
           what="Ce prestataire n'est déjà plus référencé après")  # fmt: skip
    audit_log(actor=actor, action=AuditAction.AID_PROVIDER_CLOSE, target=provider,
              detail={"ends_on": on.isoformat()})  # fmt: skip
    return provider


@transaction.atomic
def budget_set(*, actor, funder: str, year: int, employer=None, allocated: Decimal) -> AidBudget:
    """Set a funder's yearly envelope (created, or its allocated amount changed)."""
    row, _ = AidBudget.objects.update_or_create(
        funder=funder, year=year, employer=employer, defaults={"allocated": allocated}
    )
    audit_log(actor=actor, action=AuditAction.AID_BUDGET_SET, target=row,
              detail={"allocated": str(allocated)})  # fmt: skip
    return row


# --- Requests ----------------------------------------------------------------------------


def _check_summary(actor, summary: str, names_confirmed: bool) -> None:
    """The committee reads the summary: it must name no one (privacy.names)."""
    if summary and not names_confirmed and names_found(reader=actor, texts=[summary]):
        raise ValidationError({"committee_summary": NAME_WARNING}, code="names")


@transaction.atomic
def aid_request_create(
    *,
    actor,
    case: Case,
    scheme: AidScheme,
    amount_requested: Decimal,
    justification: str,
    incomes=(),
    expenses=(),
    adults: int = 1,
    children: int = 0,
    committee_summary: str = "",
    urgent: bool = False,
    names_confirmed: bool = False,
) -> AidRequest:
    """Prepare a request on `case` (a draft): scheme, amount, motive, household budget."""
    check_case_writable(case)
    _check_summary(actor, committee_summary, names_confirmed)
    if amount_requested <= 0:
        raise ValidationError({"amount_requested": "Le montant demandé doit être positif."})
    if scheme.ceiling is not None and amount_requested > scheme.ceiling:
        raise ValidationError(
            {"amount_requested": f"Le plafond de ce dispositif est de {scheme.ceiling} €."}
        )
    if adults < 1:
        raise ValidationError({"adults": "Le foyer compte au moins un adulte."})
    request = AidRequest.objects.create(
        case=case,
        scheme=scheme,
        amount_requested=amount_requested,
        justification=justification,
        budget_data=money.budget_json(incomes, expenses),
        adults=adults,
        children=children,
        committee_summary=committee_summary,
        urgent=urgent,
        created_by=actor,
    )
    _journal(actor, AuditAction.AID_REQUEST_CREATE, request)
    return request


@transaction.atomic
def aid_request_submit(*, actor, request: AidRequest, on: dt.date | None = None) -> AidRequest:
    """Draft → submitted: the file takes its committee number (2026-014)."""
    request = _lock(request)
    _refuse_unless(request, (AidStatus.DRAFT,), "de la déposer")
    check_case_writable(request.case)
    check_consent(request.case)
    if not request.committee_summary:
        raise ValidationError(
            "Rédigez la situation présentée à la commission avant de déposer la demande."
        )
    day = on or timezone.localdate()
    number = next_number(sequence="aid_committee", year=day.year)
    request.committee_number = f"{day.year}-{number:03d}"
    request.status = AidStatus.SUBMITTED
    request.submitted_on = day
    request.save(update_fields=["committee_number", "status", "submitted_on"])
    _journal(actor, AuditAction.AID_REQUEST_SUBMIT, request)
    return request


@transaction.atomic
def aid_request_schedule(*, actor, request: AidRequest, session: CommitteeSession) -> AidRequest:
    """Submitted → on the agenda of `session` (organised by the counsellor)."""
    request = _lock(request)
    _refuse_unless(request, (AidStatus.SUBMITTED,), "de l'inscrire à l'ordre du jour")
    check_consent(request.case)
    if session.closed_on is not None:
        raise ValidationError(
            "Le procès-verbal de cette séance est arrêté : choisissez-en une autre."
        )
    request.session = session
    request.status = AidStatus.ON_AGENDA
    request.save(update_fields=["session", "status"])
    _journal(actor, AuditAction.AID_REQUEST_SCHEDULE, request, session=session.pk)
    return request


def may_decide(user, session: CommitteeSession | None) -> bool:
    """The counsellor who organises committees records any decision; a committee member
    those of a session he is convened to, once his undertaking is signed."""
    if user.role == Role.COUNSELLOR:
        return True
    if user.role != Role.COMMITTEE_MEMBER or session is None:
        return False
    signed = ConfidentialityUndertaking.objects.filter(user=user).exists()
    return signed and session.members.filter(pk=user.pk).exists()


def _check_amount(outcome: str, amount: Decimal, request: AidRequest) -> Decimal:
    if outcome in (DecisionOutcome.REFUSED, DecisionOutcome.POSTPONED):
        return money.ZERO
    if amount <= 0:
        raise ValidationError({"amount": "Indiquez le montant accordé."})
    if outcome == DecisionOutcome.GRANTED and amount != request.amount_requested:
        raise ValidationError(
            {
                "amount": "Une aide accordée l'est du montant demandé ; "
                "sinon, « accordée en partie »."
            }
        )
    if outcome == DecisionOutcome.PARTLY_GRANTED and amount >= request.amount_requested:
        raise ValidationError({"amount": "Accordée en partie : un montant inférieur à la demande."})
    return amount


@transaction.atomic
def aid_decision_record(
    *,
    actor,
    request: AidRequest,
    outcome: str,
    amount: Decimal = money.ZERO,
    motive: str = "",
    decided_on: dt.date,
    written_procedure: bool = False,
    confirm_beyond_budget: bool = False,
) -> AidDecision:
    """Record the committee's decision: in the session whose agenda holds the file, or,
    for an urgent submitted file, by written procedure. A grant beyond the funder's
    remaining yearly budget needs `confirm_beyond_budget`. Postponed: back to submitted."""
    request = _lock(request)
    if written_procedure:
        _refuse_unless(request, (AidStatus.SUBMITTED,), "de la décider par procédure écrite")
        if not request.urgent:
            raise ValidationError("La procédure écrite est réservée aux demandes urgentes.")
        check_consent(request.case)
    else:
        _refuse_unless(request, (AidStatus.ON_AGENDA,), "d'enregistrer une décision de séance")
    session = None if written_procedure else request.session
    if not may_decide(actor, session):
        raise ValidationError("Seuls les membres de la séance peuvent enregistrer sa décision.")
    amount = _check_amount(outcome, amount, request)
    beyond = False
    budget = money.budget_for(request.scheme, decided_on.year)
    if amount > 0 and budget is not None:
        remaining = money.budget_figures(budget).remaining
        beyond = amount > remaining
        if beyond and not confirm_beyond_budget:
            raise ValidationError(
                BEYOND_BUDGET.format(remaining=money.euros(remaining)), code="beyond_budget"
            )
    decision = AidDecision.objects.create(
        request=request,
        session=session,
        outcome=outcome,
        amount=amount,
        motive=motive,
        decided_on=decided_on,
        written_procedure=written_procedure,
        beyond_budget=beyond,
        recorded_by=actor,
    )
    if outcome == DecisionOutcome.POSTPONED:
        request.status, request.session = AidStatus.SUBMITTED, None
    else:
        request.status, request.amount_granted = AidStatus.DECIDED, amount
    request.save(update_fields=["status", "session", "amount_granted"])
    audit_log(actor=actor, action=AuditAction.AID_REQUEST_DECIDE, target=request,
              subject=request.case, detail={"status": request.status, "outcome": outcome,
                                            "beyond_budget": beyond})  # fmt: skip
    return decision


@transaction.atomic
def aid_payment_record(
    *,
    actor,
    request: AidRequest,
    paid_on: dt.date,
    amount: Decimal,
    mode: str,
    payee: str,
    payee_name: str = "",
) -> AidPayment:
    """Record a payment of granted aid; the request is "paid" once the whole grant is."""
    request = _lock(request)
    _refuse_unless(request, (AidStatus.DECIDED,), "d'enregistrer un versement")
    granted = request.amount_granted or money.ZERO
    if granted <= 0:
        raise ValidationError("Cette demande n'a pas été accordée : aucun versement possible.")
    if payee == Payee.THIRD_PARTY and not payee_name.strip():
        raise ValidationError({"payee_name": "Indiquez le tiers qui reçoit le versement."})
    already = money.sum_amounts(request.payments.all())
    if amount <= 0 or already + amount > granted:
        left = money.euros(granted - already)
        raise ValidationError(
            {"amount": f"Le versement ne peut dépasser le reste à verser ({left} €)."}
        )
    payment = AidPayment.objects.create(
        request=request, paid_on=paid_on, amount=amount, mode=mode, payee=payee,
        payee_name=payee_name if payee == Payee.THIRD_PARTY else "", recorded_by=actor,
    )  # fmt: skip
    if already + amount == granted:
        request.status = AidStatus.PAID
        request.save(update_fields=["status"])
    _journal(actor, AuditAction.AID_REQUEST_PAY, request, amount=str(amount))
    return payment


def loan_schedule(granted: Decimal, count: int, first_due_on: dt.date) -> list[tuple]:
    """`count` monthly instalments to the cent; the last takes the remainder."""
    if count < 1 or count > 120:
        raise ValidationError("Le nombre d'échéances va de 1 à 120.")
    share = (granted / count).quantize(money.CENT, rounding="ROUND_DOWN")
    amounts = [share] * (count - 1) + [granted - share * (count - 1)]
    days = []
    for index in range(count):
        month = first_due_on.month - 1 + index
        year, month = first_due_on.year + month // 12, month % 12 + 1
        days.append(first_due_on.replace(year=year, month=month, day=min(first_due_on.day, 28)))
    return list(zip(days, amounts, strict=True))


@transaction.atomic
def loan_schedule_record(*, actor, request: AidRequest, count: int, first_due_on: dt.date):
    """The repayment schedule of a loan granted as aid."""
    request = _lock(request)
    _refuse_unless(request, (AidStatus.DECIDED, AidStatus.PAID), "d'établir un échéancier")
    if request.scheme.kind != SchemeKind.LOAN or not request.amount_granted:
        raise ValidationError("Seul un prêt accordé a un échéancier de remboursement.")
    request.instalments.all().delete()
    rows = [
        LoanInstalment(request=request, due_on=day, amount=amount)
        for day, amount in loan_schedule(request.amount_granted, count, first_due_on)
    ]
    LoanInstalment.objects.bulk_create(rows)
    _journal(actor, AuditAction.AID_REQUEST_PAY, request, instalments=count)
    return rows


@transaction.atomic
def aid_request_close(*, actor, request: AidRequest) -> AidRequest:
    """Close a request: abandoned (draft, submitted), refused, or paid."""
    request = _lock(request)
    _refuse_unless(
        request,
        (AidStatus.DRAFT, AidStatus.SUBMITTED, AidStatus.DECIDED, AidStatus.PAID),
        "de la clore",
    )
    if request.status == AidStatus.DECIDED and (request.amount_granted or 0) > 0:
        raise ValidationError(
            "Cette aide accordée n'est pas encore versée : impossible de la clore."
        )
    request.status = AidStatus.CLOSED
    request.save(update_fields=["status"])
    _journal(actor, AuditAction.AID_REQUEST_CLOSE, request)
    return request


# --- Committee ---------------------------------------------------------------------------


# Who may sit in a committee: its members (elected officials, HR, the operator's staff who
# are not social workers) and the counsellor who organises it.
MEMBER_ROLES = (Role.COMMITTEE_MEMBER, Role.COUNSELLOR)


def _check_committee(name: str, scope: str, employer, team, members) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Indiquez le nom de la commission."
    if scope == CommitteeScope.EMPLOYER and employer is None:
        errors["employer"] = "Une commission d'employeur indique son employeur."
    if scope == CommitteeScope.TEAM and team is None:
        errors["team"] = "Une commission d'équipe indique son équipe."
    if any(user.role not in MEMBER_ROLES or not user.is_active for user in members):
        errors["members"] = (
            "Seuls des membres de commission ou le conseiller technique, actifs, y siègent."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def committee_create(*, actor, name: str, scope: str, members=(), employer=None, team=None):
    """A committee, its perimeter (operator, employer or team) and its members."""
    members = list(members)
    _check_committee(name, scope, employer, team, members)
    committee = Committee.objects.create(
        name=name,
        scope=scope,
        employer=employer if scope == CommitteeScope.EMPLOYER else None,
        team=team if scope == CommitteeScope.TEAM else None,
    )
    committee.members.set(members)
    audit_log(actor=actor, action=AuditAction.AID_COMMITTEE_SAVE, target=committee,
              detail={"members": sorted(user.pk for user in members)})  # fmt: skip
    return committee


@transaction.atomic
def committee_update(
    *, actor, committee: Committee, name: str, scope: str, members, employer=None, team=None
) -> Committee:
    """Change a committee and its members. The sessions still to come (not held, minutes
    not closed) convene the new members and no longer the former ones: a member who left
    reads no agenda any more; past sessions keep whom they convened."""
    members = list(members)
    _check_committee(name, scope, employer, team, members)
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    before = set(committee.members.values_list("pk", flat=True))
    after = {user.pk for user in members}
    committee.name, committee.scope = name, scope
    committee.employer = employer if scope == CommitteeScope.EMPLOYER else None
    committee.team = team if scope == CommitteeScope.TEAM else None
    committee.save()
    committee.members.set(members)
    added, removed = sorted(after - before), sorted(before - after)
    if added or removed:
        coming = committee.sessions.filter(
            held_on__gte=timezone.localdate(), closed_on__isnull=True
        )
        for session in coming:
            session.members.add(*added)
            session.members.remove(*removed)
            session.present.remove(*removed)
    audit_log(actor=actor, action=AuditAction.AID_COMMITTEE_SAVE, target=committee,
              detail={"added": added, "removed": removed})  # fmt: skip
    return committee


@transaction.atomic
def session_create(
    *, actor, committee: Committee, held_on: dt.date, quorum: int = 3, members=None
) -> CommitteeSession:
    """A sitting, convening the committee's members (or those given)."""
    session = CommitteeSession.objects.create(committee=committee, held_on=held_on, quorum=quorum)
    session.members.set(committee.members.all() if members is None else members)
    audit_log(actor=actor, action=AuditAction.AID_SESSION_SAVE, target=session)
    return session


@transaction.atomic
def session_attendance(*, actor, session: CommitteeSession, present) -> CommitteeSession:
    """Record who was present (among those convened)."""
    convened = set(session.members.values_list("pk", flat=True))
    if any(user.pk not in convened for user in present):
        raise ValidationError("Seuls les membres convoqués peuvent être présents.")
    session.present.set(present)
    audit_log(actor=actor, action=AuditAction.AID_SESSION_SAVE, target=session,
              detail={"present": len(present)})  # fmt: skip
    return session


def quorum_reached(session: CommitteeSession) -> bool:
    return session.present.count() >= session.quorum


@transaction.atomic
def undertaking_sign(*, actor) -> ConfidentialityUndertaking:
    """The committee member's confidentiality undertaking, with its date."""
    if actor.role != Role.COMMITTEE_MEMBER:
        raise ValidationError("Seuls les membres de commission signent cet engagement.")
    row, created = ConfidentialityUndertaking.objects.get_or_create(
        user=actor, defaults={"signed_on": timezone.localdate()}
    )
    if created:
        audit_log(actor=actor, action=AuditAction.AID_UNDERTAKING_SIGN, target=row)
    return row


@transaction.atomic
def session_time_link(*, actor, session: CommitteeSession, meeting) -> None:
    """Link a worker's collective-work meeting (body « commission d'aides ») to the session
    it records the time of: one committee concept, the meeting only carries the time."""
    from polesocial.collective.enums import Body

    if meeting.body != Body.AID_COMMITTEE:
        raise ValidationError("Seule une séance d'instance « commission d'aides » s'y rattache.")
    if meeting.held_on != session.held_on:
        raise ValidationError("La séance d'instance n'a pas eu lieu le jour de la commission.")
    if meeting.worker.user_id != actor.pk:
        raise ValidationError("Rattachez seulement votre propre temps de séance.")
    session.body_meetings.add(meeting)
    audit_log(actor=actor, action=AuditAction.AID_SESSION_SAVE, target=session,
              detail={"body_meeting": meeting.pk})  # fmt: skip
