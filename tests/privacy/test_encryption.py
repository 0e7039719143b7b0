import io
import logging

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from polesocial.privacy.crypto import DecryptionError, decrypt, encrypt, needs_rotation, rotate
from polesocial.privacy.fields import EncryptedLookupError, EncryptedTextField, encrypted_fields
from polesocial.privacy.management.commands.rotate_keys import Command as RotateKeys
from tests.testapp.models import SecretNote

SECRET = "Mme Durand : dépression, suivi au CMP, dette de loyer 3 200 €"
# Letters, accents, emoji, control characters and NUL: everything a note may hold.
TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
# Hypothesis must not write its example database into the source tree.
BOUNDED = hypothesis_settings(max_examples=50, deadline=None, database=None)


def raw_body(note: SecretNote) -> str | None:
    """The body exactly as stored, read without the ORM."""
    table = connection.ops.quote_name(SecretNote._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {table} WHERE id = %s", [note.pk])  # noqa: S608
        return cursor.fetchone()[0]


def store_raw_body(note: SecretNote, token: str) -> None:
    table = connection.ops.quote_name(SecretNote._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET body = %s WHERE id = %s", [token, note.pk])  # noqa: S608


def token_with_old_key(text: str) -> str:
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[1]).encrypt(text.encode()).decode()


def note_with_old_key(text: str) -> SecretNote:
    note = SecretNote.objects.create(title="ancienne clé")
    store_raw_body(note, token_with_old_key(text))
    return note


def rotate_keys(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# crypto.py


def test_encrypt_is_randomised_and_reversible():
    first, second = encrypt(SECRET), encrypt(SECRET)
    assert first != second
    assert SECRET not in first
    assert decrypt(first) == decrypt(second) == SECRET


def test_tampered_token_raises_a_french_error_without_content(caplog):
    token = encrypt(SECRET)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with caplog.at_level(logging.DEBUG), pytest.raises(DecryptionError) as raised:
        decrypt(tampered)
    assert "ne peut pas être lu" in str(raised.value)
    assert raised.value.__cause__ is None
    assert SECRET not in caplog.text and tampered not in caplog.text
    assert "Échec du déchiffrement" in caplog.text


@pytest.mark.parametrize("garbage", ["", "texte en clair", "gAAAAAé", "gAAAAA" + "x" * 80])
def test_anything_but_a_token_raises_decryption_error(garbage):
    with pytest.raises(DecryptionError):
        decrypt(garbage)


def test_token_of_the_older_key_is_read_and_rotated_to_the_newest():
    old_token = token_with_old_key(SECRET)
    assert decrypt(old_token) == SECRET
    assert needs_rotation(old_token)
    new_token = rotate(old_token)
    assert not needs_rotation(new_token)
    assert Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(new_token.encode()).decode() == SECRET


def test_keyring_follows_the_setting():
    token = encrypt(SECRET)
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        with pytest.raises(DecryptionError):
            decrypt(token)
    assert decrypt(token) == SECRET


@pytest.mark.parametrize("keys", [[], ["pas-une-clé"], ["dHJvcC1jb3VydGU="]])
def test_missing_or_malformed_keys_are_a_configuration_error(keys):
    with override_settings(FIELD_ENCRYPTION_KEYS=keys):
        with pytest.raises(ImproperlyConfigured) as raised:
            encrypt(SECRET)
    for key in keys:
        assert key not in str(raised.value)


@given(text=TEXTS)
@example(text="Hélène a reçu 1 200 € d'aide 🙂 — ñ, ß, 中文")
@BOUNDED
def test_round_trip_of_any_text(text):
    assert decrypt(encrypt(text)) == text


@given(text=TEXTS)
@BOUNDED
def test_any_text_that_is_not_a_token_is_refused(text):
    with pytest.raises(DecryptionError):
        decrypt(text)


# fields.py


@pytest.mark.django_db
def test_model_round_trip_and_database_holds_no_plaintext():
    note = SecretNote.objects.create(title="Suivi", body=SECRET)
    stored = raw_body(note)
    assert stored != SECRET
    assert "Durand" not in stored and "dépression" not in stored
    assert decrypt(stored) == SECRET
    assert SecretNote.objects.get(pk=note.pk).body == SECRET


@pytest.mark.django_db
@pytest.mark.parametrize("empty", [None, ""])
def test_none_and_empty_are_stored_as_they_are(empty):
    note = SecretNote.objects.create(title="Vide", body=empty)
    assert raw_body(note) == empty
    note.refresh_from_db()
    assert note.body == empty


@pytest.mark.django_db
def test_update_and_bulk_update_encrypt():
    note = SecretNote.objects.create(title="Suivi", body="avant")
    SecretNote.objects.filter(pk=note.pk).update(body=SECRET)
    assert raw_body(note) != SECRET
    note.refresh_from_db()
    assert note.body == SECRET
    note.body = "après"
    SecretNote.objects.bulk_update([note], ["body"])
    assert raw_body(note) != "après"
    assert SecretNote.objects.get(pk=note.pk).body == "après"


@pytest.mark.django_db
def test_value_written_with_the_older_key_is_read():
    note = note_with_old_key(SECRET)
    assert SecretNote.objects.get(pk=note.pk).body == SECRET


@pytest.mark.django_db
def test_tampered_value_in_database_raises_decryption_error():
    note = SecretNote.objects.create(title="Suivi", body=SECRET)
    store_raw_body(note, raw_body(note)[:-4] + "AAAA")
    with pytest.raises(DecryptionError):
        SecretNote.objects.get(pk=note.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup",
    [
        {"body": SECRET},
        {"body__exact": SECRET},
        {"body__iexact": SECRET},
        {"body__contains": "Durand"},
        {"body__icontains": "durand"},
        {"body__startswith": "Mme"},
        {"body__in": [SECRET]},
        {"body__gt": ""},
        {"body__lower__exact": SECRET},
    ],
)
def test_lookups_other_than_isnull_are_refused(lookup):
    with pytest.raises(EncryptedLookupError) as raised:
        SecretNote.objects.filter(**lookup)
    assert "isnull" in str(raised.value)


@pytest.mark.django_db
def test_isnull_lookup_works():
    kept = SecretNote.objects.create(title="Suivi", body=SECRET)
    SecretNote.objects.create(title="Sans contenu", body=None)
    assert list(SecretNote.objects.filter(body__isnull=False)) == [kept]
    assert SecretNote.objects.exclude(body__isnull=True).count() == 1


def test_field_deconstructs_for_migrations():
    name, path, args, kwargs = SecretNote._meta.get_field("body").deconstruct()
    assert (name, path, args) == ("body", "polesocial.privacy.fields.EncryptedTextField", [])
    assert kwargs == {"null": True, "blank": True, "verbose_name": "contenu"}
    assert isinstance(EncryptedTextField(*args, **kwargs), EncryptedTextField)


def test_registry_lists_every_encrypted_field():
    assert (SecretNote, SecretNote._meta.get_field("body")) in encrypted_fields()
    assert all(isinstance(field, EncryptedTextField) for _, field in encrypted_fields())


@pytest.mark.django_db
@given(text=TEXTS)
@hypothesis_settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_model_round_trip_of_any_text(text):
    note = SecretNote.objects.create(title="Propriété", body=text)
    assert SecretNote.objects.get(pk=note.pk).body == text


# rotate_keys


@pytest.fixture
def mixed_notes(db):
    """Two values under the older key, one under the newest, one null, one empty."""
    return {
        "old": [note_with_old_key(SECRET), note_with_old_key("Deuxième note 🙂")],
        "new": [SecretNote.objects.create(title="nouvelle clé", body="à jour")],
        "empty": [
            SecretNote.objects.create(title="nulle", body=None),
            SecretNote.objects.create(title="vide", body=""),
        ],
    }


def snapshot() -> dict:
    return {note.pk: raw_body(note) for note in SecretNote.objects.all()}


def test_rotate_keys_dry_run_counts_and_changes_nothing(mixed_notes):
    before = snapshot()
    out, err = rotate_keys()
    assert snapshot() == before
    assert "Simulation" in out
    assert "testapp.SecretNote.body : 2 valeur(s) à rechiffrer sur 4." in out
    assert "100 %" in err


def test_rotate_keys_wet_run_re_encrypts_with_the_newest_key(mixed_notes):
    before = snapshot()
    out, _ = rotate_keys("--wet-run", "--batch-size", "2")
    after = snapshot()
    assert "testapp.SecretNote.body : 2 valeur(s) rechiffrée(s) sur 4." in out
    for note in mixed_notes["old"]:
        assert after[note.pk] != before[note.pk]
    for note in mixed_notes["new"] + mixed_notes["empty"]:
        assert after[note.pk] == before[note.pk]
    with override_settings(FIELD_ENCRYPTION_KEYS=settings.FIELD_ENCRYPTION_KEYS[:1]):
        bodies = sorted(note.body or "" for note in SecretNote.objects.all())
    assert bodies == sorted(["", "", "Deuxième note 🙂", SECRET, "à jour"])


def test_rotate_keys_is_idempotent(mixed_notes):
    rotate_keys("--wet-run")
    rotated = snapshot()
    out, _ = rotate_keys("--wet-run")
    assert snapshot() == rotated
    assert "Total : 0 valeur(s) rechiffrée(s)." in out


def test_rotate_keys_leaves_unreadable_values_and_names_them(mixed_notes):
    broken = SecretNote.objects.create(title="altérée", body="x")
    store_raw_body(broken, "gAAAAA-altere")
    with pytest.raises(CommandError) as raised:
        rotate_keys("--wet-run")
    assert f"testapp.SecretNote.body n° {broken.pk}" in str(raised.value)
    assert raw_body(broken) == "gAAAAA-altere"
    assert not needs_rotation(raw_body(mixed_notes["old"][0]))


def test_rotate_keys_help_is_in_french():
    parser = RotateKeys().create_parser("manage.py", "rotate_keys")
    help_text = " ".join(parser.format_help().split())
    assert "Rechiffre les contenus chiffrés" in help_text
    assert "rien n'est écrit" in help_text
