"""Writes on organisations: each in a transaction, checked, and written to the journal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from polesocial.core.versioning import check_version
from polesocial.notifications.services import notification_send
from polesocial.organisations import rules
from polesocial.organisations.enums import ConventionStatus
from polesocial.organisations.models import (
    OPERATOR_BILLING_FIELDS,
    Convention,
    ConventionAmendment,
    CounsellorInterim,
    Employer,
    FteShare,
    Headcount,
    LabelOverride,
    Operator,
    Replacement,
    SocialWorker,
    Team,
)
from polesocial.privacy.access import may_act_on
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role
from polesocial.users.models import User

# Which statuses each transition may start from.
TRANSITIONS: dict[str, tuple[ConventionStatus, ...]] = {
    ConventionStatus.SIGNED: (ConventionStatus.DRAFT,),
    ConventionStatus.ACTIVE: (ConventionStatus.SIGNED,),
    ConventionStatus.TERMINATED: (ConventionStatus.SIGNED, ConventionStatus.ACTIVE),
}


def _save_validated(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


NO_OPERATOR = "Aucun opérateur n'est enregistré : créez-le d'abord."


def operator_current() -> Operator | None:
    """The operator of this installation (one per installation), or None before setup."""
    return Operator.objects.order_by("pk").first()


@transaction.atomic
def operator_save(*, actor: User | None, **fields) -> Operator:
    """Record the operator's identity: creates it on the first run, updates it afterwards.

    There is one operator per installation, so this never creates a second one."""
    operator = Operator.objects.select_for_update().order_by("pk").first()
    created = operator is None
    if "siret" in fields:
        fields["siret"] = "".join((fields["siret"] or "").split())
    operator = _save_validated(operator or Operator(), **fields)
    action = AuditAction.OPERATOR_CREATE if created else AuditAction.OPERATOR_UPDATE
    audit_log(actor=actor, action=action, target=operator)
    return operator


@transaction.atomic
def operator_billing_save(*, actor: User, **fields) -> Operator:
    """What invoices carry (bank details, payment terms, legal mentions): the billing
    officer's part of the operator, once the administrator has recorded it."""
    if unknown := set(fields) - set(OPERATOR_BILLING_FIELDS):
        raise ValueError(f"not billing fields: {sorted(unknown)}")
    operator = Operator.objects.select_for_update().order_by("pk").first()
    if operator is None:
        raise ValidationError(NO_OPERATOR)
    for name in ("iban", "bic"):
        if name in fields:
            fields[name] = "".join((fields[name] or "").split()).upper()
    _save_validated(operator, **fields)
    audit_log(actor=actor, action=AuditAction.OPERATOR_BILLING_UPDATE, target=operator)
    return operator


def _check_team_leads(counsellor: User, deputy: User | None) -> None:
    if counsellor.role != Role.COUNSELLOR or not counsellor.is_active:
        raise ValidationError(
            {"counsellor": "La conseillère ou le conseiller doit avoir un compte actif de ce rôle."}
        )
    if deputy is not None:
        if deputy.role != Role.COUNSELLOR or not deputy.is_active:
            raise ValidationError(
                {"deputy": "L'adjoint·e doit avoir un compte actif de conseiller·ère."}
            )
        if deputy.pk == counsellor.pk:
            raise ValidationError(
                {"deputy": "L'adjoint·e ne peut pas être la conseillère de l'équipe."}
            )


def _check_team_name(operator_id: int, name: str, team: Team | None = None) -> None:
    others = Team.objects.filter(operator=operator_id, name__iexact=name.strip())
    if team is not None:
        others = others.exclude(pk=team.pk)
    if others.exists():
        raise ValidationError({"name": "Une équipe porte déjà ce nom."})


def _serve_employers(*, actor: User, team: Team, employers) -> None:
    """Make `team` the one that serves exactly `employers` (`Employer.team`, where the
    queue, billing and reports look): the others it served are left without a team."""
    if employers is None:
        return
    wanted = {employer.pk for employer in employers}
    current = set(Employer.objects.filter(team=team).values_list("pk", flat=True))
    for employer in Employer.objects.filter(pk__in=wanted ^ current).order_by("pk"):
        check_version(employer, None)
        employer.team = team if employer.pk in wanted else None
        employer.save(update_fields=["team", "version"])
        audit_log(
            actor=actor,
            action=AuditAction.EMPLOYER_UPDATE,
            target=employer,
            detail={"fields": ["team"]},
        )


