# Referral and case numbers now come from the shared sequences of core. Every counter is
# carried over before the old table goes, so no number already given is ever given again.
# The reverse puts the counters back (with the numbers given since) into the old table.

from django.db import migrations

# The prefixes the casework table held, and the sequences they become. A prefix not
# listed (none was ever written) keeps its name, so that no counter is lost.
SEQUENCE_OF_PREFIX = {"S": "referral", "D": "case"}
PREFIX_OF_SEQUENCE = {sequence: prefix for prefix, sequence in SEQUENCE_OF_PREFIX.items()}


def carry_over(apps, schema_editor) -> None:
    old = apps.get_model("casework", "NumberSequence")
    new = apps.get_model("core", "NumberSequence")
    for counter in old.objects.all():
        sequence = SEQUENCE_OF_PREFIX.get(counter.prefix, counter.prefix)
        row, _ = new.objects.get_or_create(sequence=sequence, year=counter.year)
        row.last = max(row.last, counter.last)  # never back, whatever the table held
        row.save(update_fields=["last"])


def carry_back(apps, schema_editor) -> None:
    old = apps.get_model("casework", "NumberSequence")
    new = apps.get_model("core", "NumberSequence")
    rows = new.objects.filter(sequence__in=PREFIX_OF_SEQUENCE)
    for row in rows:
        old.objects.update_or_create(
            prefix=PREFIX_OF_SEQUENCE[row.sequence], year=row.year, defaults={"last": row.last}
        )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_encrypted_employee_contact"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="NumberSequence"),
    ]
