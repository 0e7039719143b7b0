from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from polesocial.casework import rules
from polesocial.casework.enums import AssessmentOutcome, CaseStatus, Domain, ReferralStatus
from polesocial.casework.models import (
    Case,
    CaseClosure,
    CaseDomain,
    Consent,
    Employee,
    FirstAssessment,
    Referral,
)
from polesocial.casework.person import PersonRecord
from polesocial.casework.services.numbering import case_number
from polesocial.core.versioning import check_version
from polesocial.notifications.services import notification_send
from polesocial.organisations.models import SocialWorker, Team
from polesocial.privacy.access import may_act_on
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User


def _worker_of(actor: User) -> SocialWorker:
    worker = getattr(actor, "social_worker", None)
    if worker is None:
        raise ValidationError("Seule une ASS peut tenir un dossier.")
    return worker


def _check_domains(domains: list[str]) -> list[str]:
    unknown = set(domains) - set(Domain.values)
    if unknown:
        raise ValidationError({"domains": f"Domaines inconnus : {', '.join(sorted(unknown))}."})
    return sorted(set(domains))


@transaction.atomic
def case_open(
    *,
    actor: User,
    employee: Employee,
    consent: Consent | None,
    domains: list[str],
    opened_on: dt.date,
    assessment: str = "",
    referral: Referral | None = None,
    worker: SocialWorker | None = None,
) -> Case:
    """Open a case for an employee who has given active consent; snapshot their situation.

    On a referral: once, and only when its first assessment concludes to open a case.
    """
    if consent is None:  # none given, or out of the actor's sight
        raise ValidationError(rules.NO_CONSENT, code="no_consent")
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    rules.check_consent(consent)
    if consent.employee_id != employee.pk:
        raise ValidationError("Cette adhésion a été donnée par un autre agent.")
    rules.check_not_future(opened_on, timezone.localdate(), "opened_on", "L'ouverture")
    if not domains:
        raise ValidationError({"domains": "Indiquez au moins un domaine."})
    if referral is not None:
        if Case.objects.filter(referral=referral).exists():
            raise ValidationError(rules.CASE_ALREADY, code="case_already")
        rules.check_assessment_opens_case(FirstAssessment.objects.filter(referral=referral).first())
    case = Case(
        number=case_number(opened_on.year),
        employee=employee,
        worker=worker or _worker_of(actor),
        referral=referral,
        consent=consent,
        opened_on=opened_on,
        assessment=assessment,
        snapshot_employer=employee.employer,
        snapshot_status=employee.status,
        snapshot_category=employee.category,
        snapshot_birth_year=employee.birth_date.year,
        snapshot_sex=employee.sex,
        snapshot_family_situation=employee.family_situation,
        person_data=_person_for(employee, referral).to_json(),
    )
    case.save()
    CaseDomain.objects.bulk_create(
        [CaseDomain(case=case, domain=code) for code in _check_domains(domains)]
    )
    audit_log(actor=actor, action=AuditAction.CASE_OPEN, target=case, subject=case)
    return case


def _person_for(employee: Employee, referral: Referral | None) -> PersonRecord:
    """The employee as the worker confirmed them at assessment (else the shared record)."""
    assessment = getattr(referral, "first_assessment", None) if referral else None
    person = assessment.person if assessment is not None else None
    return person or PersonRecord.from_employee(employee)


def check_case_writable(case: Case) -> None:
    """New interviews and plan changes need an open case and an active consent."""
    if case.status != CaseStatus.OPEN:
        raise ValidationError("Ce dossier est clos : rouvrez-le pour y ajouter des éléments.")
    rules.check_consent(Consent.objects.get(pk=case.consent_id))


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    domains: list[str],
    assessment: str,
    version: int | None = None,
) -> Case:
    """Change the domains and the assessment of the `version` of the case its writer saw
    (by default the one `case` was loaded with): VersionConflict if it changed since."""
    seen = case
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError("Ce dossier est clos : rouvrez-le pour le modifier.")
    if not domains:
        raise ValidationError({"domains": "Indiquez au moins un domaine."})
    check_version(case, seen.version if version is None else version)
    seen.version = case.version
    case.assessment = assessment
    case.save(update_fields=["assessment"])
    codes = _check_domains(domains)
    case.domains.exclude(domain__in=codes).delete()
    existing = set(case.domains.values_list("domain", flat=True))
    CaseDomain.objects.bulk_create(
        [CaseDomain(case=case, domain=code) for code in codes if code not in existing]
    )
    audit_log(actor=actor, action=AuditAction.CASE_UPDATE, target=case, subject=case)
    return case


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    closed_on: dt.date,
    reason: str,
    outcome: str = "",
) -> CaseClosure:
    """Close a case (allowed even after consent is withdrawn)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("Ce dossier est déjà clos.")
    rules.check_closure(opened_on=case.opened_on, closed_on=closed_on, today=timezone.localdate())
    closure = CaseClosure(
        case=case, closed_on=closed_on, reason=reason, outcome=outcome, closed_by=actor
    )
    closure.full_clean()
    closure.save()
    case.status, case.closed_on = CaseStatus.CLOSED, closed_on
    case.save(update_fields=["status", "closed_on"])
    audit_log(actor=actor, action=AuditAction.CASE_CLOSE, target=case, subject=case)
    return closure


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reopened_on: dt.date) -> Case:
    """Reopen a closed case; its closure stays in the history with the reopening date."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        raise ValidationError("Ce dossier n'est pas clos.")
    if case.archived_on is not None:
        raise ValidationError(
            "Ce dossier est archivé (durée de conservation dépassée) : ouvrez un nouveau "
            "dossier si l'agent revient."
        )
    closure = case.closures.filter(reopened_on__isnull=True).first()
    if closure and reopened_on < closure.closed_on:
        raise ValidationError({"reopened_on": "La réouverture ne peut pas précéder la clôture."})
    if reopened_on > timezone.localdate():
        raise ValidationError(
            {"reopened_on": "La réouverture ne peut pas être datée dans le futur."}
        )
    rules.check_consent(Consent.objects.get(pk=case.consent_id))
    if closure:
        closure.reopened_on = reopened_on
        closure.save(update_fields=["reopened_on"])
    case.status, case.closed_on = CaseStatus.OPEN, None
    case.save(update_fields=["status", "closed_on"])
    audit_log(actor=actor, action=AuditAction.CASE_REOPEN, target=case, subject=case)
    return case