@transaction.atomic
def team_create(
    *, actor: User, name: str, counsellor: User, deputy: User | None = None, employers=None
) -> Team:
    """A new team of the operator, led by a counsellor (and her deputy, if any), serving
    the employers given (taken from the team that served them until now)."""
    operator = operator_current()
    if operator is None:
        raise ValidationError(NO_OPERATOR)
    _check_team_leads(counsellor, deputy)
    _check_team_name(operator.pk, name)
    team = _save_validated(
        Team(operator=operator), name=name.strip(), counsellor=counsellor, deputy=deputy
    )
    audit_log(actor=actor, action=AuditAction.TEAM_CREATE, target=team)
    _serve_employers(actor=actor, team=team, employers=employers)
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    name: str,
    counsellor: User,
    deputy: User | None = None,
    employers=None,
) -> Team:
    """Rename a team, change its leads or the employers it serves (None: unchanged)."""
    if team.closed_on is not None:
        raise ValidationError(TEAM_CLOSED)
    _check_team_leads(counsellor, deputy)
    _check_team_name(team.operator_id, name, team)
    _save_validated(team, name=name.strip(), counsellor=counsellor, deputy=deputy)
    audit_log(actor=actor, action=AuditAction.TEAM_UPDATE, target=team)
    _serve_employers(actor=actor, team=team, employers=employers)
    return team


TEAM_CLOSED = "Cette équipe est fermée : elle ne se modifie plus."


def team_close_refusal(team: Team, on: dt.date) -> str | None:
    """Why `team` may not close on `on` (in French), or None.

    A team closes empty: its workers have left or moved (their cases handed over first),
    no case of it is open, and the employers it served have another team — or their
    referrals would wait in the queue of nobody."""
    from polesocial.casework.enums import CaseStatus
    from polesocial.casework.models import Case

    if team.closed_on is not None:
        return "Cette équipe est déjà fermée."
    workers = team.workers.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)).count()
    if workers:
        return (
            f"L'équipe compte encore {workers} ASS en activité : rattachez-les à une autre "
            "équipe ou enregistrez leur départ avant de la fermer."
        )
    cases = Case.objects.filter(worker__team=team, status=CaseStatus.OPEN).count()
    if cases:
        return (
            f"L'équipe a encore {cases} dossier(s) en cours : transférez-les (transfert de "
            "portefeuille) avant de la fermer."
        )
    employers = team.employers.count()
    if employers:
        return (
            f"L'équipe sert encore {employers} employeur(s) : confiez-les à une autre "
            "équipe avant de la fermer."
        )
    return None


