"""Rules of case work, as French messages (pure functions: no database writes)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from polesocial.casework.enums import AssessmentOutcome

MAX_INTERVIEW_MINUTES = 8 * 60

NO_CONSENT = (
    "L'adhésion de l'agent à la démarche n'est pas recueillie (ou a été retirée) : "
    "aucun accompagnement ni entretien ne peut être enregistré sans elle."
)
NOT_ASSESSED = (
    "Enregistrez d'abord l'évaluation téléphonique : l'identité de l'agent n'est pas confirmée."
)
NO_CASE_OUTCOME = "L'évaluation téléphonique ne conclut pas à un accompagnement."
CONSENT_ALREADY = "L'adhésion de l'agent est déjà recueillie pour cette saisine."
CASE_ALREADY = "Un dossier est déjà ouvert pour cette saisine."


def check_interview(*, occurred_on: dt.date, duration_minutes: int, today: dt.date) -> None:
    errors = {}
    if occurred_on > today:
        errors["occurred_on"] = "Un entretien ne peut pas être daté dans le futur."
    if duration_minutes <= 0:
        errors["duration_minutes"] = "La durée doit être d'au moins une minute."
    elif duration_minutes > MAX_INTERVIEW_MINUTES:
        errors["duration_minutes"] = "Un entretien ne peut pas dépasser 8 heures (480 minutes)."
    if errors:
        raise ValidationError(errors)


# The ages a public employee may have: an apprentice from 14, and no one past 100 (a birth
# date outside is a typing error, e.g. 2030 for 1930, which would then be frozen).
MIN_EMPLOYEE_AGE, MAX_EMPLOYEE_AGE = 14, 100


def check_birth_date(birth_date: dt.date | None, *, today: dt.date) -> None:
    """Refuse an impossible birth date at entry: in the future, or an age out of bounds."""
    if birth_date is None:
        return
    if birth_date >= today:
        raise ValidationError({"birth_date": "La date de naissance doit être passée."})
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    if not MIN_EMPLOYEE_AGE <= age <= MAX_EMPLOYEE_AGE:
        raise ValidationError(
            {
                "birth_date": f"Date de naissance impossible : l'agent aurait {age} ans "
                f"(entre {MIN_EMPLOYEE_AGE} et {MAX_EMPLOYEE_AGE} ans attendus)."
            }
        )


def check_closure(*, opened_on: dt.date, closed_on: dt.date, today: dt.date) -> None:
    if closed_on < opened_on:
        raise ValidationError(
            {"closed_on": f"La clôture ne peut pas précéder l'ouverture ({opened_on:%d/%m/%Y})."}
        )
    if closed_on > today:
        raise ValidationError({"closed_on": "La clôture ne peut pas être datée dans le futur."})


def check_consent(consent) -> None:
    """No case, interview or plan change without the employee's active consent."""
    if consent is None or consent.withdrawn_on is not None:
        raise ValidationError(NO_CONSENT, code="no_consent")


def check_assessment_opens_case(assessment) -> None:
    """Consent and case follow a first assessment that concludes to open a case."""
    if assessment is None:
        raise ValidationError(NOT_ASSESSED, code="not_assessed")
    if assessment.outcome != AssessmentOutcome.OPEN_CASE:
        raise ValidationError(NO_CASE_OUTCOME, code="no_case_outcome")


def check_not_future(day: dt.date, today: dt.date, field: str, label: str) -> None:
    if day > today:
        raise ValidationError({field: f"{label} ne peut pas être dans le futur."})
