"""Encrypt or decrypt a column in place, for the migrations that make a column secret.

Shared by the data migrations (casework 0003, 0004, 0005): keep its behaviour stable, since a
migration written with it must give the same result whenever it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


def convert_columns(
    schema_editor, columns: Iterable[tuple[str, str]], transform: Callable[[str], str]
) -> None:
    """Apply `transform` to every non-empty value of each (table, column), row by row."""
    columns = list(columns)
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in columns:
            cursor.execute(
                f"SELECT id, {quote(column)} FROM {quote(table)}"  # noqa: S608
                f" WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
            )
            for pk, value in cursor.fetchall():
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
                    [transform(value), pk],
                )
    # PostgreSQL: the updates queue deferred foreign-key checks, and an ALTER TABLE right
    # after in the same transaction (a reverse migration's) refuses to run while they are
    # pending ("pending trigger events"). Run them now.
    connection.check_constraints(table_names=sorted({table for table, _ in columns}))


def convert_rows(
    schema_editor, table: str, read: Sequence[str], transform: Callable[[dict], dict]
) -> None:
    """Rewrite each row of `table` from its `read` columns: `transform` gets them as a dict
    and returns {column: new value} ({} leaves the row alone). For the conversions that
    derive columns from others (a blind index from names in clear, a year from a date)."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = ", ".join(quote(column) for column in read)
        cursor.execute(f"SELECT id, {columns} FROM {quote(table)}")  # noqa: S608
        for pk, *values in cursor.fetchall():
            changes = transform(dict(zip(read, values, strict=True)))
            if changes:
                assignments = ", ".join(f"{quote(column)} = %s" for column in changes)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*changes.values(), pk],
                )
    # As in convert_columns: no deferred checks left pending for a later ALTER TABLE.
    connection.check_constraints(table_names=[table])


def encrypt_columns(schema_editor, columns: Iterable[tuple[str, str]]) -> None:
    from polesocial.privacy.crypto import encrypt

    convert_columns(schema_editor, columns, encrypt)


def decrypt_columns(schema_editor, columns: Iterable[tuple[str, str]]) -> None:
    from polesocial.privacy.crypto import decrypt

    convert_columns(schema_editor, columns, decrypt)