@transaction.atomic
def team_close(*, actor: User, team: Team, on: dt.date) -> Team:
    """Close an emptied team: it leaves every choice list, its history stays."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if refusal := team_close_refusal(team, on):
        raise ValidationError(refusal)
    team.closed_on = on
    team.save(update_fields=["closed_on"])
    audit_log(actor=actor, action=AuditAction.TEAM_CLOSE, target=team)
    return team


def may_manage_team(actor: User, team: Team) -> bool:
    """The administrator manages every team's workers; a counsellor those of the teams
    she leads (as counsellor or deputy, or today in interim): privacy.scopes "managed"."""
    return may_act_on("managed", Team, team.pk, actor)


NOT_YOUR_TEAM = "Vous n'encadrez pas cette équipe."


def _check_fte(fte: Decimal) -> None:
    if not Decimal("0") < fte <= Decimal("1"):
        raise ValidationError({"fte": "La quotité est comprise entre 0,01 et 1 (par exemple 0,8)."})


def _check_worker_dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "Le départ ne peut pas précéder l'arrivée."})


def _check_open_team(team: Team) -> None:
    if team.closed_on is not None:
        raise ValidationError({"team": "Cette équipe est fermée."})


@transaction.atomic
def social_worker_create(
    *,
    actor: User,
    user: User,
    team: Team,
    fte: Decimal,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> SocialWorker:
    """Attach a social worker's account to a team with her working time, so that she can
    record her time (« Mon temps ») and receive referrals."""
    if not may_manage_team(actor, team):
        raise ValidationError({"team": NOT_YOUR_TEAM})
    if user.role != Role.SOCIAL_WORKER:
        raise ValidationError(
            {"user": "Seul un compte d'assistant·e de service social se rattache à une équipe."}
        )
    if SocialWorker.objects.filter(user=user).exists():
        raise ValidationError({"user": "Cette ASS est déjà rattachée à une équipe."})
    _check_open_team(team)
    _check_fte(fte)
    _check_worker_dates(starts_on, ends_on)
    worker = _save_validated(
        SocialWorker(user=user), team=team, fte=fte, starts_on=starts_on, ends_on=ends_on
    )
    audit_log(actor=actor, action=AuditAction.SOCIAL_WORKER_CREATE, target=worker)
    return worker


@transaction.atomic
def social_worker_update(
    *,
    actor: User,
    worker: SocialWorker,
    team: Team,
    fte: Decimal,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    hand_over_to: SocialWorker | None = None,
) -> SocialWorker:
    """Change a worker's working time, dates or team.

    Moving her to another team hands her open cases and pending referrals over to
    `hand_over_to`, a colleague of the team she leaves, through the caseload transfer
    (journaled there): she never takes them along. A counsellor manages the workers of the
    teams she leads only, and moves them between those teams only."""
    from polesocial.casework.enums import CaseStatus
    from polesocial.casework.models import Case
    from polesocial.casework.services.cases import caseload_transfer

    if not may_manage_team(actor, worker.team):
        raise ValidationError(NOT_YOUR_TEAM)
    if not may_manage_team(actor, team):
        raise ValidationError({"team": NOT_YOUR_TEAM})
    _check_fte(fte)
    _check_worker_dates(starts_on, ends_on)
    moving = team.pk != worker.team_id
    if moving:
        _check_open_team(team)
        has_open = Case.objects.filter(worker=worker, status=CaseStatus.OPEN).exists()
        if has_open and hand_over_to is None:
            raise ValidationError(
                {
                    "hand_over_to": "Cette ASS a des dossiers en cours : choisissez la "
                    "collègue de son équipe actuelle qui les reprend."
                }
            )
        if hand_over_to is not None:
            caseload_transfer(actor=actor, from_worker=worker, to_worker=hand_over_to)
    _save_validated(worker, team=team, fte=fte, starts_on=starts_on, ends_on=ends_on)
    audit_log(actor=actor, action=AuditAction.SOCIAL_WORKER_UPDATE, target=worker)
    return worker


@transaction.atomic
def employer_create(*, actor: User, **fields) -> Employer:
    # The model would name its `operator` field, which no form or serializer has.
    if fields.get("operator") is None:
        raise ValidationError(NO_OPERATOR)
    employer = _save_validated(Employer(), **fields)
    audit_log(actor=actor, action=AuditAction.EMPLOYER_CREATE, target=employer)
    return employer


@transaction.atomic
def employer_update(
    *, actor: User, employer: Employer, version: int | None = None, **fields
) -> Employer:
    check_version(employer, version)
    _save_validated(employer, **fields)
    audit_log(actor=actor, action=AuditAction.EMPLOYER_UPDATE, target=employer)
    return employer


@transaction.atomic
def headcount_set(*, actor: User | None, employer: Employer, year: int, **figures) -> Headcount:
    """Record (or replace) an employer's headcount for a year; its breakdowns by status and
    by category agree with the total."""
    rules.check_headcount_breakdowns(figures)
    headcount = Headcount.objects.filter(employer=employer, year=year).first()
    headcount = _save_validated(headcount or Headcount(employer=employer, year=year), **figures)
    audit_log(actor=actor, action=AuditAction.HEADCOUNT_SET, target=headcount)
    return headcount


@transaction.atomic
def convention_create(*, actor: User, **fields) -> Convention:
    convention = _save_validated(Convention(status=ConventionStatus.DRAFT), **fields)
    audit_log(actor=actor, action=AuditAction.CONVENTION_CREATE, target=convention)
    return convention


@transaction.atomic
def convention_update(
    *, actor: User, convention: Convention, version: int | None = None, **fields
) -> Convention:
    if convention.status == ConventionStatus.TERMINATED:
        raise ValidationError("Une convention résiliée ne se modifie plus.")
    if convention.status != ConventionStatus.DRAFT:
        _check_prices_unchanged(convention, fields)
    check_version(convention, version)
    _save_validated(convention, **fields)
    audit_log(actor=actor, action=AuditAction.CONVENTION_UPDATE, target=convention)
    return convention


# What a signed convention changes only by amendment (avenant), so that the periods already
# priced keep their prices (Convention.rate_on).
PRICE_FIELDS = (
    "billing_mode",
    "hourly_rate",
    "session_rate",
    "fte_yearly_amount",
    "mobility_hourly_rate",
)


def _check_prices_unchanged(convention: Convention, fields: dict) -> None:
    def same(old, new) -> bool:
        if old is None or new is None or isinstance(old, str) and not old[:1].isdigit():
            return old == new
        return Decimal(str(old)) == Decimal(str(new))

    for name in PRICE_FIELDS:
        if name in fields and not same(getattr(convention, name), fields[name]):
            raise ValidationError(
                {
                    name: "Les tarifs d'une convention signée ne changent que par avenant : "
                    "enregistrez un avenant sur la page de la convention."
                }
            )


def _transition(convention: Convention, target: ConventionStatus) -> None:
    current = ConventionStatus(convention.status)
    if current not in TRANSITIONS[target]:
        raise ValidationError(
            f"Cette convention est « {current.label} » : "
            f"elle ne peut pas passer à « {target.label} »."
        )
    convention.status = target


def _check_signed_on(signed_on: dt.date, field: str = "signed_on") -> None:
    if signed_on > timezone.localdate():
        raise ValidationError({field: "La date de signature ne peut pas être dans le futur."})


@transaction.atomic
def convention_sign(
    *, actor: User, convention: Convention, signed_on: dt.date, document=None
) -> Convention:
    """Draft → signed, with the signature date (and the signed document when given)."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    _transition(convention, ConventionStatus.SIGNED)
    _check_signed_on(signed_on)
    if document is not None:
        rules.check_signed_scan(document)
    convention.signed_on = signed_on
    if document is not None:
        convention.signed_document = document
    convention.save()
    audit_log(actor=actor, action=AuditAction.CONVENTION_SIGN, target=convention)
    return convention


