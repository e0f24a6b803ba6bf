"""Reject UPDATE of audit rows in the database itself.

DELETE is refused by the ORM only: test flushes and `restore` must still be
able to empty the table, and SQLite's flush is a plain DELETE.
"""

from django.db import migrations

SQLITE_UP = ["""
CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update
BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit_auditevent is append-only');
END;
"""]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_auditevent_no_update"]

PG_UP = [
    """
CREATE OR REPLACE FUNCTION audit_auditevent_no_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
    """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_no_update()
""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_no_update()",
]


def _run(sql_by_vendor):
    def apply(apps, schema_editor):
        for sql in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