@transaction.atomic
def case_transfer(*, actor: User, case: Case, to_worker: SocialWorker) -> Case:
    """Hand one case to another worker of the same team (audited; the new worker is told)."""
    case = Case.objects.select_for_update().select_related("worker").get(pk=case.pk)
    if case.worker_id == to_worker.pk:
        raise ValidationError("Ce dossier est déjà suivi par cette ASS.")
    if case.worker.team_id != to_worker.team_id:
        raise ValidationError("Un dossier se transfère à une ASS de la même équipe.")
    previous = case.worker_id
    case.worker = to_worker
    case.save(update_fields=["worker"])
    _referrals_follow([case], to_worker)
    audit_log(
        actor=actor,
        action=AuditAction.CASE_TRANSFER,
        target=case,
        subject=case,
        detail={"from_worker": previous, "to_worker": to_worker.pk},
    )
    notification_send(
        recipients=[to_worker.user],
        title=f"Dossier {case.number} transféré",
        body="Un dossier vous a été transféré.",
        key=f"case:{case.pk}:transfer:{to_worker.pk}:{timezone.now().isoformat()}",
    )
    return case


def _referrals_follow(cases: list[Case], worker: SocialWorker) -> None:
    """A transferred case takes its referral along (reason, assessment, consent): the new
    worker holds them, and the previous one no longer reads them (privacy.scopes)."""
    referral_ids = [case.referral_id for case in cases if case.referral_id]
    Referral.objects.filter(pk__in=referral_ids).update(assigned_to=worker)


@transaction.atomic
def caseload_transfer(*, actor: User, from_worker: SocialWorker, to_worker: SocialWorker) -> int:
    """Hand a departing worker's open cases to a colleague; returns how many moved.

    Her referrals still in progress (assigned, or assessed for a case not opened yet) go
    too, or they would wait for nobody. Closed cases stay with the worker who held them:
    handing them over would widen the circle of the secret to someone who never met the
    person (a return is a new referral, silently matched).
    """
    if not may_act_on("managed", Team, from_worker.team_id, actor):
        raise ValidationError(
            "Vous n'encadrez pas l'équipe de cette ASS : seule sa responsable (ou son "
            "intérim) ou l'administration transfère ses dossiers."
        )
    if from_worker.pk == to_worker.pk:
        raise ValidationError({"to_worker": "Choisissez une autre ASS que l'ASS qui part."})
    if from_worker.team_id != to_worker.team_id:
        raise ValidationError({"to_worker": "Choisissez une ASS de la même équipe."})
    cases = list(Case.objects.select_for_update().filter(worker=from_worker, status="open"))
    for case in cases:
        case.worker = to_worker
    Case.objects.bulk_update(cases, ["worker"])
    _referrals_follow(cases, to_worker)
    pending = Referral.objects.filter(assigned_to=from_worker, cases__isnull=True).filter(
        Q(status=ReferralStatus.ASSIGNED)
        | Q(status=ReferralStatus.ASSESSED, first_assessment__outcome=AssessmentOutcome.OPEN_CASE)
    )
    pending_ids = list(pending.values_list("pk", flat=True))
    Referral.objects.filter(pk__in=pending_ids).update(assigned_to=to_worker)
    if pending_ids:
        audit_log(
            actor=actor,
            action=AuditAction.REFERRAL_TRANSFER,
            targets=list(Referral.objects.filter(pk__in=pending_ids)),
            detail={"from_worker": from_worker.pk, "to_worker": to_worker.pk},
        )
    if cases:
        audit_log(
            actor=actor,
            action=AuditAction.CASE_TRANSFER,
            targets=cases,
            detail={"from_worker": from_worker.pk, "to_worker": to_worker.pk},
        )
    if cases or pending_ids:
        notification_send(
            recipients=[to_worker.user],
            title=f"{len(cases)} dossier(s) et {len(pending_ids)} saisine(s) transférés",
            body=f"Les dossiers en cours et les saisines de {from_worker} vous ont été transférés.",
        )
    return len(cases)
