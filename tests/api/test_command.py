import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polesocial.api.models import ApiToken, hash_key
from polesocial.users.enums import Role

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    assert "ne sera plus affiché" in err.getvalue()
    return out.getvalue().strip()


def test_creates_a_personal_token_and_prints_it_once(user_of_role):
    user = user_of_role(Role.SOCIAL_WORKER)
    key = run(user.email.upper(), "--days", "5", "--name", "Poste 12")
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert (token.user, token.name, token.kind, token.scopes) == (user, "Poste 12", "personal", [])
    assert (token.expires_at - token.created_at).days == 5


def test_creates_an_integration_token_with_its_scopes(user_of_role):
    user = user_of_role(Role.EMPLOYER_CONTACT)
    key = run(
        user.email, "--integration", "--scope", "referrals.create", "--scope", "headcounts.create"
    )
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert token.kind == "integration"
    assert token.scopes == ["headcounts.create", "referrals.create"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.fr"], "Aucun compte"),
        (["{email}", "--integration"], "au moins un périmètre"),
        (["{email}", "--integration", "--scope", "cases.read"], "Périmètre inconnu"),
        (["{email}", "--scope", "referrals.create"], "n'a pas de périmètre"),
        (["{email}", "--days", "0"], "de 1 à 365 jours"),
    ],
)
def test_refuses_bad_requests(user_of_role, args, message):
    user = user_of_role(Role.SOCIAL_WORKER)
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *[a.format(email=user.email) for a in args])
    assert not ApiToken.objects.exists()


def test_help_is_in_french(capsys):
    with pytest.raises(SystemExit):
        call_command("create_api_token", "--help")
    assert "Crée un jeton d'API" in capsys.readouterr().out
