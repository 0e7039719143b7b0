"""Rectification (GDPR art. 16): the worker in charge corrects the identity she recorded."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from polesocial.casework import rules
from polesocial.casework.models import Case, Consent, Employee, FirstAssessment, Referral
from polesocial.casework.services.referrals import EMPLOYEE_FIELDS, employee_match_or_create
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.models import User

NOT_IN_CHARGE = "Seule l'ASS en charge du dossier peut corriger l'identité de l'agent."
ARCHIVED = "Ce dossier est archivé : l'identité n'y est plus corrigée."


@transaction.atomic
def employee_identity_correct(
    *, actor: User, case: Case, last_name: str, first_name: str, birth_date: dt.date
) -> Case:
    """Correct the names and birth date of the case's employee (a typing error, a change
    of name): the worker's own record changes, and the employee is matched again, silently.

    The case, its consent and its referral move to the row the corrected identity
    designates — already known or new — so statistics still count the person once; the
    former row is deleted when nothing refers to it any more (a wrong identity must not
    linger). The journal records that the identity changed, never the values.
    """
    case = Case.objects.visible_by(actor).select_for_update().filter(pk=case.pk).first()
    if case is None:
        raise ValidationError(NOT_IN_CHARGE)
    if case.archived_on is not None:
        raise ValidationError(ARCHIVED)
    last_name, first_name = last_name.strip(), first_name.strip()
    if not last_name or not first_name:
        raise ValidationError("Le nom et le prénom sont obligatoires.")
    rules.check_birth_date(birth_date, today=timezone.localdate())
    person = dataclasses.replace(
        case.person, last_name=last_name, first_name=first_name, birth_date=birth_date
    )
    former = case.employee
    fields = {name: getattr(former, name) for name in EMPLOYEE_FIELDS}
    employee = employee_match_or_create(
        last_name=last_name, first_name=first_name, birth_date=birth_date, **fields
    )
    case.employee, case.person_data = employee, person.to_json()
    case.snapshot_birth_year = birth_date.year
    case.save(update_fields=["employee", "person_data", "snapshot_birth_year"])
    Consent.objects.filter(Q(pk=case.consent_id) | Q(referral=case.referral_id)).filter(
        employee=former
    ).update(employee=employee)
    if case.referral_id is not None:
        Referral.objects.filter(pk=case.referral_id).update(employee=employee)
        assessment = FirstAssessment.objects.filter(referral=case.referral_id).first()
        if assessment is not None and assessment.person_data:
            assessment.person_data = dataclasses.replace(
                assessment.person, last_name=last_name, first_name=first_name,
                birth_date=birth_date,
            ).to_json()  # fmt: skip
            assessment.save(update_fields=["person_data"])
    if former.pk != employee.pk:
        _delete_if_unreferenced(former)
    audit_log(actor=actor, action=AuditAction.EMPLOYEE_IDENTITY_CORRECT, target=case, subject=case)
    return case


def _delete_if_unreferenced(employee: Employee) -> None:
    held = (
        Case.objects.filter(employee=employee).exists()
        or Referral.objects.filter(employee=employee).exists()
        or Consent.objects.filter(employee=employee).exists()
    )
    if not held:
        employee.delete()
