# An employee's phone, e-mail and address are secret case data and play no part in silent
# matching (names and birth date do, and stay in clear): they are encrypted like the rest of
# the case content. Rows written before are encrypted in place; the reverse decrypts them
# before the columns go back to their former types.

import django.core.validators
from django.db import migrations

import polesocial.privacy.fields
from polesocial.privacy.column_conversion import decrypt_columns, encrypt_columns

COLUMNS = (
    ("casework_employee", "phone"),
    ("casework_employee", "email"),
    ("casework_employee", "address"),
)


def encrypt_existing(apps, schema_editor) -> None:
    encrypt_columns(schema_editor, COLUMNS)


def decrypt_existing(apps, schema_editor) -> None:
    decrypt_columns(schema_editor, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_encrypted_names_of_referrers_and_documents"),
    ]

    operations = [
        migrations.AlterField(
            model_name="employee",
            name="address",
            field=polesocial.privacy.fields.EncryptedTextField(
                blank=True,
                validators=[django.core.validators.MaxLengthValidator(255)],
                verbose_name="adresse",
            ),
        ),
        migrations.AlterField(
            model_name="employee",
            name="email",
            field=polesocial.privacy.fields.EncryptedTextField(
                blank=True,
                validators=[
                    django.core.validators.EmailValidator(
                        message="Saisissez une adresse électronique valide."
                    ),
                    django.core.validators.MaxLengthValidator(254),
                ],
                verbose_name="courriel",
            ),
        ),
        migrations.AlterField(
            model_name="employee",
            name="phone",
            field=polesocial.privacy.fields.EncryptedTextField(
                blank=True,
                validators=[django.core.validators.MaxLengthValidator(30)],
                verbose_name="téléphone",
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
