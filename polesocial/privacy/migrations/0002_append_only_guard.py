"""PostgreSQL refuses UPDATE and DELETE on the audit journal, whoever connects.

Only a transaction that runs `SET LOCAL polesocial.audit_purge = 'on'` gets through: that
is reserved for the retention purge, which writes an AuditCheckpoint first. TRUNCATE is
left alone (Django's test flush uses it); the chain head still reveals a truncated journal.
Other databases rely on the ORM guards only.
"""

from django.db import migrations

TABLES = ("privacy_auditentry", "privacy_auditcheckpoint")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION privacy_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('polesocial.audit_purge', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Le journal d''audit est en ajout seul : % refusé sur %.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

CREATE_TRIGGER = """
CREATE TRIGGER {table}_append_only
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION privacy_audit_append_only();
"""

DROP_TRIGGER = "DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
DROP_FUNCTION = "DROP FUNCTION IF EXISTS privacy_audit_append_only();"


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the function body holds '%' placeholders that are PL/pgSQL's own.
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(CREATE_TRIGGER.format(table=table), params=None)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP_TRIGGER.format(table=table), params=None)
    schema_editor.execute(DROP_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_guard, drop_guard),
    ]
