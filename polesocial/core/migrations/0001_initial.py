# One gapless-number mechanism for every app: referrals, cases and invoices take their
# numbers from these sequences. The counters of casework (NumberSequence) and billing
# (InvoiceCounter) are carried over by those apps' own migrations, which depend on this one.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="NumberSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.CharField(max_length=40)),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("sequence", "year"), name="core_number_sequence_unique"
                    )
                ],
            },
        ),
    ]