@transaction.atomic
def convention_activate(*, actor: User, convention: Convention) -> Convention:
    """Signed → active: the service can now be provided and billed."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    _transition(convention, ConventionStatus.ACTIVE)
    convention.save()
    audit_log(actor=actor, action=AuditAction.CONVENTION_ACTIVATE, target=convention)
    return convention


@transaction.atomic
def convention_terminate(
    *, actor: User, convention: Convention, terminated_on: dt.date
) -> Convention:
    """Signed or active → terminated, on a date not before the start."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    _transition(convention, ConventionStatus.TERMINATED)
    if terminated_on < convention.starts_on:
        raise ValidationError("La date de résiliation précède le début de la convention.")
    convention.terminated_on = terminated_on
    convention.save()
    audit_log(actor=actor, action=AuditAction.CONVENTION_TERMINATE, target=convention)
    return convention


@transaction.atomic
def convention_scan_attach(*, actor: User, convention: Convention, document) -> Convention:
    """Deposit (or replace) the signed scan of a convention already signed: the signed
    copy often comes back after the date of signature was recorded."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status == ConventionStatus.DRAFT:
        raise ValidationError("Enregistrez d'abord la signature de la convention, avec sa date.")
    rules.check_signed_scan(document)
    convention.signed_document = document
    convention.save()
    audit_log(actor=actor, action=AuditAction.CONVENTION_SCAN, target=convention)
    return convention


def _invoiced_after(convention: Convention, day: dt.date):
    """The latest issued invoice of the convention's employer whose period ends on or after
    `day` (prices cannot change under an issued invoice), or None."""
    from polesocial.billing.enums import InvoiceKind, InvoiceStatus
    from polesocial.billing.models import Invoice

    return (
        Invoice.objects.filter(
            employer=convention.employer_id,
            kind=InvoiceKind.INVOICE,
            status__in=(InvoiceStatus.ISSUED, InvoiceStatus.PAID),
            period_end__gte=day,
        )
        .order_by("-period_end")
        .first()
    )


@transaction.atomic
def convention_amend(
    *,
    actor: User | None,
    convention: Convention,
    signed_on: dt.date,
    effective_from: dt.date,
    reason: str,
    hourly_rate: Decimal | None = None,
    session_rate: Decimal | None = None,
    fte_yearly_amount: Decimal | None = None,
    mobility_hourly_rate: Decimal | None = None,
    document=None,
) -> ConventionAmendment:
    """Record an amendment (avenant): new prices from `effective_from`, numbered in turn.

    Billing prices each day of work at the terms in force that day (`Convention.rate_on`),
    so an amendment may not take effect under an issued invoice, nor outside the
    convention."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status not in (ConventionStatus.SIGNED, ConventionStatus.ACTIVE):
        raise ValidationError(
            f"Cette convention est « {ConventionStatus(convention.status).label} » : un "
            "avenant ne se conclut que sur une convention signée ou en vigueur."
        )
    prices = (hourly_rate, session_rate, fte_yearly_amount, mobility_hourly_rate)
    if all(price is None for price in prices):
        raise ValidationError("Indiquez au moins un nouveau tarif.")
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de l'avenant."})
    _check_signed_on(signed_on)
    last_day = None if convention.tacit_renewal else convention.ends_on
    if convention.terminated_on:
        last_day = convention.terminated_on
    if effective_from < convention.starts_on or (last_day and effective_from > last_day):
        raise ValidationError(
            {
                "effective_from": "La date d'effet de l'avenant est en dehors de la "
                f"convention (du {convention.starts_on:%d/%m/%Y}"
                + (f" au {last_day:%d/%m/%Y}" if last_day else ", reconduite tacitement")
                + ")."
            }
        )
    if invoice := _invoiced_after(convention, effective_from):
        raise ValidationError(
            {
                "effective_from": "La période du "
                f"{invoice.period_start:%d/%m/%Y} au {invoice.period_end:%d/%m/%Y} est déjà "
                f"facturée (facture n° {invoice.number}) : l'avenant ne peut prendre effet "
                f"qu'à compter du {invoice.period_end + dt.timedelta(days=1):%d/%m/%Y}."
            }
        )
    if document is not None:
        rules.check_signed_scan(document)
    last = convention.amendments.aggregate(last=Max("number"))["last"] or 0
    amendment = _save_validated(
        ConventionAmendment(convention=convention, created_by=actor),
        number=last + 1,
        signed_on=signed_on,
        effective_from=effective_from,
        reason=reason.strip(),
        hourly_rate=hourly_rate,
        session_rate=session_rate,
        fte_yearly_amount=fte_yearly_amount,
        mobility_hourly_rate=mobility_hourly_rate,
        signed_document=document or "",
    )
    audit_log(actor=actor, action=AuditAction.CONVENTION_AMEND, target=amendment)
    # Drafts already priced at the former terms go; the next run rebuilds them.
    from polesocial.billing.services.runs import drafts_withdraw

    amendment.withdrawn_drafts = drafts_withdraw(convention.employer_id, effective_from)
    return amendment


