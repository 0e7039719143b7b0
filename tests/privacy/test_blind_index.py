"""Blind indexes (keyed HMACs for equality on secret values), the encrypted date field and
the deploy check on the blind-index key."""

import datetime as dt
import hashlib

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from polesocial.privacy import crypto
from polesocial.privacy.blind_index import (
    MIN_KEY_LENGTH,
    blind_index,
    blind_indexes,
    word_index,
    word_lookups,
    words,
)
from polesocial.privacy.checks import check_blind_index_keys
from polesocial.privacy.fields import EncryptedDateField, EncryptedLookupError

IDENTITY = "dupont lefevre|eloise|1979-04-12"
NEW_KEY = "a-new-blind-index-key-0123456789abcdef"


def test_an_index_is_keyed_never_a_plain_or_unkeyed_hash():
    index = blind_index(IDENTITY, purpose="match-key")
    assert index == blind_index(IDENTITY, purpose="match-key")  # equality works
    assert IDENTITY not in index and "dupont" not in index
    assert index != hashlib.sha256(IDENTITY.encode()).hexdigest()
    with override_settings(BLIND_INDEX_KEY=NEW_KEY):
        assert blind_index(IDENTITY, purpose="match-key") != index


def test_a_word_and_a_person_never_share_an_index():
    assert blind_index("dupont", purpose="name-word") != blind_index("dupont", purpose="match-key")


def test_a_missing_key_is_a_configuration_error():
    with override_settings(BLIND_INDEX_KEY=""), pytest.raises(ImproperlyConfigured):
        blind_index(IDENTITY, purpose="match-key")


def test_during_a_rotation_both_keys_are_looked_up_current_first():
    old = blind_index(IDENTITY, purpose="match-key")
    with override_settings(BLIND_INDEX_KEY=NEW_KEY):
        new = blind_index(IDENTITY, purpose="match-key")
        assert blind_indexes(IDENTITY, purpose="match-key") == [new]
    with override_settings(
        BLIND_INDEX_KEY=NEW_KEY, BLIND_INDEX_PREVIOUS_KEY="test-blind-index-key-0123456789abcdef"
    ):
        assert blind_indexes(IDENTITY, purpose="match-key") == [new, old]


def test_the_word_index_holds_one_index_per_distinct_normalised_word():
    assert words("  Éloïse DUPONT-Lefèvre dupont ") == ["eloise", "dupont", "lefevre"]
    index = word_index("Dupont-Lefèvre Éloïse")
    assert len(index.split()) == 3
    assert "dupont" not in index
    assert word_lookups("lefevre")[0] in index  # a whole word, space-delimited
    assert word_lookups("dup")[0] not in index
    assert word_index("  ") == ""


# --- The encrypted date field -------------------------------------------------------------


def test_an_encrypted_date_is_stored_as_a_token_and_read_back_as_a_date():
    field = EncryptedDateField()
    token = field.get_prep_value(dt.date(1979, 4, 12))
    assert token.startswith("gAAAA") and "1979" not in token
    assert crypto.decrypt(token) == "1979-04-12"
    assert field.from_db_value(token, None, None) == dt.date(1979, 4, 12)
    assert field.get_prep_value(None) is None


def test_an_encrypted_date_refuses_what_is_not_a_date_in_french():
    with pytest.raises(ValidationError) as refused:
        EncryptedDateField().to_python("12/04/1979")
    assert refused.value.messages == ["Saisissez une date valide."]


@pytest.mark.parametrize("lookup", ["exact", "year", "gt", "lte"])
def test_an_encrypted_date_cannot_be_queried(lookup):
    field = EncryptedDateField()
    field.name = "birth_date"
    with pytest.raises(EncryptedLookupError):
        if lookup == "year":
            field.get_transform(lookup)
        else:
            field.get_lookup(lookup)


# --- The deploy check -----------------------------------------------------------------------


def test_the_deploy_check_refuses_a_short_blind_index_key():
    with override_settings(BLIND_INDEX_KEY="short-key"):
        errors = check_blind_index_keys()
        with pytest.raises(SystemCheckError, match="BLIND_INDEX_KEY doit compter"):
            call_command("check", deploy=True, tags=["security"], fail_level="ERROR")
    assert [e.id for e in errors] == ["privacy.E004"]
    assert isinstance(errors[0], Error)
    assert f"au moins {MIN_KEY_LENGTH} caractères" in errors[0].msg


def test_the_deploy_check_refuses_a_short_previous_key_and_accepts_long_ones():
    with override_settings(BLIND_INDEX_PREVIOUS_KEY="old"):
        assert [e.msg.split()[0] for e in check_blind_index_keys()] == ["BLIND_INDEX_PREVIOUS_KEY"]
    with override_settings(BLIND_INDEX_KEY=NEW_KEY, BLIND_INDEX_PREVIOUS_KEY=NEW_KEY[::-1]):
        assert check_blind_index_keys() == []
