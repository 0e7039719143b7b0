"""The page where people manage their own API tokens (the API offers the same)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from polesocial.api import services
from polesocial.api.forms import ApiTokenCreateForm
from polesocial.api.models import ApiToken
from polesocial.core.forms import apply_service_error
from polesocial.privacy.features import feature_required


@feature_required("account")
@sensitive_post_parameters("otp_code")
def token_list(request):
    """List one's tokens; the form creates one and shows its secret once, on this answer."""
    form = ApiTokenCreateForm(request.POST or None)
    new_token, new_key = None, None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = services.api_token_create_personal(
                user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            # Rendered, not redirected: the secret must not travel through the session.
            form = ApiTokenCreateForm()
    tokens = ApiToken.objects.owned_by(request.user)
    context = {"form": form, "tokens": tokens, "new_token": new_token, "new_key": new_key}
    return render(request, "api/tokens.html", context)


@require_POST
@feature_required("account")
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.owned_by(request.user), pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Jeton « {token.name} » révoqué.")
    return redirect("tokens:list")
