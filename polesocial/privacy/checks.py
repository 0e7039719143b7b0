"""`manage.py check --deploy` refuses keys that protect nothing.

The journal's HMAC key must be long and random, and apart from Django's secret and the
encryption keys (one leaked key must never forge the journal); the encryption keys must be
Fernet keys of random bytes. Checked at deploy time, since a bad key otherwise shows only
at the first encryption, or never (a one-character HMAC key works, and protects nothing).
"""

from __future__ import annotations

import base64
import binascii
import logging

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, register

from polesocial.privacy.blind_index import MIN_KEY_LENGTH

MIN_AUDIT_KEY_LENGTH = 32
MIN_AUDIT_KEY_SYMBOLS = 10
# 32 random bytes hold about 30 distinct values; a made-up key far fewer.
MIN_FERNET_KEY_SYMBOLS = 16
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
GENERATE_FERNET = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


@register(Tags.security, deploy=True)
def check_audit_key(app_configs=None, **kwargs) -> list[Error]:
    key = settings.AUDIT_HMAC_KEY or ""
    if len(key) < MIN_AUDIT_KEY_LENGTH or len(set(key)) < MIN_AUDIT_KEY_SYMBOLS:
        return [
            Error(
                f"AUDIT_HMAC_KEY est trop courte ou trop peu aléatoire ({len(key)} caractères) : "
                f"il faut au moins {MIN_AUDIT_KEY_LENGTH} caractères aléatoires.",
                hint=f"Générez-la par exemple avec : {GENERATE}",
                id="privacy.E001",
            )
        ]
    if key == settings.SECRET_KEY or key in settings.FIELD_ENCRYPTION_KEYS:
        return [
            Error(
                "AUDIT_HMAC_KEY doit être distincte de DJANGO_SECRET_KEY et des clés de "
                "FIELD_ENCRYPTION_KEYS : une clé divulguée ne doit pas permettre de "
                "falsifier le journal d'audit.",
                id="privacy.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_encryption_keys(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for position, key in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
        raw = _fernet_bytes(key)
        if raw is None or len(set(raw)) < MIN_FERNET_KEY_SYMBOLS:
            problem = "n'est pas une clé Fernet" if raw is None else "est trop peu aléatoire"
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS : la clé n° {position} {problem} (32 octets "
                    "aléatoires encodés en base64).",
                    hint=f"Générez-en une avec : {GENERATE_FERNET}",
                    id="privacy.E003",
                )
            )
    return errors


def _fernet_bytes(key: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


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
                    id="privacy.E004",
                )
            )
    return errors


# Rows read in each encrypted column at start-up: the newest (written with the keys of
# today) and the oldest (with the oldest key still needed).
SAMPLE_PER_COLUMN = 2
KEYS_CANNOT_READ = (
    "FIELD_ENCRYPTION_KEYS ne permet pas de lire les données chiffrées existantes "
    "({columns}) : la clé configurée n'est pas celle qui les a chiffrées, ou une ancienne "
    "clé a été retirée trop tôt. Démarrer ainsi enregistrerait des données que l'on ne "
    "pourrait plus relire : le démarrage est refusé."
)
KEYS_HINT = (
    "Remettez dans FIELD_ENCRYPTION_KEYS la ou les clés d'origine (la plus récente "
    "d'abord), puis relancez. Une ancienne clé ne se retire qu'après "
    "« manage.py rotate_keys --wet-run »."
)


def unreadable_columns(using: str = "default") -> list[str]:
    """The encrypted columns (model.field) of which a sampled value no configured key can
    read; [] when every sample reads, on an empty database and before `migrate`.

    Raw values, read by SQL: decrypting is the test, no model code runs."""
    from django.db import DatabaseError, connections

    from polesocial.privacy.crypto import DecryptionError, decrypt
    from polesocial.privacy.fields import encrypted_fields

    connection = connections[using]
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:  # unreachable: the health endpoint and the first query say so
        return []
    unreadable = []
    for model, field in encrypted_fields():
        table = model._meta.db_table
        if table not in tables:
            continue
        quote = connection.ops.quote_name
        column = quote(str(field.column))
        pk = quote(str(model._meta.pk.column))  # type: ignore[union-attr]
        tokens = []
        for order in ("DESC", "ASC"):
            sql = (
                f"SELECT {column} FROM {quote(table)} "  # noqa: S608 (a model's own names)
                f"WHERE {column} IS NOT NULL AND {column} <> '' "
                f"ORDER BY {pk} {order} LIMIT {SAMPLE_PER_COLUMN}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql)
                tokens += [row[0] for row in cursor.fetchall()]
        try:
            for token in tokens:
                decrypt(token)
        except DecryptionError:
            unreadable.append(f"{model._meta.label}.{field.name}")
    return unreadable


def keys_read_existing_data(using: str = "default") -> list[Error]:
    columns = unreadable_columns(using)
    if not columns:
        return []
    shown = ", ".join(columns[:3]) + (f" et {len(columns) - 3} autres" if len(columns) > 3 else "")
    return [Error(KEYS_CANNOT_READ.format(columns=shown), hint=KEYS_HINT, id="privacy.E005")]


@register(Tags.security, Tags.database)
def check_keys_read_existing_data(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """Run by `migrate` and `check --database default` (database checks); the WSGI
    application runs it too before serving (config/wsgi.py: gunicorn, runserver)."""
    errors: list[Error] = []
    for alias in databases or []:
        errors += keys_read_existing_data(alias)
    return errors


def refuse_unreadable_keys() -> None:
    """For the WSGI entry point: stop the server before it serves with the wrong keys."""
    from django.core.exceptions import ImproperlyConfigured

    if errors := keys_read_existing_data():
        message = f"{errors[0].msg} {errors[0].hint}"
        # Its own log line: a JSON log line of an exception never holds the exception's text.
        logging.getLogger(__name__).critical(message)
        raise ImproperlyConfigured(message)