def convention_notice_recipients(convention: Convention) -> list[User]:
    team = convention.employer.team
    leads = [u for u in (team.counsellor, team.deputy) if u is not None] if team else []
    billing = list(User.objects.filter(role=Role.BILLING, is_active=True))
    return [u for u in leads if u.is_active] + billing


@transaction.atomic
def convention_notices_send(*, on: dt.date) -> int:
    """Tell the counsellor and the billing officers, three months ahead, that a term ends.

    Idempotent: one notice per convention, term and person.
    """
    sent = 0
    live = (ConventionStatus.SIGNED, ConventionStatus.ACTIVE)
    for convention in Convention.objects.filter(status__in=live).select_related("employer__team"):
        end = rules.current_term_end(convention, on)
        if not rules.notice_due_on(convention, on) <= on <= end:
            continue
        verb = "est reconduite" if convention.tacit_renewal else "prend fin"
        sent += len(
            notification_send(
                recipients=convention_notice_recipients(convention),
                title=f"Convention de {convention.employer} : échéance le {end:%d/%m/%Y}",
                body=(
                    f"La convention avec {convention.employer} {verb} le "
                    f"{end + dt.timedelta(days=1):%d/%m/%Y}. Date limite de préavis : "
                    f"{rules.notice_deadline(convention, on):%d/%m/%Y}."
                ),
                url=reverse("organisations:convention_detail", args=[convention.pk]),
                key=f"convention:{convention.pk}:term:{end.isoformat()}",
            )
        )
    return sent


@transaction.atomic
def fte_share_set(
    *, actor: User, worker: SocialWorker, employer: Employer, year: int, share: Decimal
) -> tuple[FteShare, str | None]:
    """Set a worker's share for an employer and year; returns it with the 0.8 warning.

    A counsellor plans the workers of the teams she leads (or holds in interim) only."""
    if (
        actor is not None
        and actor.role == Role.COUNSELLOR
        and not may_manage_team(actor, worker.team)
    ):
        raise ValidationError({"worker": NOT_YOUR_TEAM})
    fte_share = FteShare.objects.filter(worker=worker, employer=employer, year=year).first()
    fte_share = _save_validated(
        fte_share or FteShare(worker=worker, employer=employer, year=year), share=share
    )
    audit_log(actor=actor, action=AuditAction.FTE_SHARE_SET, target=fte_share)
    total = FteShare.objects.total_for(worker, year)
    return fte_share, rules.shares_warning(total)


