# An employee's names and birth date are encrypted like the rest of the case content
# (issue 13: a row of the employee table alone told who is followed). Silent matching and
# name search read keyed blind indexes instead (privacy/blind_index.py): `match_key` becomes
# the HMAC of what it held in clear, `search_name` gives way to one HMAC per name word
# (`name_words`). A case keeps the birth year, all its yearly age bands need.
#
# Existing rows are converted in place, in this order: nullable intermediates, the indexes
# and the birth year computed from the values still in clear, the clear columns dropped, the
# names encrypted. The reverse restores every former column: a case's birth date is its
# employee's, which never changes on the row (it is part of the match key).

import datetime as dt

import django.core.validators
from django.db import migrations, models

import polesocial.privacy.fields
from polesocial.core.text import normalise
from polesocial.privacy.blind_index import blind_index, word_index
from polesocial.privacy.column_conversion import convert_rows, decrypt_columns, encrypt_columns
from polesocial.privacy.crypto import decrypt, encrypt

EMPLOYEE, CASE = "casework_employee", "casework_case"
NAMES = ((EMPLOYEE, "last_name"), (EMPLOYEE, "first_name"))


def identity(last_name: str, first_name: str, birth_date: dt.date) -> str:
    """The match key as 0001 to 0004 stored it in clear (the blind index's input)."""
    return f"{normalise(last_name)}|{normalise(first_name)}|{birth_date.isoformat()}"


def as_date(value) -> dt.date:
    # SQLite hands a date column back as text, PostgreSQL as a date.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def index_identities(apps, schema_editor) -> None:
    def employee(row: dict) -> dict:
        birth_date = as_date(row["birth_date"])
        text = identity(row["last_name"], row["first_name"], birth_date)
        return {
            "match_key": blind_index(text, purpose="match-key"),
            "name_words": word_index(f"{row['last_name']} {row['first_name']}"),
            "encrypted_birth_date": encrypt(birth_date.isoformat()),
        }

    def case(row: dict) -> dict:
        return {"snapshot_birth_year": as_date(row["snapshot_birth_date"]).year}

    convert_rows(schema_editor, EMPLOYEE, ("last_name", "first_name", "birth_date"), employee)
    convert_rows(schema_editor, CASE, ("snapshot_birth_date",), case)


def unindex_identities(apps, schema_editor) -> None:
    births: dict[int, dt.date] = {}

    def employee(row: dict) -> dict:
        birth_date = dt.date.fromisoformat(decrypt(row["encrypted_birth_date"]))
        births[row["id"]] = birth_date
        return {
            "birth_date": birth_date,
            "search_name": normalise(f"{row['last_name']} {row['first_name']}"),
            "match_key": identity(row["last_name"], row["first_name"], birth_date),
        }

    def case(row: dict) -> dict:
        return {"snapshot_birth_date": births[row["employee_id"]]}

    read = ("id", "last_name", "first_name", "encrypted_birth_date")
    convert_rows(schema_editor, EMPLOYEE, read, employee)
    convert_rows(schema_editor, CASE, ("employee_id",), case)


def encrypt_names(apps, schema_editor) -> None:
    encrypt_columns(schema_editor, NAMES)


def decrypt_names(apps, schema_editor) -> None:
    decrypt_columns(schema_editor, NAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_number_sequences_in_core"),
    ]

    operations = [
        # Nullable while the clear columns are dropped, and while the reverse refills them.
        migrations.AlterField(
            model_name="employee",
            name="birth_date",
            field=models.DateField(null=True, verbose_name="date de naissance"),
        ),
        migrations.AlterField(
            model_name="case",
            name="snapshot_birth_date",
            field=models.DateField(null=True),
        ),
        migrations.AlterField(
            model_name="employee",
            name="search_name",
            field=models.CharField(db_index=True, editable=False, max_length=310, null=True),
        ),
        migrations.AddField(
            model_name="employee",
            name="name_words",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="employee",
            name="encrypted_birth_date",
            field=polesocial.privacy.fields.EncryptedDateField(null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="snapshot_birth_year",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(index_identities, unindex_identities),
        migrations.RemoveField(model_name="employee", name="birth_date"),
        migrations.RemoveField(model_name="employee", name="search_name"),
        migrations.RemoveField(model_name="case", name="snapshot_birth_date"),
        migrations.RenameField(
            model_name="employee", old_name="encrypted_birth_date", new_name="birth_date"
        ),
        migrations.AlterField(
            model_name="employee",
            name="birth_date",
            field=polesocial.privacy.fields.EncryptedDateField(verbose_name="date de naissance"),
        ),
        migrations.AlterField(
            model_name="case",
            name="snapshot_birth_year",
            field=models.PositiveSmallIntegerField(verbose_name="année de naissance"),
        ),
        migrations.AlterField(
            model_name="employee",
            name="last_name",
            field=polesocial.privacy.fields.EncryptedTextField(
                validators=[django.core.validators.MaxLengthValidator(150)], verbose_name="nom"
            ),
        ),
        migrations.AlterField(
            model_name="employee",
            name="first_name",
            field=polesocial.privacy.fields.EncryptedTextField(
                validators=[django.core.validators.MaxLengthValidator(150)],
                verbose_name="prénom",
            ),
        ),
        migrations.RunPython(encrypt_names, decrypt_names),
        migrations.AlterField(
            model_name="employee",
            name="match_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterModelOptions(
            name="employee",
            options={"ordering": ["match_key"], "verbose_name": "agent"},
        ),
    ]
