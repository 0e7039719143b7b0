"""Sign the audit chain's head, so that its end cannot be cut without the journal's key.

The existing head is signed as it stands: run `verify_audit` before this migration to know
that it was intact.
"""

from django.db import migrations, models

from polesocial.privacy.models import chain_hmac


def sign_head(apps, schema_editor):
    # The same HMAC as AuditChainHead.compute_signature (historical models have no methods).
    head = apps.get_model("privacy", "AuditChainHead").objects.filter(pk=1).first()
    if head is not None:
        head.signature = chain_hmac("head", head.last_sequence, head.last_hash, None)
        head.save(update_fields=["signature"])


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_audit_subject"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="resumed_after",
            field=models.PositiveBigIntegerField(null=True, verbose_name="recréée après le n°"),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="signature",
            field=models.CharField(blank=True, max_length=64, verbose_name="signature"),
        ),
        migrations.RunPython(sign_head, migrations.RunPython.noop),
    ]