@transaction.atomic
def replacement_create(
    *,
    actor: User,
    absent: SocialWorker,
    replacing: SocialWorker,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Replacement:
    """Name a colleague to take over an absent worker's cases for a bounded period.

    A counsellor names them within the teams she leads (or holds in interim) only: a
    replacement opens the absent worker's cases."""
    if actor.role == Role.COUNSELLOR:
        for field, worker in (("absent", absent), ("replacing", replacing)):
            if not may_manage_team(actor, worker.team):
                raise ValidationError({field: NOT_YOUR_TEAM})
    if absent == replacing:
        raise ValidationError({"replacing": "Une ASS ne peut pas se remplacer elle-même."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin du remplacement précède son début."})
    replacement = Replacement.objects.create(
        absent=absent, replacing=replacing, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    audit_log(actor=actor, action=AuditAction.REPLACEMENT_CREATE, target=replacement)
    notification_send(
        recipients=[replacing.user],
        title=f"Remplacement de {absent} du {starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y}",
        body="Vous avez accès aux dossiers de votre collègue pendant cette période.",
        key=f"replacement:{replacement.pk}",
    )
    return replacement


def may_name_interim(actor: User, team: Team) -> bool:
    """The administrator names any team's interim; a counsellor that of a team she leads
    herself (as counsellor or deputy: an interim does not name another): privacy.scopes
    "interims"."""
    return may_act_on("interims", Team, team.pk, actor)


@transaction.atomic
def counsellor_interim_create(
    *, actor: User, team: Team, interim: User, starts_on: dt.date, ends_on: dt.date
) -> CounsellorInterim:
    """Name the counsellor who holds the team's counsellor's powers (queue, caseloads,
    replacements) during her absence, dates inclusive (circular 2007-38, annex I)."""
    if not may_name_interim(actor, team):
        raise ValidationError({"team": NOT_YOUR_TEAM})
    _check_open_team(team)
    if interim.role != Role.COUNSELLOR or not interim.is_active:
        raise ValidationError(
            {"interim": "L'intérim est assuré par un compte actif de conseiller·ère."}
        )
    if interim.pk == team.counsellor_id:
        raise ValidationError(
            {"interim": "La conseillère de l'équipe ne peut pas assurer son propre intérim."}
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin de l'intérim précède son début."})
    record = CounsellorInterim.objects.create(
        team=team,
        absent=team.counsellor,
        interim=interim,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit_log(actor=actor, action=AuditAction.COUNSELLOR_INTERIM_CREATE, target=record)
    notification_send(
        recipients=[interim],
        title=f"Intérim de l'équipe {team} du {starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y}",
        body="Vous disposez pendant cette période de la file, des portefeuilles et des "
        "remplacements de l'équipe ; chaque consultation est journalisée comme intérim.",
        key=f"counsellor_interim:{record.pk}",
    )
    return record


@transaction.atomic
def label_overrides_save(*, actor: User, labels: dict[tuple[str, str], str]) -> list[str]:
    """Record the operator's labels of fixed codes ({(list, code): label}); an empty label,
    or the product's own, goes back to the product's. Returns the "list:code" changed."""
    from polesocial.organisations.labels import LISTS, forget

    current = {(row.code_list, row.code): row for row in LabelOverride.objects.select_for_update()}
    changed = []
    for (code_list, code), text in sorted(labels.items()):
        if code_list not in LISTS or code not in LISTS[code_list][1].values:
            raise ValidationError(f"Code inconnu : {code_list} {code}.")
        text = " ".join((text or "").split())
        if len(text) > 120:
            raise ValidationError(f"Libellé trop long pour {code} (120 caractères au plus).")
        row = current.get((code_list, code))
        if not text or text == LISTS[code_list][1](code).label:
            if row is not None:
                row.delete()
                changed.append(f"{code_list}:{code}")
        elif row is None or row.label != text:
            LabelOverride.objects.update_or_create(
                code_list=code_list, code=code, defaults={"label": text}
            )
            changed.append(f"{code_list}:{code}")
    if changed:
        audit_log(actor=actor, action=AuditAction.LABEL_OVERRIDE_SET, detail={"codes": changed})
    forget()
    return changed
