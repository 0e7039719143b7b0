# Invoice numbers now come from the shared sequences of core, one sequence per operator
# ("invoice-<operator id>"). Every counter is carried over before the old table goes, so no
# invoice number already given is ever given again. The reverse puts the counters back
# (with the numbers given since) into the old table.

from django.db import migrations

PREFIX = "invoice-"


def carry_over(apps, schema_editor) -> None:
    old = apps.get_model("billing", "InvoiceCounter")
    new = apps.get_model("core", "NumberSequence")
    for counter in old.objects.all():
        sequence = f"{PREFIX}{counter.operator_id}"
        row, _ = new.objects.get_or_create(sequence=sequence, year=counter.year)
        row.last = max(row.last, counter.last)  # never back, whatever the table held
        row.save(update_fields=["last"])


def carry_back(apps, schema_editor) -> None:
    old = apps.get_model("billing", "InvoiceCounter")
    new = apps.get_model("core", "NumberSequence")
    rows = new.objects.filter(sequence__startswith=PREFIX)
    for row in rows:
        old.objects.update_or_create(
            operator_id=int(row.sequence.removeprefix(PREFIX)),
            year=row.year,
            defaults={"last": row.last},
        )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_invoice_run"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="InvoiceCounter"),
    ]
