from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from polesocial.api.enums import ApiTokenKind
from polesocial.api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_personal_token_cannot_carry_scopes(make_token):
    token, _ = make_token()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(scopes=["referrals.create"])


def test_an_integration_token_carries_scopes(make_token):
    token, _ = make_token(kind=ApiTokenKind.INTEGRATION, scopes=["referrals.create"])
    token.refresh_from_db()
    assert token.scopes == ["referrals.create"]


def test_usable_excludes_revoked_expired_and_inactive(make_token):
    live, _ = make_token()
    revoked, _ = make_token()
    expired, _ = make_token()
    inactive, _ = make_token()
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now()
    )
    type(inactive.user).objects.filter(pk=inactive.user.pk).update(is_active=False)
    assert list(ApiToken.objects.usable()) == [live]
