"""The profile hierarchies gained groupings (recoding.LEVELS): reports of closed years kept
under the former ones are dropped, to be recomputed on their next reading. A stored yearly
report and a pooled report protected against the yearly reports as computed now must come
from the same rules, or their joint protection was never checked."""

from django.db import migrations


def clear(apps, schema_editor):
    apps.get_model("reports", "StoredReport").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_stored_report")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
