# Who referred the employee, and a case document's file name, are encrypted like the rest
# of the case content (secrecy review). Rows written before are encrypted in place.

from django.db import migrations

import polesocial.privacy.fields
from polesocial.privacy.column_conversion import decrypt_columns, encrypt_columns

COLUMNS = (
    ("casework_casedocument", "name"),
    ("casework_referral", "referrer_name"),
    ("casework_referral", "referrer_contact"),
)


def encrypt_existing(apps, schema_editor) -> None:
    encrypt_columns(schema_editor, COLUMNS)


def decrypt_existing(apps, schema_editor) -> None:
    decrypt_columns(schema_editor, COLUMNS)


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
