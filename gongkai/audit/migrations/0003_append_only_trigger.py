"""The audit table refuses UPDATE and DELETE on PostgreSQL (issue 11; GB/T 22239 audit records
protected from deletion and modification). SQLite has no equivalent that lets Django's `flush`
(DELETE FROM) through, so there the rule stays in the code (no service updates or deletes events;
the admin offers neither). TRUNCATE is not refused: test teardown and `manage.py flush` use it, and
it needs the table owner's rights — production runs the app as a role that does not own the
tables (docs/security.md)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION gongkai_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION gongkai_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS gongkai_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
