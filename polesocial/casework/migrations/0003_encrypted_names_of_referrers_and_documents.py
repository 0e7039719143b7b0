# Who referred the employee, and a case document's file name, are encrypted like the rest
# of the case content (secrecy review). Rows written before are encrypted in place.

from django.db import migrations

import polesocial.privacy.fields

COLUMNS = (
    ("casework_casedocument", "name"),
    ("casework_referral", "referrer_name"),
    ("casework_referral", "referrer_contact"),
)


def _convert(schema_editor, transform) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(
                f"SELECT id, {quote(column)} FROM {quote(table)}"  # noqa: S608
                f" WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
            )
            for pk, value in cursor.fetchall():
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
                    [transform(value), pk],
                )


def encrypt_existing(apps, schema_editor) -> None:
    from polesocial.privacy.crypto import encrypt

    _convert(schema_editor, encrypt)


def decrypt_existing(apps, schema_editor) -> None:
    from polesocial.privacy.crypto import decrypt

    _convert(schema_editor, decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_person_records"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casedocument",
            name="name",
            field=polesocial.privacy.fields.EncryptedTextField(verbose_name="nom"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="referrer_contact",
            field=polesocial.privacy.fields.EncryptedTextField(
                blank=True, verbose_name="coordonnées du demandeur"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="referrer_name",
            field=polesocial.privacy.fields.EncryptedTextField(
                blank=True, verbose_name="demandeur"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
