"""Deploy checks (`manage.py check --deploy`) on the privacy keys."""

from django.conf import settings
from django.core import checks

from polesocial.privacy.blind_index import MIN_KEY_LENGTH


@checks.register(checks.Tags.security, deploy=True)
def check_blind_index_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A short blind-index key could be guessed, and with it every common name and birth
    date tried against the stored indexes: refuse it (the previous one too, when set)."""
    errors: list[checks.CheckMessage] = []
    for name in ("BLIND_INDEX_KEY", "BLIND_INDEX_PREVIOUS_KEY"):
        key = getattr(settings, name, "") or ""
        if (key or name == "BLIND_INDEX_KEY") and len(key) < MIN_KEY_LENGTH:
            errors.append(
                checks.Error(
                    f"{name} doit compter au moins {MIN_KEY_LENGTH} caractères aléatoires.",
                    hint='Par exemple : python -c "import secrets; '
                    'print(secrets.token_urlsafe(48))"',
                    id="privacy.E001",
                )
            )
    return errors
