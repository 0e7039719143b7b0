"""« Contacter le service social »: the public page where an employee asks for help himself.

No account and no sign-in: the page is open (login_not_required). What is typed goes
through casework.services.self_referral, which lands it in the team's queue; the employer
is never told. The worker who holds such a request may mark it as abuse.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from polesocial.casework.forms.self_referral import HONEYPOT_FILLED, SelfReferralForm
from polesocial.casework.models import Referral
from polesocial.casework.services import self_referral as services
from polesocial.core.http import client_ip
from polesocial.organisations.models import Operator
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import feature_required

EMPLOYER_PARAMETER = "employeur"


def _initial_employer(request, employers) -> int | None:
    """The employer named in the page's address (the QR code an employer posts)."""
    value = request.GET.get(EMPLOYER_PARAMETER, "")
    if value.isdigit() and employers.filter(pk=int(value)).exists():
        return int(value)
    return None


def _context(form) -> dict:
    operator = Operator.objects.order_by("pk").first()
    return {
        "form": form,
        "operator": operator,
        "dpo_contact": settings.DPO_CONTACT or (operator.email if operator else ""),
        "retention_years": settings.RETENTION_ACTIVE_YEARS,
    }


@login_not_required
@never_cache
def self_referral(request):
    """The form, and on POST the request: refused in French when abusive, else recorded."""
    employers = services.member_employers()
    if request.method != "POST":
        initial = {"employer": _initial_employer(request, employers)}
        form = SelfReferralForm(employers=employers, initial=initial)
        return render(request, "casework/self_referral/form.html", _context(form))
    form = SelfReferralForm(request.POST, employers=employers)
    ip = client_ip(request)
    refusal = services.self_referral_refusal(ip_address=ip, employer=None)
    services.self_referral_attempt_record(ip_address=ip)
    if refusal is None and form.honeypot_filled:
        refusal = HONEYPOT_FILLED
    if refusal is None and form.is_valid():
        data = form.cleaned_data
        refusal = services.self_referral_refusal(ip_address=None, employer=data["employer"])
        if refusal is None:
            services.self_referral_create(
                employer=data["employer"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                contact=data["contact"],
                message=data["message"],
            )
            return redirect("casework:self_referral_sent")
    if refusal is not None:
        form.add_error(None, refusal)
    return render(request, "casework/self_referral/form.html", _context(form), status=200)


@login_not_required
@never_cache
def self_referral_sent(request):
    return render(request, "casework/self_referral/sent.html", _context(None))


def public_url(request, employer=None) -> str:
    """The page's full address, with the employer chosen in advance when given."""
    url = request.build_absolute_uri(reverse("casework:self_referral"))
    return f"{url}?{EMPLOYER_PARAMETER}={employer.pk}" if employer is not None else url


@require_POST
@feature_required("casework")
def referral_mark_spam(request, pk: int):
    """The worker holding a public request marks it as abuse (emptied, out of the queue)."""
    referral = visible_or_404(Referral.objects.all(), request.user, pk=pk)
    try:
        services.referral_mark_spam(actor=request.user, referral=referral)
    except PermissionDenied:
        messages.error(
            request,
            "Seule une demande envoyée par l'agent depuis la page publique, "
            "non encore évaluée, peut être signalée comme abusive.",
        )
        return redirect("casework:referral_detail", pk=referral.pk)
    messages.success(
        request, f"La demande n° {referral.number} est signalée comme abusive et a été vidée."
    )
    return redirect("casework:queue")
