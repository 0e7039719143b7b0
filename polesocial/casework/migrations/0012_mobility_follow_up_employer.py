import django.db.models.deletion
from django.db import migrations, models


def employer_of_the_case(apps, schema_editor):
    """Follow-ups recorded before: the employer the case was opened for (the recorded one
    sits in the encrypted person data, which a migration does not read)."""
    follow_up = apps.get_model("casework", "MobilityFollowUp")
    for row in follow_up.objects.select_related("handoff__case").filter(employer__isnull=True):
        row.employer_id = row.handoff.case.snapshot_employer_id
        row.save(update_fields=["employer"])


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0011_mobility_handoff"),
        ("organisations", "0011_convention_mobility_rate"),
    ]

    operations = [
        migrations.AddField(
            model_name="mobilityfollowup",
            name="employer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mobility_follow_ups",
                to="organisations.employer",
                verbose_name="employeur",
            ),
        ),
        migrations.RunPython(employer_of_the_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="mobilityfollowup",
            name="employer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mobility_follow_ups",
                to="organisations.employer",
                verbose_name="employeur",
            ),
        ),
    ]
