"""Duty report events are append-only by construction, like case events (decision 0012)."""

from django.db import migrations

from liaison.common.append_only import AppendOnlyTriggers

TRIGGERS = AppendOnlyTriggers(
    name="duty_report_event",
    table="dutyreports_dutyreportevent",
    message="duty report events are append-only",
)


def install(apps, schema_editor):
    TRIGGERS.install(schema_editor.connection)


def drop(apps, schema_editor):
    TRIGGERS.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("dutyreports", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, drop)]
