"""At start-up, the encryption keys must read the data already stored, or nothing starts.

A server started with a wrong key would accept writes that could never be read again."""

import runpy

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from polesocial.privacy.checks import keys_read_existing_data
from tests.factories import SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db

WRONG_KEY = Fernet.generate_key().decode()


@pytest.fixture
def stored_case():
    return open_case_for(SocialWorkerFactory())


def test_an_empty_database_passes():
    assert keys_read_existing_data() == []


def test_the_keys_that_wrote_the_data_pass(stored_case):
    assert keys_read_existing_data() == []


def test_a_wrong_key_is_refused_with_a_french_message(stored_case, settings):
    settings.FIELD_ENCRYPTION_KEYS = [WRONG_KEY]
    [error] = keys_read_existing_data()
    assert error.id == "privacy.E005"
    assert error.msg.startswith("FIELD_ENCRYPTION_KEYS ne permet pas de lire les données")
    assert "casework.Case.assessment" in error.msg
    assert "le démarrage est refusé" in error.msg
    assert WRONG_KEY not in error.msg + error.hint


def test_an_old_key_removed_too_early_is_refused(stored_case, settings):
    """The data was written with the newer test key: keeping only the older one fails."""
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[1:]
    assert [error.id for error in keys_read_existing_data()] == ["privacy.E005"]


def test_migrate_refuses_to_run_with_a_wrong_key(stored_case, settings):
    settings.FIELD_ENCRYPTION_KEYS = [WRONG_KEY]
    with pytest.raises(SystemCheckError, match="privacy.E005"):
        call_command("migrate", skip_checks=False, verbosity=0)


def test_the_wsgi_application_refuses_to_serve_with_a_wrong_key(stored_case, settings):
    """What gunicorn and runserver load (config.wsgi): a wrong key stops it."""
    runpy.run_module("config.wsgi")  # the right keys: it loads
    settings.FIELD_ENCRYPTION_KEYS = [WRONG_KEY]
    with pytest.raises(ImproperlyConfigured, match="le démarrage est refusé"):
        runpy.run_module("config.wsgi")
