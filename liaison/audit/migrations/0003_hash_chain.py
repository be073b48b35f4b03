"""The audit trail becomes a hash chain, and the database refuses DELETE on SQLite and TRUNCATE on
PostgreSQL too.

Existing events are chained in id order. The append-only triggers are lifted for that step (the
chain has to be written into rows that exist) and restored, with the new ones, at the end; on
SQLite, altering a column rebuilds the table and would lose them anyway. The trigger statements
are copied here on purpose: a migration keeps doing what it did when it was written
(liaison/audit/triggers.py is the runtime copy).
"""

import django.utils.timezone
from django.db import migrations, models

from liaison.audit.chain import GENESIS, event_hash, values_of

SQLITE_OLD = [
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
]
SQLITE_NEW = [
    *SQLITE_OLD,
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql
"""
POSTGRES_OLD = [
    POSTGRES_FUNCTION,
    "CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]
POSTGRES_NEW = [
    *POSTGRES_OLD,
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
]


def _run(schema_editor, statements_by_vendor):
    for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def lift_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


def restore_old_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_OLD, "postgresql": POSTGRES_OLD})


def install_new_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_NEW, "postgresql": POSTGRES_NEW})


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias
    prev = GENESIS
    batch = []
    fields = [
        "id",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "region_code",
        "before",
        "after",
        "note",
        "ip",
    ]
    rows = AuditEvent.objects.using(db).order_by("id").only(*fields)
    for seq, event in enumerate(rows.iterator(chunk_size=2000), start=1):
        event.seq = seq
        event.prev_hash = prev
        event.hash = prev = event_hash(values_of(event), prev)
        batch.append(event)
        if len(batch) >= 1000:
            AuditEvent.objects.using(db).bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.using(db).bulk_update(batch, ["seq", "prev_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(lift_triggers, restore_old_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="前一事件摘要"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="事件摘要"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="时间"
            ),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="序号"),
        ),
        migrations.RunPython(install_new_triggers, lift_triggers),
    ]
