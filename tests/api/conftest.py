import pytest
from django_otp.oath import TOTP

from polesocial.api import services
from polesocial.api.enums import INTEGRATION_SCOPES, ApiTokenKind
from polesocial.users.enums import Role


def current_code(device) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def test_scope(monkeypatch):
    """Register `test.scope`, the scope of the test-only view of urls_scoped."""
    monkeypatch.setitem(INTEGRATION_SCOPES, "test.scope", "Test")
    return "test.scope"


@pytest.fixture
def make_token(user_of_role):
    """make_token(user=None, kind=PERSONAL, days=30, scopes=()) -> (ApiToken, plaintext)."""

    def make(user=None, kind=ApiTokenKind.PERSONAL, days=30, scopes=()):
        user = user or user_of_role(Role.SOCIAL_WORKER)
        return services.api_token_create(
            actor=None, user=user, name="Test", kind=kind, days=days, scopes=scopes
        )

    return make


@pytest.fixture
def audit_calls(monkeypatch):
    """The audit_log calls of api.services, still written to the journal."""
    calls = []
    original = services.audit_log

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services, "audit_log", spy)
    return calls
