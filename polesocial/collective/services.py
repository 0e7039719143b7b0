"""Writes on collective work: each in a transaction, checked, and written to the journal.

Every check raises a ValidationError with French messages by field (the API answers 400,
the forms show them beside the field). Who may write is decided before (views, API:
`permissions.can_edit` and the `collective` feature); these functions do not decide it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from polesocial.billing.services import time_record_body_meeting, time_record_collective_action
from polesocial.casework.documents import check_upload
from polesocial.collective import rules
from polesocial.collective.models import (
    ActionDocument,
    ActionEmployer,
    Alert,
    BodyMeeting,
    CollectiveAction,
)
from polesocial.core.versioning import check_version
from polesocial.directory.models import Partner
from polesocial.notifications.services import notification_send
from polesocial.organisations.models import Employer, SocialWorker
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role
from polesocial.users.models import User

# The free texts of each record that the employer reads, hence checked for names (the
# warning is shown beside the first that names someone).
CHECKED_TEXTS: dict[type, tuple[str, ...]] = {
    CollectiveAction: ("evaluation", "title"),
    BodyMeeting: ("topics", "follow_ups"),
    Alert: ("description", "follow_up"),
}


def _merge(errors: dict[str, list[str]], error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        errors.setdefault(name, []).extend(messages)


def _full_clean(instance, errors: dict[str, list[str]], exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        _merge(errors, error)


def _check_names(instance, reader: User, names_confirmed: bool, errors: dict) -> None:
    """The name check, against the employees `reader` (the one who writes) follows."""
    if names_confirmed:
        return
    texts = {name: getattr(instance, name) for name in CHECKED_TEXTS[type(instance)]}
    field = rules.field_naming(reader=reader, texts=texts)
    if field is not None:
        errors.setdefault(field, []).append(rules.NAME_WARNING)


def names_check(*, actor: User, employers: Iterable[Employer], texts: dict[str, str]) -> str | None:
    """Run the name check for a form: the first field ({field: text}) that names an
    employee the actor follows, or None. A match is journaled.

    Not atomic with the write that follows (which a match stops): the journal keeps every
    match, so that the DPO can see someone probing the check with names. The entry holds
    the employers' ids only, never the text or who matched.
    """
    employers = list(employers)
    field = rules.field_naming(reader=actor, texts=texts)
    if field is not None:
        name_warning_log(actor=actor, employers=employers)
    return field


def name_warning_log(*, actor: User, employers: Iterable[Employer]) -> None:
    """Journal one refusal by the name check: who, and about which employers."""
    audit_log(actor=actor, action=AuditAction.COLLECTIVE_NAME_WARNING, targets=list(employers))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Collective actions ------------------------------------------------------------------

ActionShares = Sequence[tuple[Employer, int | None]]


def _check_shares(shares: ActionShares, errors: dict[str, list[str]]) -> None:
    employers = [employer for employer, _ in shares]
    if not employers:
        errors.setdefault("employers", []).append("Choisissez au moins un employeur.")
    elif len({e.pk for e in employers}) != len(employers):
        errors.setdefault("employers", []).append("Un employeur figure deux fois.")
    if any(count is not None and count < 0 for _, count in shares):
        errors.setdefault("employers", []).append(
            "Un nombre de participants ne peut pas être négatif."
        )


def _save_action(
    action: CollectiveAction,
    *,
    shares: ActionShares | None,
    partners: Iterable[Partner] | None,
    names_confirmed: bool,
    reader: User,
) -> CollectiveAction:
    errors: dict[str, list[str]] = {}
    if shares is None:
        shares = [(s.employer, s.attendance) for s in action.employer_shares.all()]
    _check_shares(shares, errors)
    _full_clean(action, errors)
    if shares and action.starts_on and not errors:
        attendance = rules.check_attendance(
            year=action.starts_on.year,
            total=action.attendance,
            shares=shares,
            categories=action.categories,
        )
        _merge(errors, attendance.as_validation_error())
        action.attendance = attendance.total
        shares = [(e, c) for (e, _), c in zip(shares, attendance.shares, strict=True)]
    _check_names(action, reader, names_confirmed, errors)
    _raise(errors)
    action.save()
    action.employer_shares.exclude(employer__in=[e for e, _ in shares]).delete()
    for employer, count in shares:
        ActionEmployer.objects.update_or_create(
            action=action, employer=employer, defaults={"attendance": count}
        )
    if partners is not None:
        action.partners.set(partners)
    return action


@transaction.atomic
def collective_action_create(
    *,
    actor: User,
    worker: SocialWorker,
    employers: ActionShares,
    partners: Iterable[Partner] = (),
    names_confirmed: bool = False,
    **fields,
) -> CollectiveAction:
    """Record a collective action of `worker` for `employers` [(employer, attendance)].

    `fields` are the model's (title, kind, theme, starts_on, ends_on, duration_minutes,
    preparation_minutes, attendance, attendance_category_a/b/c, satisfaction, evaluation).
    """
    action = CollectiveAction(worker=worker, **fields)
    _save_action(
        action,
        shares=employers,
        partners=partners,
        names_confirmed=names_confirmed,
        reader=actor,
    )
    time_record_collective_action(actor=actor, action=action)
    audit_log(actor=actor, action=AuditAction.COLLECTIVE_ACTION_CREATE, target=action)
    return action


@transaction.atomic
def collective_action_update(
    *,
    actor: User,
    action: CollectiveAction,
    employers: ActionShares | None = None,
    partners: Iterable[Partner] | None = None,
    names_confirmed: bool = False,
    version: int | None = None,
    **fields,
) -> CollectiveAction:
    """Change a collective action; `employers` and `partners`, when given, replace them.

    `version`: the one its writer saw (by default the one `action` was loaded with)."""
    seen = action
    action = CollectiveAction.objects.select_for_update().get(pk=action.pk)
    check_version(action, seen.version if version is None else version)
    seen.version = action.version
    if employers is not None and "attendance" not in fields:
        if all(count is not None for _, count in employers):
            action.attendance = None  # the total follows the employers' attendance given
    for name, value in fields.items():
        setattr(action, name, value)
    _save_action(
        action,
        shares=employers,
        partners=partners,
        names_confirmed=names_confirmed,
        reader=actor,
    )
    time_record_collective_action(actor=actor, action=action)
    audit_log(actor=actor, action=AuditAction.COLLECTIVE_ACTION_UPDATE, target=action)
    return action


@transaction.atomic
def action_document_add(
    *, actor: User, action: CollectiveAction, name: str, data: bytes
) -> ActionDocument:
    """Attach a document (checked: size, type, content matching its extension)."""
    content_type = check_upload(name, data)
    document = ActionDocument(
        action=action,
        name=name[:200],
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    audit_log(actor=actor, action=AuditAction.COLLECTIVE_DOCUMENT_ADD, target=document)
    return document


@transaction.atomic
def action_document_delete(*, actor: User, document: ActionDocument) -> None:
    audit_log(actor=actor, action=AuditAction.COLLECTIVE_DOCUMENT_DELETE, target=document)
    stored: str = document.file.name or ""
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- Body meetings -----------------------------------------------------------------------


def _save_meeting(meeting: BodyMeeting, *, names_confirmed: bool, reader: User) -> BodyMeeting:
    errors: dict[str, list[str]] = {}
    _full_clean(meeting, errors)
    if meeting.employer_id:
        _check_names(meeting, reader, names_confirmed, errors)
    _raise(errors)
    meeting.save()
    return meeting


@transaction.atomic
def body_meeting_create(
    *, actor: User, worker: SocialWorker, names_confirmed: bool = False, **fields
) -> BodyMeeting:
    """Record the worker's participation in a meeting of an HR body.

    `fields`: employer, body, held_on, duration_minutes, preparation_minutes, topics,
    follow_ups.
    """
    meeting = _save_meeting(
        BodyMeeting(worker=worker, **fields), names_confirmed=names_confirmed, reader=actor
    )
    time_record_body_meeting(actor=actor, meeting=meeting)
    audit_log(actor=actor, action=AuditAction.BODY_MEETING_CREATE, target=meeting)
    return meeting


@transaction.atomic
def body_meeting_update(
    *,
    actor: User,
    meeting: BodyMeeting,
    names_confirmed: bool = False,
    version: int | None = None,
    **fields,
) -> BodyMeeting:
    seen = meeting
    meeting = BodyMeeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, seen.version if version is None else version)
    seen.version = meeting.version
    for name, value in fields.items():
        setattr(meeting, name, value)
    _save_meeting(meeting, names_confirmed=names_confirmed, reader=actor)
    time_record_body_meeting(actor=actor, meeting=meeting)
    audit_log(actor=actor, action=AuditAction.BODY_MEETING_UPDATE, target=meeting)
    return meeting


# --- Alerts ------------------------------------------------------------------------------


def alert_recipients(employer: Employer):
    """The accounts an alert about `employer` may be addressed to: its active HR contacts.

    Accounts, not employees: reading them is how the worker chooses the addressees.
    """
    return employer.accounts.filter(role=Role.EMPLOYER_CONTACT, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def _check_addressees(alert: Alert, addressees: Sequence[User], errors: dict) -> None:
    if not addressees:
        errors.setdefault("addressees", []).append("Choisissez au moins un·e destinataire.")
        return
    allowed = set(alert_recipients(alert.employer).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in addressees):
        errors.setdefault("addressees", []).append(
            f"Une alerte n'est adressée qu'aux correspondant·e·s RH de {alert.employer}."
        )


def _notify(alert: Alert, recipients: Iterable[User]) -> None:
    # The notice (and its e-mail) says what it is and where to read it, not what it says.
    notification_send(
        recipients=recipients,
        title=f"Alerte de vigilance sociale — {alert.employer}",
        body=(
            f"Le service social du travail vous adresse une alerte du "
            f"{alert.raised_on:%d/%m/%Y} ({alert.get_risk_display().lower()})."
        ),
        url=reverse("collective:alert_detail", args=[alert.pk]),
        key=f"collective_alert:{alert.pk}",
    )


def _save_alert(
    alert: Alert, addressees: Sequence[User], names_confirmed: bool, reader: User
) -> Alert:
    errors: dict[str, list[str]] = {}
    _full_clean(alert, errors)
    if alert.employer_id:
        _check_addressees(alert, addressees, errors)
        _check_names(alert, reader, names_confirmed, errors)
    _raise(errors)
    alert.save()
    alert.addressees.set(addressees)
    return alert


@transaction.atomic
def alert_create(
    *,
    actor: User,
    worker: SocialWorker,
    employer: Employer,
    addressees: Sequence[User],
    raised_on: dt.date,
    risk: str,
    description: str,
    follow_up: str = "",
    names_confirmed: bool = False,
) -> Alert:
    """Raise a vigilance alert about `employer` and notify its addressees (HR contacts of
    that employer only). The description is checked for employees' names first."""
    alert = Alert(
        worker=worker,
        employer=employer,
        raised_on=raised_on,
        risk=risk,
        description=description,
        follow_up=follow_up,
    )
    _save_alert(alert, list(addressees), names_confirmed, actor)
    audit_log(
        actor=actor,
        action=AuditAction.ALERT_CREATE,
        target=alert,
        detail={"addressees": sorted(user.pk for user in addressees)},
    )
    _notify(alert, addressees)
    return alert


@transaction.atomic
def alert_update(
    *,
    actor: User,
    alert: Alert,
    addressees: Sequence[User] | None = None,
    names_confirmed: bool = False,
    version: int | None = None,
    **fields,
) -> Alert:
    """Change an alert (its employer stays); added addressees are notified, once each."""
    seen = alert
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    check_version(alert, seen.version if version is None else version)
    seen.version = alert.version
    fields.pop("employer", None)
    for name, value in fields.items():
        setattr(alert, name, value)
    addressees = list(alert.addressees.all()) if addressees is None else list(addressees)
    _save_alert(alert, addressees, names_confirmed, actor)
    audit_log(
        actor=actor,
        action=AuditAction.ALERT_UPDATE,
        target=alert,
        detail={"addressees": sorted(user.pk for user in addressees)},
    )
    _notify(alert, addressees)
    return alert
