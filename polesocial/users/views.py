from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.models import Session
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from polesocial.core.forms import done, saved
from polesocial.core.http import client_ip
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.audit import audit_log
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required
from polesocial.users import proconnect, services
from polesocial.users.enums import Role
from polesocial.users.forms import (
    DsfrPasswordChangeForm,
    SignInForm,
    TotpForm,
    UserCreateForm,
    UserUpdateForm,
)
from polesocial.users.models import User, UserSession
from polesocial.users.sign_in_steps import PENDING_USER, complete_sign_in, safe_next
from polesocial.users.totp import base32_secret, provisioning_svg


def _step(request, name: str) -> str:
    """The next sign-in step's URL, carrying a safe `next` along."""
    target = safe_next(request)
    return reverse(name) + (f"?{urlencode({'next': target})}" if target else "")


def _pending_user(request) -> User | None:
    user_id = request.session.get(PENDING_USER)
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@login_not_required
@never_cache
@sensitive_post_parameters("password")
def sign_in(request):
    """First step: password. The session opens only after the second factor."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        ip = client_ip(request)
        user = None
        if not services.sign_in_is_locked(username=email, ip_address=ip):
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if user is None:
            services.sign_in_record(username=email, ip_address=ip, succeeded=False)
            form.add_error(None, services.GENERIC_SIGN_IN_ERROR)
        else:
            request.session.cycle_key()
            # A password sign-in: an abandoned ProConnect attempt leaves no provider session.
            request.session.pop(proconnect.ID_TOKEN_SESSION_KEY, None)
            request.session[PENDING_USER] = user.pk
            if services.totp_device_for(user) is None:
                return redirect(_step(request, "users:totp_enrol"))
            return redirect(_step(request, "users:totp_verify"))
    context = {"form": form, "proconnect": proconnect.is_configured()}
    return render(request, "users/sign_in.html", context)


@login_not_required
@never_cache
def totp_verify(request):
    """Second step: the TOTP code of an enrolled device."""
    user = _pending_user(request)
    device = services.totp_device_for(user) if user else None
    if device is None:
        return redirect("users:login")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _check_code(request, user, device, form.cleaned_data["code"]):
            return _complete(request, user, device)
        form.add_error(None, services.GENERIC_SIGN_IN_ERROR)
    return render(request, "users/totp_verify.html", {"form": form})


@login_not_required
@never_cache
def totp_enrol(request):
    """First sign-in: scan the QR code, then confirm with a first code."""
    user = _pending_user(request)
    if user is None or services.totp_device_for(user) is not None:
        return redirect("users:login")
    device = services.totp_device_pending(user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _check_code(request, user, device, form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return _complete(request, user, device)
        form.add_error(None, services.GENERIC_SIGN_IN_ERROR)
    context = {
        "form": form,
        "qr_svg": provisioning_svg(device),
        "secret": base32_secret(device),
    }
    return render(request, "users/totp_enrol.html", context)


def _check_code(request, user: User, device, code: str) -> bool:
    ip = client_ip(request)
    if services.sign_in_is_locked(username=user.email, ip_address=ip):
        return False
    ok = device.verify_token(code)
    services.sign_in_record(username=user.email, ip_address=ip, succeeded=ok)
    return ok


def _complete(request, user: User, device):
    return complete_sign_in(request, user, device)


@require_POST
def sign_out(request):
    # Signed in through ProConnect: the provider's session ends too (its end-session
    # endpoint, with the ID token as hint, then back to our sign-in page).
    provider_sign_out = proconnect.end_session_url(
        request, request.session.get(proconnect.ID_TOKEN_SESSION_KEY)
    )
    logout(request)
    messages.info(request, "Vous êtes déconnecté·e.")
    return redirect(provider_sign_out or "users:login")


# --- Mon compte ----------------------------------------------------------------------


@feature_required("account")
def account(request):
    """« Mon compte », for every role: identity, second-factor device, open sessions, and
    the ways to change the password, close the other sessions and manage API tokens."""
    user = request.user
    current = request.session.session_key
    sessions = UserSession.objects.filter(user=user).order_by("-created_at", "-pk")
    expiry = dict(
        Session.objects.filter(session_key__in=[row.session_key for row in sessions]).values_list(
            "session_key", "expire_date"
        )
    )
    device = services.totp_device_for(user)
    context = {
        "account": user,
        "device": ({"name": device.name, "last_used_at": device.last_used_at} if device else None),
        "sessions": [
            {
                "created_at": row.created_at,
                "expires_at": expiry.get(row.session_key),
                "current": row.session_key == current,
            }
            for row in sessions
        ],
        "others": sum(1 for row in sessions if row.session_key != current),
    }
    return render(request, "users/account.html", context)


@feature_required("account")
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def account_password(request):
    form = DsfrPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_password_change(
            actor=request.user,
            password=form.cleaned_data["new_password1"],
            keep=request.session.session_key,
        )
        update_session_auth_hash(request, user)
        messages.success(request, "Mot de passe changé ; vos autres sessions sont fermées.")
        return redirect("users:account")
    return render(request, "users/account_password.html", {"form": form})


@require_POST
@feature_required("account")
def account_sessions_end(request):
    ended = services.user_sessions_end_others(actor=request.user, keep=request.session.session_key)
    plural = "s" if ended > 1 else ""
    messages.success(request, f"{ended} autre{plural} session{plural} fermée{plural}.")
    return redirect("users:account")


# --- Administration of accounts -------------------------------------------------------


@feature_required("user_admin")
def user_list(request):
    users = User.objects.visible_by(request.user).order_by("last_name", "first_name", "pk")
    role = request.GET.get("role")
    if role:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "users/user_list.html", {"page": page, "role": role})


@feature_required("user_admin")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and (
        done := saved(request, form, lambda data: services.user_create(actor=request.user, **data))
    ):
        user = done.result
        services.user_send_password_setup(request=request, user=user)
        messages.success(
            request, f"Compte créé ; un courriel d'activation a été envoyé à {user.email}."
        )
        return redirect("users:detail", pk=user.pk)
    return render(request, "users/user_form.html", {"form": form})


@feature_required("user_admin")
def user_detail(request, pk: int):
    user = visible_or_404(User, request.user, pk=pk)
    audit_log(actor=request.user, action=AuditAction.USER_READ, target=user)
    return render(
        request,
        "users/user_detail.html",
        {
            "account": user,
            "has_totp": services.totp_device_for(user) is not None,
            "deactivation_refusal": services.deactivation_refusal(user) if user.is_active else None,
        },
    )


@feature_required("user_admin")
def user_update(request, pk: int):
    """Names, address and role; a role change is saved only once its consequences have
    been shown and confirmed (a second step, the values kept)."""
    account = visible_or_404(User, request.user, pk=pk)
    initial = {name: getattr(account, name) for name in ("first_name", "last_name", "email")}
    initial |= {"role": account.role, "employers": list(account.employers.all())}
    initial["proconnect_enabled"] = account.proconnect_enabled
    form = UserUpdateForm(request.POST or None, initial=initial)
    consequences = (
        _unconfirmed_consequences(request.user, account, form) if request.method == "POST" else []
    )
    if consequences:
        data = request.POST.copy()
        data["confirmed_role"] = form.cleaned_data["role"]
        form = UserUpdateForm(data, initial=initial)
    elif request.method == "POST" and saved(
        request,
        form,
        lambda data: services.user_update(
            actor=request.user,
            user=account,
            **{name: value for name, value in data.items() if name != "confirmed_role"},
        ),
        "Compte modifié.",
    ):
        return redirect("users:detail", pk=pk)
    context = {
        "form": form,
        "account": account,
        "role_change_refusal": _role_refusal(account),
        "consequences": consequences,
    }
    return render(request, "users/user_update.html", context)


def _unconfirmed_consequences(actor: User, account: User, form) -> list[str]:
    """The consequences of a role change not confirmed yet (none when the service will
    refuse it anyway: its reason is then said beside the field)."""
    if not form.is_valid():
        return []
    role = form.cleaned_data["role"]
    if role == account.role or form.cleaned_data.get("confirmed_role") == role:
        return []
    if account.pk == actor.pk or services.role_change_refusal(account, role):
        return []
    return services.role_change_consequences(account, role)


def _role_refusal(account: User) -> str | None:
    """What stands in the way of a role change today (shown before saving)."""
    other = next(role for role in Role if role != account.role)
    return services.role_change_refusal(account, other)


@require_POST
@feature_required("user_admin")
def user_deactivate(request, pk: int):
    user = visible_or_404(User, request.user, pk=pk)
    done(
        request,
        lambda: services.user_deactivate(actor=request.user, user=user),
        "Compte désactivé ; ses sessions sont fermées.",
    )
    return redirect("users:detail", pk=pk)


@require_POST
@feature_required("user_admin")
def user_reactivate(request, pk: int):
    user = visible_or_404(User, request.user, pk=pk)
    services.user_reactivate(actor=request.user, user=user)
    messages.success(request, "Compte réactivé.")
    return redirect("users:detail", pk=pk)


@require_POST
@feature_required("user_admin")
def user_reset_totp(request, pk: int):
    user = visible_or_404(User, request.user, pk=pk)
    services.user_reset_second_factor(actor=request.user, user=user)
    messages.success(
        request, "Second facteur réinitialisé : il sera enrôlé à la prochaine connexion."
    )
    return redirect("users:detail", pk=pk)
