"""Writes on accounts: creation, deactivation, second factor, sign-in bookkeeping."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.users.enums import Role
from polesocial.users.middleware import SIGNED_IN_AT
from polesocial.users.models import LoginAttempt, ProConnectDevice, User, UserSession

GENERIC_SIGN_IN_ERROR = (
    "Connexion impossible : identifiant, mot de passe ou code incorrect, "
    "ou compte temporairement bloqué après plusieurs échecs. Réessayez plus tard."
)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    password: str | None = None,
) -> User:
    """Create an account (admin only); without a password, the person sets one by e-mail.

    One account per address, whatever its case."""
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse."})
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, role=role
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    audit_log(actor=actor, action=AuditAction.USER_CREATE, target=user)
    return user


def role_change_refusal(user: User, role: str) -> str | None:
    """Why `user` may not take `role` now (in French), or None when nothing stands in the way.

    A social worker attached to a team, or a counsellor leading one, keeps her role until
    that record is changed: the team, her cases and her time depend on it."""
    if role == user.role:
        return None
    if user.role == Role.SOCIAL_WORKER and hasattr(user, "social_worker"):
        return (
            "Cette ASS est rattachée à une équipe : ses dossiers et son temps en dépendent. "
            "Changez d'abord son rattachement."
        )
    open_teams = {"closed_on__isnull": True}  # a closed team holds nobody back
    if user.role == Role.COUNSELLOR and (
        user.led_teams.filter(**open_teams).exists()
        or user.deputy_teams.filter(**open_teams).exists()
    ):
        return (
            "Ce compte encadre une équipe : désignez d'abord une autre conseillère "
            "ou un autre conseiller."
        )
    return None


# The roles whose account is linked to employers (Employer.accounts).
EMPLOYER_LINKED_ROLES = (Role.EMPLOYER_CONTACT, Role.PHYSICIAN)

# What a person loses when she leaves a role (the screens of privacy.features).
ROLE_LOSSES: dict[str, str] = {
    Role.SOCIAL_WORKER: "ne lit plus ses dossiers ni ses saisines, et perd « Mon temps »",
    Role.COUNSELLOR: "perd la file des saisines, les portefeuilles, le plan d'ETP, "
    "les remplacements et les intérims de ses équipes",
    Role.SECRETARY: "perd l'annuaire et le registre des employeurs",
    Role.BILLING: "perd la facturation, les conventions et les mentions des factures",
    Role.EMPLOYER_CONTACT: "n'envoie plus de saisine et ne voit plus la page, les factures "
    "ni les bilans de son employeur",
    Role.PHYSICIAN: "n'envoie plus de saisine",
    Role.NATIONAL_ADVISER: "perd les bilans nationaux et la fédération des opérateurs",
    Role.DPO: "perd le journal d'audit et les demandes d'accès",
    Role.ADMIN: "perd l'administration des comptes, des équipes, de l'opérateur et des listes",
}


def role_change_consequences(user: User, role: str) -> list[str]:
    """What changes for `user` if she takes `role`, in French, said before saving."""
    if role == user.role:
        return []
    new_label = Role(role).label
    consequences = [
        f"{user.full_name} {ROLE_LOSSES[user.role]}.",
        f"Elle ou il obtient les écrans du rôle « {new_label} » dès sa prochaine page.",
    ]
    linked = user.employers.count()
    if linked and role not in EMPLOYER_LINKED_ROLES:
        consequences.append(
            f"Ses rattachements à {linked} employeur(s) sont à décocher : ce rôle n'en a pas."
        )
    interims = user.interims.filter(ends_on__gte=timezone.localdate()).count()
    if interims:
        consequences.append(
            f"Les {interims} intérim(s) de conseiller·ère qu'elle ou il assure ou doit assurer "
            "ne lui donneront plus aucun accès : désignez quelqu'un d'autre."
        )
    tokens = user.api_tokens.usable().count()
    if tokens:
        consequences.append(
            f"Ses {tokens} jeton(s) d'API en cours agiront avec les droits du nouveau rôle : "
            "révoquez-les si l'outil qui les utilise ne doit pas les avoir."
        )
    consequences.append("Le changement est inscrit au journal d'audit.")
    return consequences


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    employers=None,
    proconnect_enabled: bool | None = None,
) -> User:
    """Edit an account's names, address, role and, for an HR contact or a physician, the
    employers it answers for (admin only; never one's own role); and whether it may sign
    in with ProConnect."""
    email = email.strip().lower()
    employers = list(employers or [])
    if employers and role not in EMPLOYER_LINKED_ROLES:
        raise ValidationError(
            {
                "employers": "Seuls un·e correspondant·e RH ou un·e médecin de prévention "
                "sont rattachés à des employeurs."
            }
        )
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse."})
    if user.pk == actor.pk and role != user.role:
        raise ValidationError({"role": "Vous ne pouvez pas changer votre propre rôle."})
    if refusal := role_change_refusal(user, role):
        raise ValidationError({"role": refusal})
    changed = sorted(
        name
        for name, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("email", email),
            ("role", role),
        )
        if getattr(user, name) != value
    )
    if {e.pk for e in employers} != set(user.employers.values_list("pk", flat=True)):
        changed = sorted([*changed, "employers"])
        # Unlinked, the account reads that employer's data no more.
        user.employers.set(employers)
    if proconnect_enabled is not None and proconnect_enabled != user.proconnect_enabled:
        changed = sorted([*changed, "proconnect_enabled"])
        user.proconnect_enabled = proconnect_enabled
        if not proconnect_enabled and user.proconnect_sub:
            # Withdrawn, the bound identity is forgotten: enabled again, the account is
            # matched by e-mail once more (a new ProConnect identity after a move).
            changed = sorted([*changed, "proconnect_sub"])
            user.proconnect_sub = None
    user.first_name, user.last_name, user.email, user.role = first_name, last_name, email, role
    user.full_clean()
    user.save()
    # The names of the changed fields only: never their values (the journal keeps no names).
    audit_log(actor=actor, action=AuditAction.USER_UPDATE, target=user, detail={"fields": changed})
    return user


def deactivation_refusal(user: User) -> str | None:
    """Why `user`'s account may not be deactivated now (in French), or None."""
    from polesocial.casework.enums import CaseStatus, ReferralStatus
    from polesocial.casework.models import Case, Referral

    worker = getattr(user, "social_worker", None)
    if worker is not None:
        cases = Case.objects.filter(worker=worker, status=CaseStatus.OPEN).count()
        referrals = Referral.objects.filter(
            assigned_to=worker, status=ReferralStatus.ASSIGNED
        ).count()
        if cases or referrals:
            return (
                f"Cette ASS a {cases} dossier(s) en cours et {referrals} saisine(s) attribuée(s) : "
                "transférez-les à une collègue (transfert de portefeuille) avant de désactiver "
                "son compte."
            )
    if user.role == Role.COUNSELLOR:
        led = user.led_teams.filter(closed_on__isnull=True).count()
        if led:
            return (
                "Ce compte encadre une équipe : désignez une autre conseillère ou un autre "
                "conseiller avant de le désactiver."
            )
    return None


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Deactivate an account and end every session it has open (never one's own).

    Refused while the account holds work nobody else could reach: open cases or referrals
    in progress (hand them over first: caseload transfer), or a team it leads."""
    if user.pk == actor.pk:
        raise ValidationError("Vous ne pouvez pas désactiver votre propre compte.")
    if refusal := deactivation_refusal(user):
        raise ValidationError(refusal)
    user.is_active = False
    user.save(update_fields=["is_active"])
    keys = list(user.sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    user.sessions.all().delete()
    user.api_tokens.update(revoked_at=timezone.now())
    audit_log(actor=actor, action=AuditAction.USER_DEACTIVATE, target=user)
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_log(actor=actor, action=AuditAction.USER_REACTIVATE, target=user)
    return user


def _end_sessions(user: User, *, keep: str | None = None) -> int:
    """End the sessions `user` has open, but `keep` (a session key); returns how many."""
    rows = user.sessions.exclude(session_key=keep or "")
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return len(keys)


@transaction.atomic
def user_sessions_end_others(*, actor: User, keep: str | None) -> int:
    """« Mon compte »: sign out every other session of one's own account (another
    browser, a forgotten computer); the current one, `keep`, stays open."""
    ended = _end_sessions(actor, keep=keep)
    audit_log(actor=actor, action=AuditAction.USER_SESSIONS_END, target=actor)
    return ended


@transaction.atomic
def user_password_change(*, actor: User, password: str, keep: str | None) -> User:
    """« Mon compte »: a new password, already checked by Django's validators (the form);
    the other sessions end, as they would after a password reset."""
    actor.set_password(password)
    actor.save(update_fields=["password"])
    _end_sessions(actor, keep=keep)
    audit_log(actor=actor, action=AuditAction.USER_PASSWORD_CHANGE, target=actor)
    return actor


@transaction.atomic
def user_reset_second_factor(*, actor: User, user: User) -> User:
    """Forget a user's TOTP devices: the next sign-in enrols a new one."""
    TOTPDevice.objects.filter(user=user).delete()
    audit_log(actor=actor, action=AuditAction.USER_RESET_SECOND_FACTOR, target=user)
    return user


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(user: User) -> TOTPDevice:
    """The unconfirmed device shown at enrolment (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application TOTP", confirmed=False)
    return device


def sign_in_is_locked(*, username: str, ip_address: str | None) -> bool:
    """True after LOGIN_FAILURE_LIMIT failures for this account or address in the window."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginAttempt.objects.filter(created_at__gte=since, succeeded=False)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit


def sign_in_record(*, username: str, ip_address: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        username=username.lower(), ip_address=ip_address, succeeded=succeeded
    )


@transaction.atomic
def sign_in_complete(
    *, request, user: User, device: TOTPDevice | ProConnectDevice, detail: dict | None = None
) -> None:
    """Open the session once the first and the second factor have both been checked."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session[SIGNED_IN_AT] = time.time()
    request.session.save()
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)
    audit_log(actor=user, action=AuditAction.USER_SIGN_IN, target=user, detail=detail)


PROCONNECT_REFUSAL_UNKNOWN = (
    "Aucun compte de Pôle social ne correspond à cette identité ProConnect. "
    "La connexion par ProConnect ne crée jamais de compte : demandez à l'administrateur "
    "de l'application de vous en ouvrir un."
)
PROCONNECT_REFUSAL_NOT_ENABLED = (
    "La connexion par ProConnect n'est pas activée pour ce compte. Demandez à "
    "l'administrateur de l'activer, ou connectez-vous avec votre mot de passe."
)


@transaction.atomic
def proconnect_account(*, sub: str, email: str | None) -> User:
    """The account a ProConnect identity signs in to; never creates one.

    Matched by the provider's `sub` once bound; the first time only, by e-mail, and only
    when the administrator has enabled ProConnect for that account (the binding is
    journaled). Refusals are ValidationErrors in French."""
    if not sub:
        raise ValidationError(PROCONNECT_REFUSAL_UNKNOWN)
    user = User.objects.filter(proconnect_sub=sub).first()
    if user is None:
        user = (
            User.objects.filter(email__iexact=email.strip(), proconnect_sub__isnull=True).first()
            if email
            else None
        )
        if user is None or not user.is_active:
            raise ValidationError(PROCONNECT_REFUSAL_UNKNOWN)
        if not user.proconnect_enabled:
            raise ValidationError(PROCONNECT_REFUSAL_NOT_ENABLED)
        user.proconnect_sub = sub
        user.save(update_fields=["proconnect_sub"])
        audit_log(actor=user, action=AuditAction.USER_PROCONNECT_BIND, target=user)
    if not user.is_active:
        raise ValidationError(PROCONNECT_REFUSAL_UNKNOWN)
    if not user.proconnect_enabled:
        raise ValidationError(PROCONNECT_REFUSAL_NOT_ENABLED)
    return user


def proconnect_acr_accepted(acr: object) -> bool:
    """True when the provider's authentication level stands for the second factor."""
    return isinstance(acr, str) and acr in settings.PROCONNECT_ACCEPTED_ACR


def proconnect_device_for(user: User) -> ProConnectDevice:
    device, _ = ProConnectDevice.objects.get_or_create(
        user=user, defaults={"name": "ProConnect", "confirmed": True}
    )
    return device


def user_send_password_setup(*, request, user: User) -> None:
    """E-mail a one-time link to choose a password (Django's reset token mechanism).

    Sent to this account itself: Django's own reset form skips accounts whose password is
    unusable, which is exactly what a new account has until it chooses one."""
    from django.contrib.auth.forms import PasswordResetForm

    class SetupForm(PasswordResetForm):
        def get_users(self, email):
            return [user] if user.is_active else []

    form = SetupForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="users/emails/password_reset_subject.txt",
            email_template_name="users/emails/password_reset.txt",
        )
