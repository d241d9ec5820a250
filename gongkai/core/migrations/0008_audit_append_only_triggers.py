"""The audit log is append-only in the database too: triggers refuse UPDATE and DELETE on
core_auditevent (SQLite and PostgreSQL), whatever code or console issues them.

Maintenance that must remove rows (a test database being flushed, a retention job approved in
writing) inserts a row into ``core_auditmaintenance`` in its own transaction first; the table
is no Django model, so nothing in the application can write it, and ``flush`` leaves it alone.
PostgreSQL's ``TRUNCATE`` does not fire row triggers: production revokes TRUNCATE from the
application's database role (docs/security.md).
"""

from django.db import migrations

MESSAGE = "审计日志只能追加，不能修改或删除。"

SQLITE_FORWARD = [
    "CREATE TABLE IF NOT EXISTS core_auditmaintenance (reason text NOT NULL)",
    f"""CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
        WHEN NOT EXISTS (SELECT 1 FROM core_auditmaintenance)
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    "DROP TABLE IF EXISTS core_auditmaintenance",
]
POSTGRES_FORWARD = [
    "CREATE TABLE IF NOT EXISTS core_auditmaintenance (reason text NOT NULL)",
    f"""CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM core_auditmaintenance) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
        FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
    "DROP TABLE IF EXISTS core_auditmaintenance",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_report_audit_types"),
    ]

    operations = [migrations.RunPython(forward, backward)]
